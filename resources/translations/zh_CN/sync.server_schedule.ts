<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ServerBackups</name>
    <message>
        <source>No backup of the office database has been made yet.</source>
        <translation>办公室数据库还没有备份。</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>定时</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>Last backup of the office database: %1 (%2), by %3 in %4</source>
        <translation>办公室数据库最近一次备份：%1（%2），由 %3 存于 %4</translation>
    </message>
</context>
</TS>
