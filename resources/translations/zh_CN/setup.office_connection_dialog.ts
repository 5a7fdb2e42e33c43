<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>OfficeConnectionDialog</name>
    <message>
        <source>Connect to the office database</source>
        <translation>连接办公室数据库</translation>
    </message>
    <message>
        <source>e.g. db-server or 192.168.1.10</source>
        <translation>如 db-server 或 192.168.1.10</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>CA certificate (sslrootcert)</source>
        <translation>CA 证书（sslrootcert）</translation>
    </message>
    <message>
        <source>Certificates (*.crt *.pem *.cer);;* (*)</source>
        <translation>证书 (*.crt *.pem *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <source>No encryption (disable)</source>
        <translation>不加密（disable）</translation>
    </message>
    <message>
        <source>Encrypt if the server can (prefer)</source>
        <translation>服务器支持时加密（prefer）</translation>
    </message>
    <message>
        <source>Always encrypt (require)</source>
        <translation>必须加密（require）</translation>
    </message>
    <message>
        <source>Encrypt and verify the server (verify-full)</source>
        <translation>加密并验证服务器证书（verify-full）</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>加密方式</translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation>CA 证书</translation>
    </message>
    <message>
        <source>The password is kept in this computer&apos;s system keyring, never in the settings file.</source>
        <translation>密码保存在本机的系统密钥环中，不会写入设置文件。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The CA certificate file %1 does not exist.</source>
        <translation>找不到 CA 证书文件 %1。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Connected. The database is empty: Connect sets it up for Inspector.</source>
        <translation>连接成功。该数据库是空的：按“连接”后将为本程序建立数据表。</translation>
    </message>
    <message>
        <source>Connected. It is an Inspector office database (schema version %1).</source>
        <translation>连接成功。这是本程序的办公室数据库（数据结构版本 %1）。</translation>
    </message>
    <message>
        <source>Connecting and setting up…</source>
        <translation>正在连接并准备数据库…</translation>
    </message>
</context>
</TS>
