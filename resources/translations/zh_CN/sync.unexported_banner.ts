<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>UnexportedBanner</name>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>%1 records / %2 photos not yet exported</source>
        <translation>%1 条记录 / %2 张照片尚未导出</translation>
    </message>
</context>
</TS>
