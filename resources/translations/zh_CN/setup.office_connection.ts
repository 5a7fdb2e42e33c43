<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>OfficeConnection</name>
    <message>
        <source>Office database: %1</source>
        <translation>办公室数据库：%1</translation>
    </message>
    <message>
        <source>Data folder: %1</source>
        <translation>数据文件夹：%1</translation>
    </message>
    <message>
        <source>office database %1 on %2</source>
        <translation>办公室数据库 %1（服务器 %2）</translation>
    </message>
    <message>
        <source>Disconnect the office database</source>
        <translation>断开办公室数据库</translation>
    </message>
    <message>
        <source>No office database is connected; this computer uses its own database file.</source>
        <translation>未连接办公室数据库，本机使用自己的数据库文件。</translation>
    </message>
    <message>
        <source>Disconnect the office database %1? This computer then uses its own database file; the data on the server stays as it is, and the saved password is removed from the system keyring.</source>
        <translation>断开办公室数据库 %1？此后本机使用自己的数据库文件；服务器上的数据保持不变，保存的密码将从系统密钥环中删除。</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>断开</translation>
    </message>
</context>
</TS>
