<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>NumberingDialog</name>
    <message>
        <source>Authority name</source>
        <translation>执法机关名称</translation>
    </message>
    <message>
        <source>Authority abbreviation (for numbers)</source>
        <translation>机关代字（用于文号）</translation>
    </message>
    <message>
        <source>Authority phone</source>
        <translation>执法机关联系电话</translation>
    </message>
    <message>
        <source>Park committee</source>
        <translation>园区管委会名称</translation>
    </message>
    <message>
        <source>Park safety office</source>
        <translation>管委会安全监管机构</translation>
    </message>
    <message>
        <source>Park office phone</source>
        <translation>管委会联系电话</translation>
    </message>
    <message>
        <source>Administrative reconsideration body</source>
        <translation>行政复议机关</translation>
    </message>
    <message>
        <source>Court for administrative litigation</source>
        <translation>行政诉讼法院</translation>
    </message>
    <message>
        <source>Numbers and document settings</source>
        <translation>号段与文书设置</translation>
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
        <source>Documents to issue</source>
        <translation>签发的文书类别</translation>
    </message>
    <message>
        <source>Enforcement documents (county authority): rectification order, inspection record, re-inspection opinion</source>
        <translation>执法文书（县应急管理局）：责令限期整改指令书、现场检查记录、整改复查意见书</translation>
    </message>
    <message>
        <source>Park committee&apos;s hazard rectification notice</source>
        <translation>园区管委会安全隐患整改通知书</translation>
    </message>
    <message>
        <source>Number blocks</source>
        <translation>号段</translation>
    </message>
    <message>
        <source>For this device, from</source>
        <translation>本机号段：从</translation>
    </message>
    <message>
        <source>Device ID (give it to the office to receive a block): %1</source>
        <translation>本机设备编号（请办公室按此编号分配号段）：%1</translation>
    </message>
    <message>
        <source>Show the blocks of every device</source>
        <translation>显示所有设备的号段</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>this one</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>文号前缀</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Numbers</source>
        <translation>号段</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>已用</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>剩余</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Add block</source>
        <translation>添加号段</translation>
    </message>
    <message>
        <source>Withdraw block</source>
        <translation>收回号段</translation>
    </message>
    <message>
        <source>To</source>
        <translation>止号</translation>
    </message>
    <message>
        <source>Withdraw the block %1? Numbers already used stay used.</source>
        <translation>确定收回号段 %1 吗？已使用的文号仍保留。</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>收回</translation>
    </message>
    <message>
        <source>Texts printed on the documents</source>
        <translation>文书上印制的文字</translation>
    </message>
</context>
</TS>
