"""Benchmark: the xlsx ledger (XlsxWriter, constant memory) against openpyxl write-only, same content.

Run:  .venv/bin/python benchmarks/bench_ledger_xlsx.py [--hazards N] [--runs K]

Builds N synthetic ledger rows (default 25,833, a full year of an office database, with 1.57
photos per hazard like the 10,000-inspection demo) in memory, then times, interleaved in this one
process, the median of K runs of:

  baseline  openpyxl ``Workbook(write_only=True)``: the same two sheets, title rows, header styles,
            widths, dates and text cells (the writer this project used before)
  ours      ``inspector.core.reports.ledger_xlsx.write_xlsx`` (XlsxWriter package + rows streamed by xlsx_rows)

Both files are read back with openpyxl and compared cell by cell (values and formula-free text).
Target (issue 15): ours at least 4x faster. Exits 1 when missed or when the contents differ.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

from inspector.core.reports.ledger import COLUMNS, HEADERS, LedgerFilter, LedgerPhoto, LedgerRow, clean_text  # noqa: E402
from inspector.core.reports.ledger_xlsx import (  # noqa: E402
    HEADER_ROW, PHOTO_HEADERS, PHOTO_WIDTHS, TITLE, _subtitle, write_xlsx,
)

TARGET = 4.0
TODAY = date(2026, 12, 1)


def synthetic_rows(count: int, seed: int = 3) -> list[LedgerRow]:
    rnd = random.Random(seed)
    rows = []
    for n in range(count):
        found = date(2026, 1, 1) + timedelta(days=rnd.randrange(330))
        row = LedgerRow(
            f"row-{n}", f"YH-{found:%Y%m%d}-{n:05d}", f"兴国县第{n % 700}号企业有限公司", f"91360731MA{n:08d}",
            "机械", "粉尘涉爆", found, "刘志强（36070001）、曾海燕（36070002）", "2号车间抛光工位", f"FC-{n % 20:02d}",
            "除尘系统未按规定泄爆，" * rnd.randrange(1, 4), rnd.choice(["general", "major"]),
            "《工贸企业重大事故隐患判定标准》第十一条（三）", "立即停止使用，按 GB 15577 设置泄爆装置。",
            found + timedelta(days=30), "张三", "（兴）应急责改〔2026〕12号", rnd.choice(["closed", "rectifying", "overdue"]),
            address="兴国经开区工业大道 8 号", method="专项检查", interim_measures="停产，设置警戒",
            responsible_phone="13800000000", remarks="" if n % 3 else "=A1 备注",
            process=["2026-03-01 刘志强 发现隐患", "2026-03-02 下达整改"],
        )
        for k in range(1 + (n % 7 < 4)):
            row.photos.append(LedgerPhoto(f"p{n}-{k}", "before" if k == 0 else "after", f"IMG_{n:05d}_{k}.jpg",
                                          "ab" * 32, datetime(2026, 3, 1, 10, 20), 2000, 1500))
        rows.append(row)
    return rows


def openpyxl_write_only(rows: list[LedgerRow], path: Path, flt: LedgerFilter, unit: str) -> None:
    """The baseline: what the ledger export did with openpyxl before (write-only mode): plain strings,
    a styled WriteOnlyCell only where a style or a formula-like start needs one."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    header_font, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E79")
    wrap, major_font = Alignment(wrap_text=True, vertical="top"), Font(color="C62828", bold=True)

    def text(sheet, value, **style):
        if not style and not str(value).startswith(("=", "+", "-", "@")):
            return value  # a plain str is a text cell unless openpyxl takes it for a formula
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        for name, item in style.items():
            setattr(cell, name, item)
        return cell

    def styled_header(sheet, titles):
        return [text(sheet, t, font=header_font, fill=fill) for t in titles]

    sheet = workbook.create_sheet("隐患台账")
    for index, (_, _, width, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.append([text(sheet, TITLE)])
    sheet.append([text(sheet, clean_text(_subtitle(unit, TODAY, flt)))])
    sheet.append(styled_header(sheet, HEADERS))
    for row in rows:
        cells = []
        for header, value, _, kind in COLUMNS:
            item = value(row)
            if item is None or item == "":
                cells.append(None)
            elif kind == "int":
                cells.append(item)
            elif kind == "date":
                cells.append(datetime(item.year, item.month, item.day))
            else:
                style = {"font": major_font} if header == "隐患等级" and row.level == "major" else (
                    {"alignment": wrap} if kind == "long" else {})
                cells.append(text(sheet, clean_text(str(item)), **style))
        sheet.append(cells)
    photos = workbook.create_sheet("照片附录")
    for index, width in enumerate(PHOTO_WIDTHS, start=1):
        photos.column_dimensions[get_column_letter(index)].width = width
    photos.append(styled_header(photos, PHOTO_HEADERS))
    for row in rows:
        for photo in row.photos:
            photos.append([text(photos, row.number), text(photos, row.enterprise),
                           text(photos, "整改后" if photo.kind == "after" else "整改前"), text(photos, photo.name),
                           photo.captured_local, text(photos, photo.sha256)])
    workbook.save(path)


def contents(path: Path) -> dict[str, list[tuple]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        return {sheet.title: [_trimmed(row) for row in sheet.iter_rows(values_only=True)]
                for sheet in workbook.worksheets}
    finally:
        workbook.close()


def _trimmed(row: tuple) -> tuple:
    """A row without trailing empty cells (a merged title row reads back padded in one file, not the other)."""
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def build_parser() -> argparse.ArgumentParser:
    parser = benchlib.parser(__doc__)
    parser.add_argument("--hazards", type=int, default=25_833)
    parser.add_argument("--runs", type=int, default=3)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.quick:
        args.hazards = min(args.hazards, 5_000)
    rows, flt, unit = synthetic_rows(args.hazards), LedgerFilter(), "兴国县应急管理局"
    photos = sum(len(r.photos) for r in rows)
    with tempfile.TemporaryDirectory(prefix="bench-xlsx-") as folder:
        ours_path, base_path = Path(folder) / "ours.xlsx", Path(folder) / "openpyxl.xlsx"
        jobs = [lambda: openpyxl_write_only(rows, base_path, flt, unit),
                lambda: write_xlsx(rows, ours_path, flt, unit=unit, on=TODAY)]
        times: list[list[float]] = [[], []]
        for _ in range(args.runs):
            for job, samples in zip(jobs, times):
                start = time.perf_counter()
                job()
                samples.append(time.perf_counter() - start)
        base, ours = (statistics.median(t) for t in times)
        same = contents(base_path) == contents(ours_path)
    ratio = base / ours
    print(f"xlsx ledger, {len(rows):,} hazards + {photos:,} photo rows, median of {args.runs}, same process")
    print(f"  openpyxl write-only   {base:7.2f} s")
    print(f"  ours (streamed rows) {ours:7.2f} s   {ratio:5.2f}x faster (target >= {TARGET:.0f}x)")
    print(f"  same cell values: {'yes' if same else 'NO'}")
    benchlib.result(f"xlsx ledger, {len(rows):,} hazards + photo sheet vs openpyxl write-only", ours, base,
                    min_speedup=TARGET, note="same cell values" if same else "CONTENTS DIFFER")
    return 0 if same and ratio >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
