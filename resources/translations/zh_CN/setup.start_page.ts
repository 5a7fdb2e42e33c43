<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>StartPage</name>
    <message>
        <source>Welcome. Nothing has been recorded on this laptop yet.</source>
        <translation>欢迎使用。本机还没有任何记录。</translation>
    </message>
    <message>
        <source>Start with the zone&apos;s enterprises: register one, or import the enterprise list, then merge the laptops&apos; export files (Sync → Merge files from other computers…). For training, load the demo data: invented enterprises with hazards overdue, due soon and awaiting review, seen by every office PC.</source>
        <translation>先录入园区企业：登记企业，或导入企业名单；然后合并各执法终端导出的文件（同步 → 合并其他电脑的文件…）。用于培训时，可载入演示数据：虚构的企业，含已逾期、即将到期和待复查的隐患，所有办公室电脑都能看到。</translation>
    </message>
    <message>
        <source>Start with the enterprises you inspect: register one, or import the office&apos;s list. Then start an inspection (Ctrl+N). To look around first, load the demo data: invented enterprises with hazards overdue, due soon and awaiting review.</source>
        <translation>先录入要检查的企业：逐家登记，或导入办公室提供的企业名单；然后新建检查（Ctrl+N）。想先熟悉软件，可以载入演示数据：虚构的企业，含逾期、即将到期和待复查的隐患。</translation>
    </message>
    <message>
        <source>Register an enterprise…</source>
        <translation>登记企业…</translation>
    </message>
    <message>
        <source>Import an enterprise list…</source>
        <translation>导入企业名单…</translation>
    </message>
    <message>
        <source>New inspection… (Ctrl+N)</source>
        <translation>新建检查…（Ctrl+N）</translation>
    </message>
    <message>
        <source>Load demo data…</source>
        <translation>载入演示数据…</translation>
    </message>
    <message>
        <source>First-run setup…</source>
        <translation>首次设置…</translation>
    </message>
    <message>
        <source>User guide (F1)</source>
        <translation>使用说明（F1）</translation>
    </message>
    <message>
        <source>Welcome. Nothing has been recorded in the office database yet.</source>
        <translation>欢迎使用。办公室数据库中还没有任何记录。</translation>
    </message>
</context>
</TS>
