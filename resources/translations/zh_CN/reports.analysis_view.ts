<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AnalysisView</name>
    <message>
        <source>Export PDF report…</source>
        <translation>导出PDF报告…</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>Sector</source>
        <translation>行业</translation>
    </message>
    <message>
        <source>Times failed</source>
        <translation>不合格次数</translation>
    </message>
    <message>
        <source>Enterprises</source>
        <translation>涉及企业</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查内容</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Inspections</source>
        <translation>涉及检查次数</translation>
    </message>
    <message>
        <source>Items failed again</source>
        <translation>反复出现的检查项</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Most frequently failed checklist items</source>
        <translation>本月高频问题（不合格次数最多的检查项）</translation>
    </message>
    <message>
        <source>Enterprises with repeat hazards</source>
        <translation>隐患反复出现的企业</translation>
    </message>
    <message>
        <source>%1-%2</source>
        <translation>%1年%2月</translation>
    </message>
    <message>
        <source>Hazards found and closed this month, by sector</source>
        <translation>分行业本月发现与销号隐患数</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已销号</translation>
    </message>
    <message>
        <source>Overdue hazards at the end of each month</source>
        <translation>近6个月月末逾期隐患数</translation>
    </message>
    <message>
        <source>Overdue hazards at the end of each month (this month: today)</source>
        <translation>近6个月月末逾期隐患数（本月为截至今日）</translation>
    </message>
    <message>
        <source>Month %1</source>
        <translation>%1月</translation>
    </message>
    <message>
        <source>Found %1 hazards (%2 major), closed %3 (%4 major). Rectification rate of this month&apos;s hazards: %5; cumulative: %6. Overdue at the month&apos;s end: %7.</source>
        <translation>本月发现隐患 %1 项（重大 %2 项），销号 %3 项（重大 %4 项）。本月隐患整改率 %5，累计整改率 %6。月末逾期 %7 项。</translation>
    </message>
    <message>
        <source>Through %8: found %1 hazards (%2 major), closed %3 (%4 major). Rectification rate of this month&apos;s hazards: %5; cumulative: %6. Overdue today: %7.</source>
        <translation>截至 %8：本月发现隐患 %1 项（重大 %2 项），销号 %3 项（重大 %4 项）。本月隐患整改率 %5，累计整改率 %6。今日逾期 %7 项。</translation>
    </message>
    <message>
        <source>hazard-analysis-%1.pdf</source>
        <translation>隐患月度分析-%1.pdf</translation>
    </message>
    <message>
        <source>Export PDF report</source>
        <translation>导出PDF报告</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>正在生成报告…</translation>
    </message>
    <message>
        <source>Report saved: %1</source>
        <translation>报告已保存：%1</translation>
    </message>
</context>
</TS>
