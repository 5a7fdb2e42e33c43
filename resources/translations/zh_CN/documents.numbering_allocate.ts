<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BlockAllocation</name>
    <message>
        <source>This database (%1)</source>
        <translation>本数据库（%1）</translation>
    </message>
    <message>
        <source>last seen %1</source>
        <translation>最近出现 %1</translation>
    </message>
    <message>
        <source>Device ID</source>
        <translation>设备编号</translation>
    </message>
    <message>
        <source>Allocate next numbers</source>
        <translation>分配接下来的号</translation>
    </message>
    <message>
        <source>For device</source>
        <translation>分配给设备</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>个数</translation>
    </message>
    <message>
        <source>Allocating…</source>
        <translation>正在分配……</translation>
    </message>
    <message>
        <source>this database</source>
        <translation>本数据库</translation>
    </message>
    <message>
        <source>Allocated %1〔%2〕No. %3–%4 to %5.</source>
        <translation>已分配：%1〔%2〕第 %3–%4 号，给 %5。</translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
</context>
</TS>
