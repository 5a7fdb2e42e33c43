"""The 隐患排查治理台账 as .xlsx: XlsxWriter builds the workbook, the data rows are streamed by :mod:`.xlsx_rows`.

Sheet "隐患台账": a title row, a row with 填报单位 / 填报日期 / the filter, then a styled, frozen header
with filters, column widths, real dates, wrapped long texts, major hazards in red, landscape A4
printing with the header repeated. Sheet "照片附录": every photo of the listed hazards (file name,
time, SHA-256 of the original file). Every value that comes from user data is written as
an inline string: text is never a formula, whatever it starts with; characters XML forbids are removed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path

from inspector.core.common.spreadsheet_text import spreadsheet_text as clean_text  # XML-safe, Excel-sized
from inspector.core.reports.ledger import COLUMNS, HEADERS, LedgerFilter, LedgerRow
from inspector.core.reports.xlsx_rows import column_letters, row_xml, style_index

TITLE = "隐患排查治理台账"
HEADER_ROW = 3  # 1-based row of the column headers (row 1 the title, row 2 unit, date and scope)
PHOTO_HEADERS = ["隐患编号", "企业名称", "类别", "文件名", "拍摄时间", "原始文件SHA-256"]
PHOTO_WIDTHS = [20, 30, 8, 24, 17, 68]
HEADER_FILL = "#1F4E79"


def write_xlsx(rows: Sequence[LedgerRow], path: Path, flt: LedgerFilter, *, unit: str = "",
               on: date | None = None, progress: Callable[[int, int], None] | None = None) -> None:
    """Write ``rows`` to ``path`` (the caller provides a temporary path and moves it into place).

    XlsxWriter builds the package in memory with everything but the data rows (title, header, formats,
    filters, print set-up); :mod:`.xlsx_rows` streams the data rows into it (see there for why)."""
    import io

    import xlsxwriter

    from inspector.core.common.clock import local_today
    from inspector.core.reports.xlsx_rows import splice

    skeleton = io.BytesIO()
    workbook = xlsxwriter.Workbook(skeleton, {"in_memory": True, "strings_to_formulas": False,
                                              "strings_to_urls": False, "strings_to_numbers": False})
    workbook.set_properties({"title": f"{TITLE}（{flt.describe()}）", "author": unit or "Inspector",
                             "creator": "Inspector 兴国经开区安全生产检查"})
    formats = _Formats(workbook)
    photos = sum(len(row.photos) for row in rows)
    _ledger_sheet(workbook, len(rows), formats, _subtitle(unit, on or local_today(), flt))
    _photo_sheet(workbook, photos, formats)
    workbook.close()
    last_column = column_letters(len(HEADERS))[-1]
    splice(skeleton.getvalue(), path, {
        "xl/worksheets/sheet1.xml": (f"A1:{last_column}{HEADER_ROW + max(len(rows), 0)}",
                                     _ledger_rows(rows, formats, progress)),
        "xl/worksheets/sheet2.xml": (f"A1:F{1 + photos}", _photo_rows(rows, formats)),
    })


def _subtitle(unit: str, on: date, flt: LedgerFilter) -> str:
    return f"填报单位：{unit or '（未设置）'}　　填报日期：{on.year}年{on.month}月{on.day}日　　范围：{flt.describe()}"


class _Formats:
    def __init__(self, workbook):
        add = workbook.add_format
        self.title = add({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        self.subtitle = add({"font_size": 10, "valign": "vcenter"})
        self.header = add({"bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_FILL, "align": "center",
                           "valign": "vcenter", "text_wrap": True, "bottom": 1, "bottom_color": "#9E9E9E"})
        cell_formats = {"text": {"valign": "top"}, "wrap": {"text_wrap": True, "valign": "top"},
                        "major": {"font_color": "#C62828", "bold": True, "valign": "top"},
                        "date": {"num_format": "yyyy-mm-dd", "valign": "top"},
                        "moment": {"num_format": "yyyy-mm-dd hh:mm", "valign": "top"}}
        #: the style index of each data-cell format (the data rows are written by xlsx_rows)
        self.index = {name: style_index(add(properties)) for name, properties in cell_formats.items()}


def _prepare(sheet, widths: list[int], header_row: int) -> None:
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(header_row, 0)
    sheet.repeat_rows(header_row - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)


def _ledger_sheet(workbook, count: int, formats: _Formats, subtitle: str) -> None:
    """The sheet down to its header row; the data rows come from :func:`_ledger_rows`."""
    sheet = workbook.add_worksheet("隐患台账")
    _prepare(sheet, [width for _, _, width, _ in COLUMNS], HEADER_ROW)
    last = len(HEADERS) - 1
    sheet.merge_range(0, 0, 0, last, TITLE, formats.title)
    sheet.set_row(0, 30)
    sheet.merge_range(1, 0, 1, last, clean_text(subtitle), formats.subtitle)
    header = HEADER_ROW - 1
    sheet.write_row(header, 0, HEADERS, formats.header)
    sheet.autofilter(header, 0, header + max(count, 1), last)


def _ledger_rows(rows: Sequence[LedgerRow], formats: _Formats, progress) -> Iterator[str]:
    letters, style = column_letters(len(COLUMNS)), formats.index
    level_column = HEADERS.index("隐患等级")
    for done, row in enumerate(rows, start=1):
        major = row.level == "major"
        cells = []
        for column, (_, value, _, kind) in enumerate(COLUMNS):
            item = value(row)
            if item is None or item == "":
                continue
            if kind == "int":
                cells.append((column, "n", item, style["text"]))
            elif kind == "date":
                cells.append((column, "d", item, style["date"]))
            else:
                name = "major" if major and column == level_column else "wrap" if kind == "long" else "text"
                cells.append((column, "s", clean_text(str(item)), style[name]))
        yield row_xml(HEADER_ROW + done, cells, letters)
        if progress and done % 1000 == 0:
            progress(done, len(rows))


def _photo_sheet(workbook, count: int, formats: _Formats) -> None:
    sheet = workbook.add_worksheet("照片附录")
    _prepare(sheet, PHOTO_WIDTHS, 1)
    sheet.write_row(0, 0, PHOTO_HEADERS, formats.header)
    sheet.autofilter(0, 0, max(count, 1), len(PHOTO_HEADERS) - 1)


def _photo_rows(rows: Sequence[LedgerRow], formats: _Formats) -> Iterator[str]:
    letters, text, moment = column_letters(len(PHOTO_HEADERS)), formats.index["text"], formats.index["moment"]
    line = 1
    for row in rows:
        enterprise, number = clean_text(row.enterprise), clean_text(row.number)
        for photo in row.photos:
            line += 1
            cells = [(0, "s", number, text), (1, "s", enterprise, text),
                     (2, "s", "整改后" if photo.kind == "after" else "整改前", text)]
            if photo.name:
                cells.append((3, "s", clean_text(photo.name), text))
            if photo.captured_local:
                cells.append((4, "t", photo.captured_local, moment))
            cells.append((5, "s", photo.sha256, text))
            yield row_xml(line, cells, letters)
