<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Application</name>
    <message>
        <source>Data folder copied?</source>
        <translation>数据目录是复制来的吗？</translation>
    </message>
    <message>
        <source>This data folder comes from another place or computer: if it is a copy, this computer gets a new device id and needs new number blocks from the office, because the old blocks stay with the original computer.</source>
        <translation>此数据目录来自别的位置或电脑：如果是复制来的，本机将改用新的设备编号，原号段仍归原电脑，本机需由办公室重新分配号段后才能签发文书。</translation>
    </message>
    <message>
        <source>It is a copy: new device id</source>
        <translation>是复制的：使用新设备编号</translation>
    </message>
    <message>
        <source>I only moved it: keep the id</source>
        <translation>只是移动了位置：保留原编号</translation>
    </message>
</context>
</TS>
