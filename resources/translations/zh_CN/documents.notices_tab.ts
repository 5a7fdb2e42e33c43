<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>NoticesView</name>
    <message>
        <source>Documents</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>&amp;Documents</source>
        <translation>文书(&amp;D)</translation>
    </message>
    <message>
        <source>Generate document for the current inspection…</source>
        <translation>为当前检查生成文书…</translation>
    </message>
    <message>
        <source>Numbers and document settings…</source>
        <translation>号段与文书设置…</translation>
    </message>
    <message>
        <source>Generate document</source>
        <translation>生成文书</translation>
    </message>
    <message>
        <source>Open an inspection, or select one in Inspections, first.</source>
        <translation>请先打开一次检查，或在“检查记录”中选中一次检查。</translation>
    </message>
</context>
</TS>
