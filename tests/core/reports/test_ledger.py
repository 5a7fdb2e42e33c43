"""隐患台账: the demo's ledger opens with openpyxl, one row per hazard, §5 columns, real dates; CSV; filters."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date, datetime

import pytest

from inspector.core.reports.ledger import HEADERS, LedgerFilter, ledger_rows, make_filter
from inspector.core.reports.ledger_export import export_ledger
from inspector.core.reports.ledger_xlsx import HEADER_ROW
from inspector.errors import UserError

REQUIRED = ["企业名称", "统一社会信用代码", "企业地址", "行业", "所属专项", "检查日期", "检查方式", "检查人员（执法证号）",
            "隐患部位", "隐患描述", "隐患等级", "判定依据", "整改要求", "整改期限", "临时管控措施", "治理方案", "治理资金",
            "整改责任人及联系电话", "下达文书编号", "状态", "复查日期", "复查人", "复查结论", "复查文书编号", "销号日期",
            "销号人", "挂牌督办", "处罚/立案", "备注"]  # reference §5.2


def _hazard_count(data_dir) -> int:
    connection = sqlite3.connect(data_dir / "inspector.db")
    try:
        return connection.execute("SELECT count(*) FROM finding WHERE result = 'fail' AND deleted_at IS NULL").fetchone()[0]
    finally:
        connection.close()


def test_demo_ledger_opens_with_openpyxl_one_row_per_hazard(demo_services, demo_dir, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "台账.xlsx"
    count = export_ledger(demo_services.db, path)
    hazards = _hazard_count(demo_dir)
    assert count == hazards > 0
    workbook = load_workbook(path)
    sheet = workbook["隐患台账"]
    assert sheet["A1"].value == "隐患排查治理台账" and sheet["A2"].value.startswith("填报单位：")
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header == HEADERS and all(column in header for column in REQUIRED)
    assert sheet.max_row == hazards + HEADER_ROW and sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    ids = {row[header.index("隐患编号")] for row in rows}
    assert len(ids) == hazards  # one row per hazard
    column = {name: header.index(name) for name in header}
    assert all(isinstance(row[column["检查日期"]], datetime) for row in rows)  # real dates, not text
    assert all(row[column["统一社会信用代码"]] and len(row[column["统一社会信用代码"]]) == 18 for row in rows)
    statuses = {row[column["状态"]] for row in rows}
    assert {"已销号", "移交执法"} <= statuses and any(s.startswith(("整改中", "逾期", "待复查", "待整改")) for s in statuses)
    closed = [row for row in rows if row[column["状态"]] == "已销号"]
    assert all(isinstance(row[column["销号日期"]], datetime) and row[column["复查结论"]] == "合格（已整改）"
               and row[column["整改后照片"]] >= 1 for row in closed)
    photos = workbook["照片附录"]
    assert photos.max_row - 1 == sum((row[column["整改前照片"]] or 0) + (row[column["整改后照片"]] or 0) for row in rows)
    assert all(len(row[5]) == 64 for row in photos.iter_rows(min_row=2, values_only=True))


def test_csv_has_a_bom_the_same_rows_and_no_formulas(demo_services, tmp_path):
    path = tmp_path / "ledger.csv"
    count = export_ledger(demo_services.db, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == HEADERS and len(rows) == count + 1
    assert all(not cell.startswith("=") for row in rows for cell in row)


def test_filters_by_status_sector_and_dates(demo_services):
    from inspector.core.common.clock import local_today

    db = demo_services.db
    every = ledger_rows(db, with_photos=False)
    closed = ledger_rows(db, make_filter(db, status="已销号"), with_photos=False)
    assert closed and {r.status for r in closed} == {"closed"}
    overdue = ledger_rows(db, make_filter(db, status="逾期"), with_photos=False)
    assert all(r.deadline < local_today() and r.status == "overdue" for r in overdue)
    sector = every[0].industry
    in_sector = ledger_rows(db, make_filter(db, sector=sector), with_photos=False)
    assert in_sector and {r.industry for r in in_sector} == {sector}
    day = every[len(every) // 2].found_on
    window = ledger_rows(db, make_filter(db, date_from=day, date_to=day), with_photos=False)
    assert window and {r.found_on for r in window} == {day}
    assert len(window) == sum(r.found_on == day for r in every)


def test_sector_codes_are_accepted_and_bad_values_explained(demo_services):
    db = demo_services.db
    assert make_filter(db, sector="cold_storage").sector == "冷库/涉氨制冷"
    with pytest.raises(UserError, match="未知的行业"):
        make_filter(db, sector="养鱼")
    with pytest.raises(UserError, match="未知的隐患状态"):
        make_filter(db, status="done")
    with pytest.raises(UserError, match="晚于"):
        make_filter(db, date_from=date(2025, 3, 2), date_to=date(2025, 3, 1))


def test_text_that_looks_like_a_formula_stays_text(services, tmp_path):
    from openpyxl import load_workbook

    from inspector.db.models import Finding
    from tests.loop_helpers import make_site

    site = make_site(services.db, hazards=1)
    with services.db.session() as session:
        finding = session.get(Finding, site.finding_ids[0])
        finding.description = "=HYPERLINK(\"http://x\")\x07 隐患"
        session.add(finding)
    path = tmp_path / "x.xlsx"
    export_ledger(services.db, path)
    cell = load_workbook(path)["隐患台账"].cell(row=HEADER_ROW + 1, column=HEADERS.index("隐患描述") + 1)
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\") 隐患"


def test_no_user_text_becomes_a_formula_in_any_sheet(services, tmp_path):
    """An enterprise named like a formula, with a photo: the 照片附录 sheet wrote it as a live formula."""
    from openpyxl import load_workbook

    from inspector.db.models import Enterprise, Finding
    from tests.loop_helpers import make_site

    site = make_site(services.db, hazards=1, photos=True)
    with services.db.session() as session:
        enterprise = session.get(Enterprise, site.enterprise_id)
        enterprise.name = '=HYPERLINK("http://evil.example","点击")'
        enterprise.address = "+1 街道"
        finding = session.get(Finding, site.finding_ids[0])
        finding.location, finding.remarks = "@SUM(A1)", "\t=1+1"
        session.add_all([enterprise, finding])
    path = tmp_path / "x.xlsx"
    export_ledger(services.db, path)
    workbook = load_workbook(path)
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert workbook["照片附录"].max_row >= 2
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert any(cell.value == '=HYPERLINK("http://evil.example","点击")' and cell.data_type == "s" for cell in cells)
    csv_path = tmp_path / "x.csv"
    export_ledger(services.db, csv_path)
    text = csv_path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1 街道" in text and "'@SUM" in text and "'\t=1+1" in text


def test_refuses_other_suffixes(services, tmp_path):
    with pytest.raises(UserError, match=".xlsx"):
        export_ledger(services.db, tmp_path / "ledger.txt")


def test_filter_description():
    assert LedgerFilter().describe() == "全部隐患"
    text = LedgerFilter(date(2025, 3, 1), date(2025, 3, 31), "粉尘涉爆", "overdue").describe()
    assert "2025-03-01" in text and "粉尘涉爆" in text and "逾期" in text
