<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>NewInspectionDialog</name>
    <message>
        <source>New inspection</source>
        <translation>新建检查</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Sector</source>
        <translation>行业</translation>
    </message>
    <message>
        <source>Search name, pinyin initials or credit code</source>
        <translation>搜索企业名称、拼音首字母或统一社会信用代码</translation>
    </message>
    <message>
        <source>Register enterprise…</source>
        <translation>登记企业…</translation>
    </message>
    <message>
        <source>No enterprise is registered yet: register the enterprise you inspect first (登记企业…), or import the office&apos;s list in the Enterprises tab.</source>
        <translation>还没有登记任何企业：请先登记被检查的企业（登记企业…），或在“企业”标签页导入办公室的企业名单。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Law-enforcement certificate no.</source>
        <translation>执法证号</translation>
    </message>
    <message>
        <source>Add inspector</source>
        <translation>添加检查人员</translation>
    </message>
    <message>
        <source>e.g. ammonia machine room, cold store</source>
        <translation>例如：氨制冷机房、冷藏库房</translation>
    </message>
    <message>
        <source>Start inspection</source>
        <translation>开始检查</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>检查场所</translation>
    </message>
    <message>
        <source>Start time</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Checklists (one or more)</source>
        <translation>检查表（可多选）</translation>
    </message>
    <message>
        <source>Inspectors (at least two)</source>
        <translation>检查人员（至少两名）</translation>
    </message>
    <message>
        <source>Choose the enterprise to inspect.</source>
        <translation>请选择被检查的企业。</translation>
    </message>
</context>
</TS>
