<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>NoticesView</name>
    <message>
        <source>Search number, enterprise, pinyin initials or status</source>
        <translation>搜索文号、企业名称、拼音首字母或状态</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Void…</source>
        <translation>作废…</translation>
    </message>
    <message>
        <source>Correct…</source>
        <translation>更正…</translation>
    </message>
    <message>
        <source>Numbers and document settings…</source>
        <translation>号段与文书设置…</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>文号</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Dated</source>
        <translation>文书日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>Corrected</source>
        <translation>已更正</translation>
    </message>
    <message numerus="yes">
        <source>%n document(s)</source>
        <translation>
            <numerusform>共 %n 份文书</numerusform>
        </translation>
    </message>
    <message>
        <source>Void document</source>
        <translation>作废文书</translation>
    </message>
    <message>
        <source>Why is %1 voided? (kept with the number, which is never reused)</source>
        <translation>作废 %1 的原因（随文号保存，该文号不再使用）：</translation>
    </message>
    <message>
        <source>Correct document</source>
        <translation>更正文书</translation>
    </message>
    <message>
        <source>Reason for the correction (a new number replaces %1):</source>
        <translation>更正原因（将以新文号取代 %1）：</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文书</translation>
    </message>
</context>
</TS>
