<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>SetupController</name>
    <message>
        <source>&amp;User guide</source>
        <translation>使用说明(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;First-run setup…</source>
        <translation>首次设置(&amp;F)…</translation>
    </message>
    <message>
        <source>Load &amp;demo data…</source>
        <translation>载入演示数据(&amp;D)…</translation>
    </message>
    <message>
        <source>Main actions</source>
        <translation>常用操作</translation>
    </message>
    <message>
        <source>New inspection</source>
        <translation>新建检查</translation>
    </message>
    <message>
        <source>Register enterprise</source>
        <translation>登记企业</translation>
    </message>
    <message>
        <source>Import enterprises</source>
        <translation>导入企业名单</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>今日待办</translation>
    </message>
    <message>
        <source>Re-inspection</source>
        <translation>复查</translation>
    </message>
    <message>
        <source>Export data</source>
        <translation>导出数据</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>User guide</source>
        <translation>使用说明</translation>
    </message>
    <message>
        <source>Fill this empty office database (%1) with invented demo enterprises, inspections, hazards and documents, for training? Every office PC connected to it will see them; use a database of its own for training, never the real one.</source>
        <translation>在这个空的办公室数据库（%1）中载入虚构的演示企业、检查、隐患和文书，用于培训？连接该数据库的每台办公室电脑都会看到这些数据；请为培训单独建一个数据库，切勿用于真实的办公室数据库。</translation>
    </message>
    <message>
        <source>Add invented demo enterprises, inspections, hazards and documents to this data folder (%1)? Use an empty data folder of its own for real work.</source>
        <translation>将虚构的演示企业、检查、隐患和文书加入当前数据文件夹（%1）？正式工作请使用单独的空数据文件夹。</translation>
    </message>
    <message>
        <source>Load demo data</source>
        <translation>载入演示数据</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>载入</translation>
    </message>
    <message>
        <source>Building the demo office…</source>
        <translation>正在生成演示数据…</translation>
    </message>
    <message>
        <source>Demo loaded: %1 enterprises, %2 inspections, %3 documents.</source>
        <translation>演示数据已载入：企业 %1 家，检查 %2 次，文书 %3 份。</translation>
    </message>
</context>
</TS>
