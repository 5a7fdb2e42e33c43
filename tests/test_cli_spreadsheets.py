"""Issue 11 case 4: spreadsheet cells from user data are always text, never formulas, in every sheet
of the ledger workbook and in the CSV (a leading tab or carriage return included)."""

from __future__ import annotations

import csv
import sqlite3

from inspector.cli import main

FORMULA = '=HYPERLINK("http://example.invalid/steal","点此查看")'


def poison(data_dir) -> None:
    """Enterprise names that start a formula: half with ``=HYPERLINK``, half with a tab then ``-1+``."""
    connection = sqlite3.connect(data_dir / "inspector.db")
    with connection:
        connection.execute("UPDATE enterprise SET name = CASE WHEN rowid % 2 THEN ? || name "
                           "ELSE char(9) || '-1+' || name END", (FORMULA,))
    connection.close()


def test_no_sheet_of_the_ledger_holds_a_formula(capsys, demo_dir, tmp_path):
    from openpyxl import load_workbook

    poison(demo_dir)
    out = tmp_path / "ledger.xlsx"
    assert main(["--data-dir", str(demo_dir), "ledger", "--out", str(out)]) == 0
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["隐患台账", "照片附录"]
    for sheet in workbook.worksheets:
        seen = 0
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                seen += isinstance(cell.value, str) and cell.value.startswith(("=HYPERLINK", "\t-1+"))
        assert seen > 0, sheet.title  # the poisoned names are there, as text


def test_csv_fields_never_start_a_formula(capsys, demo_dir, tmp_path):
    poison(demo_dir)
    out = tmp_path / "ledger.csv"
    assert main(["--data-dir", str(demo_dir), "ledger", "--out", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    fields = [field for row in rows[1:] for field in row]
    assert any(field.startswith("'=HYPERLINK") for field in fields) and any(f.startswith("'\t-1+") for f in fields)
    assert not any(field.startswith(("=", "+", "@", "\t", "\r")) for field in fields)
