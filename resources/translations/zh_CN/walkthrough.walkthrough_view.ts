<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>WalkthroughView</name>
    <message>
        <source>Pass (1)</source>
        <translation>合格 (1)</translation>
    </message>
    <message>
        <source>Fail (2)</source>
        <translation>不合格 (2)</translation>
    </message>
    <message>
        <source>N/A (3)</source>
        <translation>不适用 (3)</translation>
    </message>
    <message>
        <source>New free finding</source>
        <translation>新增自由隐患</translation>
    </message>
    <message>
        <source>Delete free finding</source>
        <translation>删除自由隐患</translation>
    </message>
    <message>
        <source>Import photos from folder…</source>
        <translation>从文件夹导入照片…</translation>
    </message>
    <message>
        <source>Complete inspection</source>
        <translation>完成检查</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Generate document…</source>
        <translation>生成文书…</translation>
    </message>
    <message>
        <source>Unsaved changes…</source>
        <translation>有未保存的修改…</translation>
    </message>
    <message>
        <source>Inspectors: %1</source>
        <translation>检查人员：%1</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Answered %1/%2 · hazards %3 · major %4</source>
        <translation>已答 %1/%2 · 隐患 %3 · 重大 %4</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>The inspection cannot be completed yet:</source>
        <translation>检查尚不能完成：</translation>
    </message>
    <message>
        <source>Inspection completed</source>
        <translation>检查已完成</translation>
    </message>
    <message>
        <source>Photos are still being imported.</source>
        <translation>照片仍在导入。</translation>
    </message>
</context>
</TS>
