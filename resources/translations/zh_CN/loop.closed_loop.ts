<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ClosedLoop</name>
    <message>
        <source>To do</source>
        <translation>今日待办</translation>
    </message>
    <message>
        <source>Re-inspection</source>
        <translation>复查</translation>
    </message>
    <message>
        <source>Monthly analysis</source>
        <translation>月度分析</translation>
    </message>
    <message>
        <source>Closed &amp;loop</source>
        <translation>闭环(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;To-do dashboard</source>
        <translation>今日待办(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Re-inspection…</source>
        <translation>复查(&amp;R)…</translation>
    </message>
    <message>
        <source>Export hazard &amp;ledger…</source>
        <translation>导出隐患台账(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Monthly analysis</source>
        <translation>月度分析(&amp;M)</translation>
    </message>
</context>
</TS>
