<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>RecordDateRow</name>
    <message>
        <source>Reason for the earlier date</source>
        <translation>补签原因</translation>
    </message>
    <message>
        <source>e.g. no printer on site; issued on return to the office</source>
        <translation>例如：现场无打印机，回办公室后补签</translation>
    </message>
    <message>
        <source>Document date</source>
        <translation>文书日期</translation>
    </message>
</context>
</TS>
