<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ScheduleRow</name>
    <message>
        <source>Save schedule</source>
        <translation>保存计划</translation>
    </message>
    <message>
        <source>Scheduled backup every</source>
        <translation>定时备份：每</translation>
    </message>
    <message>
        <source>hours (0: off); keep the newest</source>
        <translation>小时一次（0 为不定时备份），自动备份保留最新</translation>
    </message>
    <message>
        <source>automatic backups</source>
        <translation>份</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saved. %1</source>
        <translation>已保存。%1</translation>
    </message>
    <message>
        <source>The office has not saved a schedule yet: this PC uses its own settings. Saving keeps the schedule in the office database, for every office PC and the server&apos;s timer.</source>
        <translation>办公室尚未保存备份计划，本机按自己的设置执行；保存后计划存于办公室数据库，所有办公室电脑和服务器定时任务都按此执行。</translation>
    </message>
    <message>
        <source>Kept in the office database: every office PC and the server&apos;s timer use it.</source>
        <translation>计划存于办公室数据库，所有办公室电脑和服务器定时任务都按此执行。</translation>
    </message>
    <message>
        <source>Kept in this computer&apos;s settings.</source>
        <translation>计划存于本机设置。</translation>
    </message>
</context>
<context>
    <name>ServerBackups</name>
    <message>
        <source>No backup of the office database has been made yet.</source>
        <translation>办公室数据库还没有备份。</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>定时</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>Last backup of the office database: %1 (%2), by %3 in %4</source>
        <translation>办公室数据库最近一次备份：%1（%2），由 %3 存于 %4</translation>
    </message>
</context>
</TS>
