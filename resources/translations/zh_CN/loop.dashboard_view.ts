<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DashboardView</name>
    <message>
        <source>By enterprise</source>
        <translation>按企业</translation>
    </message>
    <message>
        <source>By sector</source>
        <translation>按行业</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>显示全部</translation>
    </message>
    <message>
        <source>Re-inspect this enterprise…</source>
        <translation>复查该企业…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <source>Days overdue</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Hazard</source>
        <translation>隐患</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Computed on this computer for %1.</source>
        <translation>本机统计，截至 %1。</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n hazard(s)</source>
        <translation>
            <numerusform>%1：%n 项隐患</numerusform>
        </translation>
    </message>
    <message>
        <source> (the %1 with the earliest deadlines listed)</source>
        <translation>（列出期限最早的 %1 项）</translation>
    </message>
</context>
</TS>
