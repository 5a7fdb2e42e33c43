<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>PhotoListModel</name>
    <message>
        <source>Photo %1</source>
        <translation>照片 %1</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>%1, %2 × %3 px, taken %4</source>
        <translation>%1，%2 × %3 像素，拍摄于 %4</translation>
    </message>
</context>
<context>
    <name>PhotoStrip</name>
    <message>
        <source>Caption of the selected photo</source>
        <translation>所选照片的说明</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>View large</source>
        <translation>查看大图</translation>
    </message>
    <message>
        <source>◀ Move left</source>
        <translation>◀ 左移</translation>
    </message>
    <message>
        <source>Move right ▶</source>
        <translation>右移 ▶</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Several files at once; you can also drop files here or paste with Ctrl+V</source>
        <translation>可一次选择多个文件；也可把文件拖到这里，或按 Ctrl+V 粘贴</translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Images (%1)</source>
        <translation>图片 (%1)</translation>
    </message>
    <message>
        <source>pasted image.png</source>
        <translation>粘贴的图片.png</translation>
    </message>
    <message>
        <source>The clipboard holds no image or image file.</source>
        <translation>剪贴板中没有图片或图片文件。</translation>
    </message>
    <message>
        <source>Photo deleted.</source>
        <translation>照片已删除。</translation>
    </message>
</context>
</TS>
