<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>GovernanceDialog</name>
    <message>
        <source>Hazard governance</source>
        <translation>治理信息</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Interim control measures</source>
        <translation>临时管控措施</translation>
    </message>
    <message>
        <source>Governance plan</source>
        <translation>治理方案</translation>
    </message>
    <message>
        <source>Funds</source>
        <translation>治理资金</translation>
    </message>
    <message>
        <source>Responsible person</source>
        <translation>整改责任人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Supervised listing</source>
        <translation>挂牌督办</translation>
    </message>
    <message>
        <source>Penalty / case</source>
        <translation>处罚/立案</translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
</context>
</TS>
