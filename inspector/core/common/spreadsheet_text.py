"""User data in spreadsheets is always text, never a formula (CSV and xlsx, every sheet).

``csv_text(value)`` turns a value into a CSV field that Excel, WPS and LibreOffice will not run:
a text starting with ``= + - @``, a tab or a carriage return gets a leading apostrophe (the OWASP
advice for CSV injection). ``spreadsheet_text(value)`` gives the text to put in an xlsx cell: the
characters XML forbids removed and the length capped at Excel's limit; the caller must write it as
a *string* cell (openpyxl: :func:`openpyxl_text_cell`; XlsxWriter: ``worksheet.write_string``),
because both libraries otherwise turn a text starting with ``=`` into a live formula.
"""

from __future__ import annotations

import re
from datetime import date, datetime

MAX_CELL = 32_000  # Excel's limit is 32,767 characters
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def spreadsheet_text(value) -> str:
    """The text of a cell: XML-safe and within Excel's length limit (write it as a string cell)."""
    text = _ILLEGAL_XML.sub("", "" if value is None else str(value))
    return text if len(text) <= MAX_CELL else text[:MAX_CELL] + "…"


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_text(value) -> str:
    """A CSV field that no spreadsheet evaluates; numbers and dates stay as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    text = spreadsheet_text(value)
    return "'" + text if looks_like_formula(text) else text


def openpyxl_text_cell(sheet, value, **style):
    """An openpyxl write-only cell that holds ``value`` as text whatever it starts with."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=spreadsheet_text(value))
    cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell
