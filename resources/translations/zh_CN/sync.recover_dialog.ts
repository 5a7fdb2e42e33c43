<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>MainWindow</name>
    <message>
        <source>Restored from a backup; the file that could not be opened is kept as %1.</source>
        <translation>已从备份恢复；无法打开的原数据库已原样保留为 %1。</translation>
    </message>
</context>
<context>
    <name>RecoverDialog</name>
    <message>
        <source>Cannot open the data</source>
        <translation>无法打开数据</translation>
    </message>
    <message>
        <source>%1 You can restore a backup: the file that cannot be opened is kept in the backups folder as it is (nothing is deleted). Records made after the backup are not in it.</source>
        <translation>%1可以从备份恢复：无法打开的文件会原样保留在备份文件夹中（不删除）。备份之后录入的记录不在备份里。</translation>
    </message>
    <message>
        <source>Restore the selected backup</source>
        <translation>从所选备份恢复</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Select a backup first.</source>
        <translation>请先选择一个备份。</translation>
    </message>
    <message>
        <source>Restoring %1…</source>
        <translation>正在从 %1 恢复…</translation>
    </message>
</context>
</TS>
