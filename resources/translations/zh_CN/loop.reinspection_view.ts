<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ReinspectionView</name>
    <message>
        <source>Start re-inspection</source>
        <translation>开始复查</translation>
    </message>
    <message>
        <source>Complete re-inspection</source>
        <translation>完成复查</translation>
    </message>
    <message>
        <source>Issue review document…</source>
        <translation>出具整改复查意见书…</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Hazard</source>
        <translation>隐患</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>After photos</source>
        <translation>整改后照片</translation>
    </message>
    <message>
        <source>Judgement</source>
        <translation>复查结论</translation>
    </message>
    <message>
        <source>Selected hazard</source>
        <translation>所选隐患</translation>
    </message>
    <message>
        <source>Add after photos…</source>
        <translation>添加整改后照片…</translation>
    </message>
    <message>
        <source>Opinion or measures (optional)</source>
        <translation>复查意见或临时管控措施（可选）</translation>
    </message>
    <message>
        <source>Save judgement</source>
        <translation>保存结论</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>整改前</translation>
    </message>
    <message>
        <source>After (this visit)</source>
        <translation>整改后（本次复查）</translation>
    </message>
    <message>
        <source>New deadline</source>
        <translation>新整改期限</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Inspectors</source>
        <translation>复查人员</translation>
    </message>
    <message>
        <source>%1 (%2 open, %3 overdue)</source>
        <translation>%1（未销号 %2 项，逾期 %3 项）</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message numerus="yes">
        <source>%n open hazard(s). Choose the inspectors and start the re-inspection.</source>
        <translation>
            <numerusform>共 %n 项未销号隐患。请选择复查人员，开始复查。</numerusform>
        </translation>
    </message>
    <message>
        <source>Re-inspection in progress since %1.</source>
        <translation>复查进行中（开始于 %1）。</translation>
    </message>
    <message>
        <source>Re-inspection completed %1.</source>
        <translation>复查已于 %1 完成。</translation>
    </message>
    <message>
        <source>Requirement: %1</source>
        <translation>整改要求：%1</translation>
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
        <source>current %1; default: the later of it and today + %2 days</source>
        <translation>原期限 %1；默认取原期限与今天起 %2 天中较晚者</translation>
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
    <message>
        <source>Choose a judgement first.</source>
        <translation>请先选择复查结论。</translation>
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
        <source>Judgement saved.</source>
        <translation>复查结论已保存。</translation>
    </message>
    <message>
        <source>Complete the re-inspection? Rectified hazards are closed, the others get their new deadline or are escalated. This cannot be undone.</source>
        <translation>完成本次复查？已整改的隐患将销号，其余隐患按新的整改期限继续整改或移交执法。此操作不能撤销。</translation>
    </message>
    <message>
        <source>Completed: %1 closed, %2 with a new deadline, %3 escalated.</source>
        <translation>复查已完成：销号 %1 项，限期整改 %2 项，移交执法 %3 项。</translation>
    </message>
    <message>
        <source>Issued %1.</source>
        <translation>已签发 %1。</translation>
    </message>
</context>
</TS>
