<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>OfficeStart</name>
    <message>
        <source>Connecting to the office database %1…</source>
        <translation>正在连接办公室数据库 %1…</translation>
    </message>
    <message>
        <source>Office database</source>
        <translation>办公室数据库</translation>
    </message>
    <message>
        <source>Open this computer&apos;s own database file (%1) instead? The saved office connection is kept.</source>
        <translation>是否改为打开本机的数据库文件（%1）？保存的办公室数据库连接仍保留。</translation>
    </message>
    <message>
        <source>Office database unavailable</source>
        <translation>无法使用办公室数据库</translation>
    </message>
    <message>
        <source>Open the local file</source>
        <translation>打开本机数据库</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
</TS>
