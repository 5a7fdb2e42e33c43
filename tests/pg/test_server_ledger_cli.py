"""``inspector ledger`` end to end on the office's PostgreSQL server and on the laptop's SQLite file:
the xlsx and csv ledgers with filters, and bad filter values refused in one line."""

from __future__ import annotations

import csv

import pytest

from tests.pg.office_cli import office, run  # noqa: F401


def test_ledger_xlsx_and_csv_with_filters(office, capsys, tmp_path):
    from openpyxl import load_workbook

    from inspector.core.reports.ledger import HEADERS
    from inspector.core.reports.ledger_xlsx import HEADER_ROW
    from tests.loop_helpers import make_site

    options, db = office
    make_site(db, hazards=3)
    make_site(db, hazards=2, name="兴国县测试燃气有限公司", industry="燃气（餐饮/瓶装液化石油气）")
    out = tmp_path / "台账.xlsx"
    code, stdout, err = run(capsys, *options, "ledger", "--out", str(out))
    assert code == 0 and "已导出隐患台账 5 条" in stdout, err
    sheet = load_workbook(out)["隐患台账"]
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert len(rows) == 5 and [cell.value for cell in sheet[HEADER_ROW]] == HEADERS
    names = {row[HEADERS.index("企业名称")] for row in rows}
    assert names == {"兴国县测试冷链有限公司", "兴国县测试燃气有限公司"}
    assert all(row[HEADERS.index("检查人员（执法证号）")] == "刘志强（36070001）、曾海燕（36070002）" for row in rows)
    csv_out = tmp_path / "台账.csv"
    code, stdout, err = run(capsys, *options, "ledger", "--out", str(csv_out), "--sector", "cold_storage",
                            "--status", "已销号")
    assert code == 0 and "已导出隐患台账 0 条" in stdout, err
    code, stdout, err = run(capsys, *options, "ledger", "--out", str(csv_out), "--sector", "cold_storage",
                            "--status", "逾期", "--force")  # found 10 days ago, 7 days to rectify
    with open(csv_out, encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert code == 0 and len(table) == 1 + 3, err
    assert {(line[HEADERS.index("行业")], line[HEADERS.index("状态")][:2]) for line in table[1:]} == {("冷库/涉氨制冷", "逾期")}


@pytest.mark.parametrize("argv, message", [
    (["--sector", "养鱼"], "未知的行业“养鱼”"),
    (["--status", "finished"], "未知的隐患状态“finished”"),
    (["--from", "2025-03-02", "--to", "2025-03-01"], "晚于"),
])
def test_bad_filters_are_one_line(office, capsys, tmp_path, argv, message):
    options, _ = office
    code, _, err = run(capsys, *options, "ledger", "--out", str(tmp_path / "x.xlsx"), *argv)
    assert code != 0 and err.startswith("错误：") and message in err and "Traceback" not in err
    assert not (tmp_path / "x.xlsx").exists()
