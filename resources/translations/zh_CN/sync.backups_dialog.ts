<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
</context>
<context>
    <name>BackupsDialog</name>
    <message>
        <source>Manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>Before a merge</source>
        <translation>合并前</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>定时</translation>
    </message>
    <message>
        <source>Before a restore</source>
        <translation>恢复前</translation>
    </message>
    <message>
        <source>Before an upgrade</source>
        <translation>升级前</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Restore…</source>
        <translation>恢复…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Backups of the office database are made on a schedule (by one office PC that has the app open, or by the server&apos;s timer) and when you press Back up now; each is kept in the backups folder of the computer that made it.</source>
        <translation>办公室数据库按计划自动备份（由一台开着本程序的办公室电脑，或由服务器的定时任务完成），也可点“立即备份”手动备份；备份保存在完成备份的那台电脑的备份文件夹中。</translation>
    </message>
    <message>
        <source>Backups are made on a schedule and when you press Back up now; the newest ones are kept. The last merge can be undone: select it (Before a merge) and press Restore.</source>
        <translation>备份按计划自动进行，也可点“立即备份”；只保留最新的若干份。最近一次合并可以撤销：选中“合并前”一行，点“恢复…”。</translation>
    </message>
    <message>
        <source>Backed up to %1</source>
        <translation>已备份到 %1</translation>
    </message>
    <message>
        <source>Select a backup first.</source>
        <translation>请先选择一个备份。</translation>
    </message>
    <message>
        <source>Replace the current data with the backup of %1? The current data is backed up first.</source>
        <translation>用 %1 的备份替换当前数据吗？当前数据会先备份。</translation>
    </message>
    <message>
        <source>Restore backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>Undo the merge of %1 made at %2? The records it added are removed and the records it changed get back what they held before.</source>
        <translation>撤销 %2 合并的 %1 吗？这次合并新增的记录将被删除，它修改过的记录恢复为合并前的内容。</translation>
    </message>
    <message>
        <source>Undo merge</source>
        <translation>撤销合并</translation>
    </message>
    <message>
        <source>Merge undone: %1 record(s) removed, %2 put back as they were.</source>
        <translation>已撤销合并：删除新增记录 %1 条，恢复记录 %2 条。</translation>
    </message>
    <message>
        <source>Restored. The data before restoring is kept in %1</source>
        <translation>已恢复。恢复前的数据保存在 %1</translation>
    </message>
</context>
</TS>
