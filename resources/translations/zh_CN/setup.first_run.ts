<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>First-run setup</source>
        <translation>首次设置</translation>
    </message>
    <message>
        <source>Save and start</source>
        <translation>保存并开始</translation>
    </message>
    <message>
        <source>Skip for now</source>
        <translation>暂时跳过</translation>
    </message>
    <message>
        <source>Three short steps make this laptop ready for the field. Everything here can be changed later (Help → First-run setup, Documents → Numbers and document settings).</source>
        <translation>三个简单步骤，让本机可以下现场检查。这里的内容以后都可以修改（帮助 → 首次设置；文书 → 号段与文书设置）。</translation>
    </message>
    <message>
        <source>1. Office and authority</source>
        <translation>一、单位与执法机关</translation>
    </message>
    <message>
        <source>Park committee</source>
        <translation>管委会</translation>
    </message>
    <message>
        <source>Safety office of the park</source>
        <translation>园区安全监管机构</translation>
    </message>
    <message>
        <source>Enforcement authority</source>
        <translation>执法机关</translation>
    </message>
    <message>
        <source>Park committee&apos;s rectification notices</source>
        <translation>管委会安全隐患整改通知书</translation>
    </message>
    <message>
        <source>Enforcement documents of the county authority</source>
        <translation>县应急管理局执法文书</translation>
    </message>
    <message>
        <source>This laptop issues</source>
        <translation>本机签发</translation>
    </message>
    <message>
        <source>2. Inspectors working on this laptop</source>
        <translation>二、在本机工作的检查人员</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Enforcement certificate no. (执法证号)</source>
        <translation>执法证号</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Enforcement documents need two inspectors with certificate numbers.</source>
        <translation>执法文书须由两名以上持执法证的人员签署。</translation>
    </message>
    <message>
        <source>Type the inspector&apos;s name first.</source>
        <translation>请先填写检查人员姓名。</translation>
    </message>
    <message>
        <source>Certificate no. %1</source>
        <translation>执法证号 %1</translation>
    </message>
    <message>
        <source>no certificate no.</source>
        <translation>未填执法证号</translation>
    </message>
    <message>
        <source>3. Document numbers of this laptop (%1)</source>
        <translation>三、本机文号（号段，%1 年）</translation>
    </message>
    <message>
        <source>The office hands every laptop its own block of numbers per document and year (for example 1–50 to this laptop, 51–100 to the next), so documents issued offline never share a number; ask the office for this laptop&apos;s block and leave it empty until you know it.</source>
        <translation>号段由办公室按文书种类和年份统一分配，每台电脑只用分给自己的一段文号（例如本机 1–50 号、另一台 51–100 号），离线签发也不会重号；请向办公室询问本机号段，不清楚时先留空。</translation>
    </message>
    <message>
        <source>from</source>
        <translation>起号</translation>
    </message>
    <message>
        <source>to</source>
        <translation>止号</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>This laptop&apos;s device ID (tell the office): %1</source>
        <translation>本机设备编号（告诉办公室）：%1</translation>
    </message>
    <message>
        <source>The numbers %1–%2 are not a block: the first must be 1 or more and the last not below it.</source>
        <translation>号段 %1–%2 无效：起号应不小于 1，止号不小于起号。</translation>
    </message>
</context>
</TS>
