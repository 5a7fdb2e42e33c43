<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>LedgerDialog</name>
    <message>
        <source>Export hazard ledger</source>
        <translation>导出隐患台账</translation>
    </message>
    <message>
        <source>All sectors</source>
        <translation>全部行业</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Excel workbook (.xlsx, with photo list)</source>
        <translation>Excel 工作簿（.xlsx，含照片清单）</translation>
    </message>
    <message>
        <source>CSV (.csv, UTF-8)</source>
        <translation>CSV（.csv，UTF-8）</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Found from</source>
        <translation>发现日期自</translation>
    </message>
    <message>
        <source>Found until</source>
        <translation>发现日期至</translation>
    </message>
    <message>
        <source>Sector</source>
        <translation>行业</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>hazard-ledger-%1</source>
        <translation>隐患台账-%1</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Exporting… %1 of %2</source>
        <translation>正在导出… %1 / %2</translation>
    </message>
    <message numerus="yes">
        <source>%n hazard(s) exported to %1</source>
        <translation>
            <numerusform>已导出 %n 项隐患：%1</numerusform>
        </translation>
    </message>
</context>
</TS>
