"""Documents: the preview with issue/print/save, the 文书 tab listing every notice, and 文书设置 (templates, number blocks)."""
