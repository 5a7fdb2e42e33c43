<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>RecordsFlow</name>
    <message>
        <source>Enterprises</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>&amp;New inspection…</source>
        <translation>新建检查(&amp;N)…</translation>
    </message>
    <message>
        <source>Photos are still being imported; close the tab when they are done.</source>
        <translation>照片仍在导入，导入完成后再关闭标签页。</translation>
    </message>
    <message>
        <source>Discard and close</source>
        <translation>放弃修改并关闭</translation>
    </message>
    <message>
        <source>Discard and quit</source>
        <translation>放弃修改并退出</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的修改</translation>
    </message>
    <message>
        <source>Changes to this item could not be saved: %1
Keep editing to correct them, or discard them.</source>
        <translation>这一项的修改未能保存：%1
请继续编辑改正，或放弃这些修改。</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>继续编辑</translation>
    </message>
</context>
</TS>
