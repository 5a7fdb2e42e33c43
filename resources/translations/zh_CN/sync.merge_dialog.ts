<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>MergeDialog</name>
    <message>
        <source>Enterprises</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Inspectors</source>
        <translation>检查人员</translation>
    </message>
    <message>
        <source>Checklist versions</source>
        <translation>检查表版本</translation>
    </message>
    <message>
        <source>Inspections</source>
        <translation>检查记录</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>检查项/隐患</translation>
    </message>
    <message>
        <source>Re-inspections</source>
        <translation>复查</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Re-inspection items</source>
        <translation>复查项</translation>
    </message>
    <message>
        <source>Hazard steps</source>
        <translation>隐患处理记录</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Document numbers</source>
        <translation>文书编号</translation>
    </message>
    <message>
        <source>Number blocks</source>
        <translation>编号段</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>hazard description</source>
        <translation>隐患描述</translation>
    </message>
    <message>
        <source>location</source>
        <translation>部位</translation>
    </message>
    <message>
        <source>requirement</source>
        <translation>整改要求</translation>
    </message>
    <message>
        <source>deadline</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <source>level</source>
        <translation>隐患等级</translation>
    </message>
    <message>
        <source>result</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>caption</source>
        <translation>照片说明</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>PDF</source>
        <translation>PDF 文件</translation>
    </message>
    <message>
        <source>document number</source>
        <translation>文书编号</translation>
    </message>
    <message>
        <source>void reason</source>
        <translation>作废原因</translation>
    </message>
    <message>
        <source>Edited on both sides</source>
        <translation>两边都修改过</translation>
    </message>
    <message>
        <source>Later edit has an earlier time (a clock is wrong)</source>
        <translation>较新的修改时间较早（电脑时钟不准）</translation>
    </message>
    <message>
        <source>Issued document cannot change</source>
        <translation>已出具的文书不可更改</translation>
    </message>
    <message>
        <source>Merge files from other computers</source>
        <translation>合并其他电脑的文件</translation>
    </message>
    <message>
        <source>Add the export files to merge. Nothing changes before you press Merge.</source>
        <translation>请添加要合并的导出文件。按“合并”之前不会做任何修改。</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Kept (ours newer)</source>
        <translation>本机较新保留</translation>
    </message>
    <message>
        <source>Same</source>
        <translation>相同</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>This computer&apos;s</source>
        <translation>本机的</translation>
    </message>
    <message>
        <source>The file&apos;s</source>
        <translation>导入文件的</translation>
    </message>
    <message>
        <source>Fields that differ</source>
        <translation>不同的字段</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>What each file brings</source>
        <translation>各文件带来的内容</translation>
    </message>
    <message>
        <source>Conflicts (the other version is kept for review)</source>
        <translation>冲突（另一版本已保存，待人工核对）</translation>
    </message>
    <message>
        <source>Checking the files…</source>
        <translation>正在校验文件…</translation>
    </message>
    <message>
        <source>Merging…</source>
        <translation>正在合并…</translation>
    </message>
    <message>
        <source>%1 to add, %2 to update, %3 conflict(s).</source>
        <translation>将新增 %1 条，更新 %2 条，冲突 %3 条。</translation>
    </message>
    <message>
        <source>%1 added, %2 updated, %3 conflict(s).</source>
        <translation>已新增 %1 条，更新 %2 条，冲突 %3 条。</translation>
    </message>
    <message>
        <source>Preview — nothing has been changed yet.</source>
        <translation>预览——尚未做任何修改。</translation>
    </message>
    <message>
        <source>Merge complete.</source>
        <translation>合并完成。</translation>
    </message>
    <message>
        <source>%1 duplicate photo(s) of the same finding become one.</source>
        <translation>同一隐患的 %1 张重复照片合并为一张。</translation>
    </message>
    <message>
        <source>Document numbers: %1 duplicate(s), %2 series with gaps.</source>
        <translation>文书编号：重复 %1 个，%2 个序列有缺号。</translation>
    </message>
    <message>
        <source>Backup before merging: %1</source>
        <translation>合并前的备份：%1</translation>
    </message>
    <message>
        <source>This merge can be undone: in Backups, select “Before a merge” and press Restore…</source>
        <translation>这次合并可以撤销：在“备份”窗口中选中“合并前”一行，点“恢复…”。</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>没有做任何修改。</translation>
    </message>
</context>
</TS>
