<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Application</name>
    <message>
        <source>Cannot open the data</source>
        <translation>无法打开数据</translation>
    </message>
</context>
</TS>
