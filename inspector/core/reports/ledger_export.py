"""Write the 隐患台账 as .xlsx (openpyxl, write-only: fast and small) or .csv (UTF-8 with BOM).

The workbook has a styled, frozen header row with filters, column widths, real dates,
wrapped long texts, landscape A4 printing with the header repeated, and a second sheet
"照片附录" listing every photo of the listed hazards (file name, time, size, SHA-256 of the
original file). Text that looks like a formula is stored as text, and characters XML
forbids are removed, so the file opens cleanly in Excel and WPS.
"""

from __future__ import annotations

import csv
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from inspector.core.common.spreadsheet_text import MAX_CELL, csv_text, openpyxl_text_cell, spreadsheet_text  # noqa: F401
from inspector.core.reports.ledger import COLUMNS, HEADERS, LedgerFilter, LedgerRow, ledger_rows
from inspector.errors import UserError

if TYPE_CHECKING:
    from inspector.db.database import Database

FORMATS = (".xlsx", ".csv")
PHOTO_HEADERS = ["隐患编号", "企业名称", "类别", "文件名", "拍摄时间", "原始文件SHA-256"]
PHOTO_WIDTHS = [20, 30, 8, 24, 17, 68]
HEADER_FILL = "1F4E79"


def export_ledger(db: "Database", path: str | os.PathLike, flt: LedgerFilter | None = None, *,
                  today: date | None = None, progress: Callable[[int, int], None] | None = None) -> int:
    """Read and write the ledger to ``path`` (.xlsx or .csv by suffix); returns the number of rows."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(f"台账文件须以 .xlsx 或 .csv 结尾：{target.name}")
    rows = ledger_rows(db, flt, today=today)
    if suffix == ".xlsx":
        write_xlsx(rows, target, flt or LedgerFilter(), progress=progress)
    else:
        write_csv(rows, target)
    return len(rows)


def clean_text(value: str) -> str:
    return spreadsheet_text(value)


# --- CSV ------------------------------------------------------------------------------------

def write_csv(rows: Sequence[LedgerRow], path: Path) -> None:
    """UTF-8 with BOM (Excel then reads Chinese correctly), CRLF, dates as YYYY-MM-DD."""
    with replacing_file(path) as temporary:
        with open(temporary, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(HEADERS)
            for row in rows:
                writer.writerow([_csv_value(value(row)) for _, value, _, _ in COLUMNS])


def _csv_value(value) -> str:
    return csv_text(value)  # no formula injection


# --- xlsx -----------------------------------------------------------------------------------

def write_xlsx(rows: Sequence[LedgerRow], path: Path, flt: LedgerFilter,
               progress: Callable[[int, int], None] | None = None) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    workbook.properties.creator = "Inspector 兴国经开区安全生产检查"
    workbook.properties.title = f"隐患台账（{flt.describe()}）"
    styles = _Styles()
    _ledger_sheet(workbook, rows, styles, progress)
    _photo_sheet(workbook, rows, styles)
    with replacing_file(path) as temporary:
        workbook.save(temporary)


class _Styles:
    def __init__(self):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="9E9E9E")
        self.header_font = Font(bold=True, color="FFFFFF")
        self.header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.border = Border(bottom=thin)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.major = Font(color="C62828", bold=True)


def _prepare(sheet, headers: list[str], widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _header(sheet, headers: list[str], styles: _Styles) -> list:
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.fill, cell.alignment, cell.border = (styles.header_font, styles.header_fill,
                                                             styles.header_align, styles.border)
        cells.append(cell)
    return cells


def _ledger_sheet(workbook, rows: Sequence[LedgerRow], styles: _Styles, progress) -> None:
    sheet = workbook.create_sheet("隐患台账")
    _prepare(sheet, HEADERS, [width for _, _, width, _ in COLUMNS])
    sheet.auto_filter.ref = f"A1:{_last_column(len(HEADERS))}{len(rows) + 1}"
    sheet.append(_header(sheet, HEADERS, styles))
    for done, row in enumerate(rows, start=1):
        sheet.append([_cell(sheet, value(row), kind, styles, header == "隐患等级" and row.level == "major")
                      for header, value, _, kind in COLUMNS])
        if progress and done % 1000 == 0:
            progress(done, len(rows))


def _last_column(count: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(count)


def _cell(sheet, value, kind: str, styles: _Styles, major: bool):
    from openpyxl.cell import WriteOnlyCell

    if value is None or value == "":
        return None
    if kind in ("int", "date"):
        return value  # openpyxl gives a date the number format yyyy-mm-dd: a real date in Excel
    text = clean_text(str(value))
    if kind != "long" and not major and not text.startswith("="):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if kind == "long":
        cell.alignment = styles.wrap
    if major:
        cell.font = styles.major
    return cell


def _photo_sheet(workbook, rows: Sequence[LedgerRow], styles: _Styles) -> None:
    sheet = workbook.create_sheet("照片附录")
    _prepare(sheet, PHOTO_HEADERS, PHOTO_WIDTHS)
    sheet.append(_header(sheet, PHOTO_HEADERS, styles))
    for row in rows:
        for photo in row.photos:  # every cell from user data is a text cell: never a formula
            sheet.append([openpyxl_text_cell(sheet, row.number), openpyxl_text_cell(sheet, row.enterprise),
                          "整改后" if photo.kind == "after" else "整改前",
                          openpyxl_text_cell(sheet, photo.name) if photo.name else None,
                          photo.captured_local, openpyxl_text_cell(sheet, photo.sha256)])


def replacing_file(path: Path):
    """A temporary path beside ``path``, moved into place only when complete (callers asked for consent).

    A thin name for :func:`inspector.core.common.outputs.output_path`: the database, settings and
    backups of any data directory are refused; the file and the rename are fsynced.
    """
    from inspector.core.common.outputs import output_path

    return output_path(path, force=True)
