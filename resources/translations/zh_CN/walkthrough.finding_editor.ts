<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>FindingEditor</name>
    <message>
        <source>Major accident hazard</source>
        <translation>重大事故隐患</translation>
    </message>
    <message>
        <source>General hazard</source>
        <translation>一般隐患</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设定</translation>
    </message>
    <message>
        <source>Hazard description</source>
        <translation>隐患描述</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>隐患部位</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>隐患等级</translation>
    </message>
    <message>
        <source>Major-hazard clause</source>
        <translation>判定标准条款</translation>
    </message>
    <message>
        <source>Rectification requirement</source>
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
        <source>Basis</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>No item selected</source>
        <translation>未选择检查项</translation>
    </message>
    <message>
        <source>Free finding %1 (not covered by the checklists)</source>
        <translation>自由隐患 %1（检查表未涵盖）</translation>
    </message>
    <message>
        <source>Not checked yet: press 1 for pass, 2 for fail (hazard), 3 for not applicable.</source>
        <translation>尚未检查：按 1 合格，2 不合格（隐患），3 不适用。</translation>
    </message>
    <message>
        <source>No hazard to describe.</source>
        <translation>无隐患，无需填写。</translation>
    </message>
    <message>
        <source>A photo is required for this hazard.</source>
        <translation>该隐患须附现场照片。</translation>
    </message>
    <message>
        <source> The inspection is completed: reopen it to edit.</source>
        <translation> 本次检查已完成：如需修改请先“重新打开”。</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>Fail: hazard</source>
        <translation>不合格：存在隐患</translation>
    </message>
    <message>
        <source>Not applicable</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>未检查</translation>
    </message>
</context>
</TS>
