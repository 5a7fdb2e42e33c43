"""``inspector analysis`` end to end on the office's PostgreSQL server and on the laptop's SQLite file:
JSON figures, the PDF report, closing a month (once), and a closed month printed as stored."""

from __future__ import annotations

import json
from datetime import date

from tests.core.reports.test_analysis import _at, _build
from tests.pg.office_cli import office, run  # noqa: F401


def test_analysis_json_pdf_and_closing_a_month(office, capsys, tmp_path):
    options, db = office
    _build(db)
    code, out, err = run(capsys, *options, "analysis", "--month", "2025-03", "--json")
    assert code == 0, err
    figures = json.loads(out)
    assert (figures["found"], figures["found_major"], figures["closed"], figures["cumulative_found"]) == (3, 1, 1, 4)
    assert figures["repeats"][0]["name"] == "兴国县甲冷链有限公司" and figures["activity"]["escalated"] == 1
    report = tmp_path / "研判.pdf"
    code, out, err = run(capsys, *options, "analysis", "--month", "2025-03", "--out", str(report),
                         "--number", "兴经开安析〔2025〕3号")
    assert code == 0 and report.read_bytes().startswith(b"%PDF") and "已生成2025年3月" in out
    code, out, err = run(capsys, *options, "analysis", "--month", "2025-03", "--close", "--by", "钟主任")
    assert code == 0 and "已关账" in out, err
    code, out, err = run(capsys, *options, "analysis", "--month", "2025-03", "--close", "--by", "钟主任")
    assert code != 0 and err.startswith("错误：") and "已经关账" in err and "Traceback" not in err


def test_a_closed_month_prints_what_was_stored_with_a_warning(office, capsys):
    from sqlmodel import select

    from inspector.db.models import Finding

    options, db = office
    _build(db)
    assert run(capsys, *options, "analysis", "--month", "2025-03", "--close", "--by", "钟主任")[0] == 0
    with db.session() as session:  # a late 销号 of a March hazard, after the closing
        finding = session.exec(select(Finding).where(Finding.item_id == "RQ-01")).one()
        finding.closed_at, finding.status = _at(date(2025, 3, 30)), "closed"
    code, out, err = run(capsys, *options, "analysis", "--month", "2025-03", "--json")
    assert code == 0 and json.loads(out)["closed"] == 1 and "关账后发生数据变化" in err and "销号 1→2" in err


def test_a_month_not_yet_over_cannot_be_closed(office, capsys):
    from inspector.core.common.clock import local_today

    options, _ = office
    this_month = local_today().strftime("%Y-%m")
    code, _, err = run(capsys, *options, "analysis", "--month", this_month, "--close", "--by", "钟主任")
    assert code != 0 and "尚未结束" in err and "Traceback" not in err
