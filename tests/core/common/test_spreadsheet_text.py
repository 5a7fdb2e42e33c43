"""User data in spreadsheets is text, never a formula."""

from __future__ import annotations

from datetime import date

import pytest

from inspector.core.common.spreadsheet_text import (
    csv_text,
    openpyxl_text_cell,
    spreadsheet_text,
)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+A1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")'])
def test_csv_neutralises_every_formula_start(text):
    assert csv_text(text) == "'" + text


def test_csv_keeps_numbers_dates_and_ordinary_text():
    assert csv_text(-3) == "-3" and csv_text(date(2025, 3, 1)) == "2025-03-01" and csv_text(None) == ""
    assert csv_text("兴国县埠头纺织有限公司") == "兴国县埠头纺织有限公司"


def test_spreadsheet_text_removes_what_xml_forbids_and_caps_length():
    assert spreadsheet_text("a\x00b\x1fc\td") == "abc\td"
    assert len(spreadsheet_text("x" * 40_000)) == 32_001


def test_an_openpyxl_text_cell_is_a_string_even_for_a_formula():
    from openpyxl import Workbook

    sheet = Workbook(write_only=True).create_sheet()
    cell = openpyxl_text_cell(sheet, '=HYPERLINK("http://x","y")')
    assert cell.data_type == "s" and cell.value.startswith("=")
