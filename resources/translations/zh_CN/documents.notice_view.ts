<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>NoticeView</name>
    <message>
        <source>Document</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Rectification order (enforcement)</source>
        <translation>责令限期整改指令书（执法）</translation>
    </message>
    <message>
        <source>Park hazard notice</source>
        <translation>安全隐患整改通知书（园区）</translation>
    </message>
    <message>
        <source>On-site inspection record</source>
        <translation>现场检查记录</translation>
    </message>
    <message>
        <source>On-site measure decision</source>
        <translation>现场处理措施决定书</translation>
    </message>
    <message>
        <source>Referral of fire matters</source>
        <translation>移送书（消防问题）</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>签发</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Open in system viewer</source>
        <translation>用系统程序打开</translation>
    </message>
    <message>
        <source>Number settings…</source>
        <translation>号段设置…</translation>
    </message>
    <message>
        <source>Re-inspection opinion</source>
        <translation>整改复查意见书</translation>
    </message>
    <message>
        <source>Rendering the draft…</source>
        <translation>正在生成草稿…</translation>
    </message>
    <message>
        <source>Draft, not numbered</source>
        <translation>草稿，未编号</translation>
    </message>
    <message>
        <source>Draft document</source>
        <translation>文书草稿</translation>
    </message>
    <message>
        <source>Already issued for this inspection: %1</source>
        <translation>这次检查已签发的文书：%1</translation>
    </message>
    <message>
        <source>Already issued for this re-inspection: %1</source>
        <translation>这次复查已签发的文书：%1</translation>
    </message>
    <message>
        <source>Correct…</source>
        <translation>更正…</translation>
    </message>
    <message>
        <source>Issue this document? It gets the next number and can no longer be changed; a correction will be a new document.</source>
        <translation>确定签发此文书吗？签发后将取下一个文号，不能再修改；如需更正，须另行签发更正文书。</translation>
    </message>
    <message>
        <source>Issue document</source>
        <translation>签发文书</translation>
    </message>
    <message>
        <source>%1 was already issued for this. Only one valid document of a kind is allowed: to change it, issue a correction with a new number that replaces %1. Reason for the correction:</source>
        <translation>已签发 %1。同一种文书只能有一份有效文书；如需修改，请签发更正文书，由新文号取代 %1。更正原因：</translation>
    </message>
    <message>
        <source>Correct document</source>
        <translation>更正文书</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>另存为</translation>
    </message>
    <message>
        <source>No program to open PDF files was found. Use “Save as…” instead.</source>
        <translation>未找到可打开 PDF 文件的程序，请改用“另存为…”。</translation>
    </message>
</context>
</TS>
