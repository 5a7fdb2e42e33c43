<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>MainWindow</name>
    <message>
        <source>Xingguo ETDZ Work-Safety Inspection</source>
        <translation>兴国经开区安全生产检查</translation>
    </message>
    <message>
        <source>Inspections</source>
        <translation>检查记录</translation>
    </message>
    <message>
        <source>Checklists</source>
        <translation>检查表</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Connect to the office database…</source>
        <translation>连接办公室数据库(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Disconnect the office database</source>
        <translation>断开办公室数据库(&amp;D)</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>退出(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Check database</source>
        <translation>检查数据库(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>Loading inspections…</source>
        <translation>正在加载检查记录…</translation>
    </message>
    <message>
        <source>Cannot open the data</source>
        <translation>无法打开数据</translation>
    </message>
    <message>
        <source>Checking the database…</source>
        <translation>正在检查数据库…</translation>
    </message>
    <message>
        <source>Check database</source>
        <translation>检查数据库</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) found:</source>
        <translation>
            <numerusform>发现 %n 个问题：</numerusform>
        </translation>
    </message>
    <message>
        <source>The office database is sound: its references and every photo hash check out.</source>
        <translation>办公室数据库完好：引用关系和每张照片的校验值均无问题。</translation>
    </message>
    <message>
        <source>The database is sound: SQLite integrity, references and every photo hash check out.</source>
        <translation>数据库完好：SQLite 完整性、引用关系和全部照片哈希均检查通过。</translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>Offline work-safety inspection for the Xingguo ETDZ, version %1</source>
        <translation>兴国经开区安全生产检查（离线版），版本 %1</translation>
    </message>
</context>
</TS>
