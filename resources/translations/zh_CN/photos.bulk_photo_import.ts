<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BulkPhotoImportDialog</name>
    <message>
        <source>Import photos from a folder</source>
        <translation>从文件夹导入照片</translation>
    </message>
    <message>
        <source>Choose the folder of a phone or SD card (DCIM).</source>
        <translation>请选择手机或存储卡中的照片文件夹（DCIM）。</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>This inspection has no hazards yet: mark items as failed first.</source>
        <translation>本次检查还没有隐患：请先把相应检查项标为不合格。</translation>
    </message>
    <message>
        <source>Match within</source>
        <translation>时间容差</translation>
    </message>
    <message>
        <source>Folder of photos</source>
        <translation>照片文件夹</translation>
    </message>
    <message>
        <source>%1 photos found, %2 matched to a hazard, %3 unreadable.</source>
        <translation>共找到 %1 张照片，%2 张已匹配到隐患，%3 张无法读取。</translation>
    </message>
    <message>
        <source>Imported %1 photos.</source>
        <translation>已导入 %1 张照片。</translation>
    </message>
</context>
<context>
    <name>BulkPhotoModel</name>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>拍摄时间</translation>
    </message>
    <message>
        <source>Hazard</source>
        <translation>隐患</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>(do not import)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>choose a hazard by hand (double-click)</source>
        <translation>请手动选择隐患（双击）</translation>
    </message>
</context>
</TS>
