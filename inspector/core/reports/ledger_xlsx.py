"""The 隐患排查治理台账 as .xlsx, written by XlsxWriter in constant-memory mode (rows streamed to disk).

Sheet "隐患台账": a title row, a row with 填报单位 / 填报日期 / the filter, then a styled, frozen header
with filters, column widths, real dates, wrapped long texts, major hazards in red, landscape A4
printing with the header repeated. Sheet "照片附录": every photo of the listed hazards (file name,
time, SHA-256 of the original file). Every value that comes from user data is written with
``write_string``: text is never a formula, whatever it starts with; characters XML forbids are removed.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Callable, Sequence

from inspector.core.reports.ledger import COLUMNS, HEADERS, LedgerFilter, LedgerRow, clean_text

TITLE = "隐患排查治理台账"
HEADER_ROW = 3  # 1-based row of the column headers (row 1 the title, row 2 unit, date and scope)
PHOTO_HEADERS = ["隐患编号", "企业名称", "类别", "文件名", "拍摄时间", "原始文件SHA-256"]
PHOTO_WIDTHS = [20, 30, 8, 24, 17, 68]
HEADER_FILL = "#1F4E79"


def write_xlsx(rows: Sequence[LedgerRow], path: Path, flt: LedgerFilter, *, unit: str = "",
               on: date | None = None, progress: Callable[[int, int], None] | None = None) -> None:
    """Write ``rows`` to ``path`` (the caller provides a temporary path and moves it into place)."""
    import xlsxwriter
    import xlsxwriter.exceptions

    from inspector.core.common.clock import local_today

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_urls": False, "strings_to_numbers": False})
    workbook.set_properties({"title": f"{TITLE}（{flt.describe()}）", "author": unit or "Inspector",
                             "creator": "Inspector 兴国经开区安全生产检查"})
    formats = _Formats(workbook)
    _ledger_sheet(workbook, rows, formats, _subtitle(unit, on or local_today(), flt), progress)
    _photo_sheet(workbook, rows, formats)
    try:
        workbook.close()
    except xlsxwriter.exceptions.FileCreateError as exc:  # wraps the OSError (full disk, pulled stick...)
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc.__context__
        if isinstance(cause, OSError):
            raise cause from None
        raise


def _subtitle(unit: str, on: date, flt: LedgerFilter) -> str:
    return f"填报单位：{unit or '（未设置）'}　　填报日期：{on.year}年{on.month}月{on.day}日　　范围：{flt.describe()}"


class _Formats:
    def __init__(self, workbook):
        add = workbook.add_format
        self.title = add({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        self.subtitle = add({"font_size": 10, "valign": "vcenter"})
        self.header = add({"bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_FILL, "align": "center",
                           "valign": "vcenter", "text_wrap": True, "bottom": 1, "bottom_color": "#9E9E9E"})
        self.text = add({"valign": "top"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.major = add({"font_color": "#C62828", "bold": True, "valign": "top"})
        self.date = add({"num_format": "yyyy-mm-dd", "valign": "top"})
        self.moment = add({"num_format": "yyyy-mm-dd hh:mm", "valign": "top"})


def _prepare(sheet, widths: list[int], header_row: int) -> None:
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(header_row, 0)
    sheet.repeat_rows(header_row - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)


def _ledger_sheet(workbook, rows: Sequence[LedgerRow], formats: _Formats, subtitle: str, progress) -> None:
    sheet = workbook.add_worksheet("隐患台账")
    _prepare(sheet, [width for _, _, width, _ in COLUMNS], HEADER_ROW)
    last = len(HEADERS) - 1
    sheet.merge_range(0, 0, 0, last, TITLE, formats.title)
    sheet.set_row(0, 30)
    sheet.merge_range(1, 0, 1, last, clean_text(subtitle), formats.subtitle)
    header = HEADER_ROW - 1
    sheet.write_row(header, 0, HEADERS, formats.header)
    sheet.autofilter(header, 0, header + max(len(rows), 1), last)
    level_column = HEADERS.index("隐患等级")
    for done, row in enumerate(rows, start=1):
        major = row.level == "major"
        for column, (_, value, _, kind) in enumerate(COLUMNS):
            _write(sheet, header + done, column, value(row), kind, formats, major and column == level_column)
        if progress and done % 1000 == 0:
            progress(done, len(rows))


def _write(sheet, row: int, column: int, value, kind: str, formats: _Formats, major: bool) -> None:
    if value is None or value == "":
        return
    if kind == "int":
        sheet.write_number(row, column, value, formats.text)
    elif kind == "date":
        sheet.write_datetime(row, column, datetime(value.year, value.month, value.day), formats.date)
    else:
        cell_format = formats.major if major else formats.wrap if kind == "long" else formats.text
        sheet.write_string(row, column, clean_text(str(value)), cell_format)


def _photo_sheet(workbook, rows: Sequence[LedgerRow], formats: _Formats) -> None:
    sheet = workbook.add_worksheet("照片附录")
    _prepare(sheet, PHOTO_WIDTHS, 1)
    sheet.write_row(0, 0, PHOTO_HEADERS, formats.header)
    line = 0
    for row in rows:
        enterprise, number = clean_text(row.enterprise), clean_text(row.number)
        for photo in row.photos:
            line += 1
            sheet.write_string(line, 0, number, formats.text)
            sheet.write_string(line, 1, enterprise, formats.text)
            sheet.write_string(line, 2, "整改后" if photo.kind == "after" else "整改前", formats.text)
            if photo.name:
                sheet.write_string(line, 3, clean_text(photo.name), formats.text)
            if photo.captured_local:
                sheet.write_datetime(line, 4, photo.captured_local, formats.moment)
            sheet.write_string(line, 5, photo.sha256, formats.text)
    sheet.autofilter(0, 0, max(line, 1), len(PHOTO_HEADERS) - 1)
