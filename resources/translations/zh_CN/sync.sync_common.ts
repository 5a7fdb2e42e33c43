<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>SyncDialogs</name>
    <message>
        <source>Files to merge</source>
        <translation>要合并的文件</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
</context>
<context>
    <name>SyncTasks</name>
    <message>
        <source>This version cannot %1 on the office database yet.</source>
        <translation>本版本尚不能在办公室数据库上%1。</translation>
    </message>
    <message>
        <source>export data</source>
        <translation>导出数据</translation>
    </message>
    <message>
        <source>merge files</source>
        <translation>合并文件</translation>
    </message>
    <message>
        <source>list backups</source>
        <translation>列出备份</translation>
    </message>
    <message>
        <source>back up</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>check the database</source>
        <translation>检查数据库</translation>
    </message>
</context>
</TS>
