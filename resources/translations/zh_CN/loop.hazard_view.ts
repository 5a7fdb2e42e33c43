<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>HazardView</name>
    <message>
        <source>Hazard</source>
        <translation>隐患</translation>
    </message>
    <message>
        <source>Add after photos…</source>
        <translation>添加整改后照片…</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>隐患部位</translation>
    </message>
    <message>
        <source>Checklist item</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Basis</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Requirement</source>
        <translation>整改要求</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <source>Responsible person</source>
        <translation>整改责任人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>变更</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>New deadline</source>
        <translation>新整改期限</translation>
    </message>
    <message>
        <source>Note (required when escalating)</source>
        <translation>说明（移交执法时必填）</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>执行</translation>
    </message>
    <message>
        <source>Re-inspect this enterprise…</source>
        <translation>复查该企业…</translation>
    </message>
    <message>
        <source>Governance…</source>
        <translation>治理信息…</translation>
    </message>
    <message>
        <source>Interim measures, governance plan, funds, responsible person, supervision, penalty, remarks</source>
        <translation>临时管控措施、治理方案、资金、责任人、挂牌督办、处罚立案、备注</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>整改前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>整改后</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>History</source>
        <translation>处理过程</translation>
    </message>
    <message>
        <source>No photo</source>
        <translation>无照片</translation>
    </message>
    <message>
        <source>No after photo yet</source>
        <translation>尚无整改后照片</translation>
    </message>
    <message>
        <source>Change to: %1</source>
        <translation>改为：%1</translation>
    </message>
    <message>
        <source>Change the deadline only</source>
        <translation>仅更改整改期限</translation>
    </message>
    <message>
        <source>current %1; default: the later of it and today + %2 days</source>
        <translation>原期限 %1；默认取原期限与今天起 %2 天中较晚者</translation>
    </message>
    <message>
        <source>Shorten the deadline</source>
        <translation>缩短整改期限</translation>
    </message>
    <message>
        <source>The new deadline %1 is earlier than the current deadline %2. Shorten it?</source>
        <translation>新期限 %1 早于原整改期限 %2，确定缩短期限？</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Add after photos</source>
        <translation>添加整改后照片</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s) added.</source>
        <translation>
            <numerusform>已添加 %n 张照片。</numerusform>
        </translation>
    </message>
</context>
</TS>
