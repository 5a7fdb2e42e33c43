<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Printing</name>
    <message>
        <source>The printing library libcups2 is not installed.</source>
        <translation>未安装打印库 libcups2。</translation>
    </message>
    <message>
        <source>The printer {printer} refused the document: {reason}</source>
        <translation>打印机 {printer} 拒绝了该文书：{reason}</translation>
    </message>
    <message>
        <source>Sending the document to {printer} …</source>
        <translation>正在把文书发送到 {printer} …</translation>
    </message>
    <message>
        <source>Printing</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Preparing page {done} of {total} …</source>
        <translation>正在准备第 {done} 页，共 {total} 页 …</translation>
    </message>
    <message>
        <source>Sent {pages} page(s) to {printer}.</source>
        <translation>已将 {pages} 页发送到 {printer}。</translation>
    </message>
    <message>
        <source>Sent {pages} page(s) to {printer} (job {job}).</source>
        <translation>已将 {pages} 页发送到 {printer}（作业 {job}）。</translation>
    </message>
    <message>
        <source>The printer {printer} could not be opened.</source>
        <translation>无法打开打印机 {printer}。</translation>
    </message>
    <message>
        <source>Printing failed: {reason}</source>
        <translation>打印失败：{reason}</translation>
    </message>
</context>
</TS>
