<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>LoopLabels</name>
    <message>
        <source>Pending</source>
        <translation>待整改</translation>
    </message>
    <message>
        <source>Rectifying</source>
        <translation>整改中</translation>
    </message>
    <message>
        <source>Awaiting review</source>
        <translation>待复查</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已销号</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>移交执法</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Overdue (%1)</source>
        <translation>逾期（%1）</translation>
    </message>
    <message>
        <source>Major</source>
        <translation>重大</translation>
    </message>
    <message>
        <source>General</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Rectified</source>
        <translation>已整改</translation>
    </message>
    <message>
        <source>Not rectified</source>
        <translation>未整改</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>移交执法</translation>
    </message>
    <message>
        <source>Due within 3 days</source>
        <translation>3日内到期</translation>
    </message>
    <message>
        <source>Re-inspection due</source>
        <translation>应复查</translation>
    </message>
    <message>
        <source>Open major hazards</source>
        <translation>重大隐患未销号</translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
    <message>
        <source>Photos (%1)</source>
        <translation>照片 (%1)</translation>
    </message>
</context>
</TS>
