<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>NoticeDialogs</name>
    <message>
        <source>Save document as</source>
        <translation>文书另存为</translation>
    </message>
</context>
</TS>
