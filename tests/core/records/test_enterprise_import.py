"""Importing an office's enterprise list (xlsx, csv in UTF-8 / UTF-8 with BOM / GBK) with a rejection report."""

from __future__ import annotations

import random

import pytest

from inspector.cli import main
from inspector.core.records import credit_code
from inspector.core.records.enterprise_import import import_enterprises
from inspector.core.records.enterprises import create_enterprise, list_enterprises
from inspector.errors import UserError

RNG = random.Random(11)
CODES = [credit_code.generate(RNG) for _ in range(6)]
BAD_CODE = CODES[5][:-1] + ("0" if CODES[5][-1] != "0" else "1")

HEADER = ["序号", "企业名称", "统一社会信用代码", "地址", "行业", "法定代表人", "联系电话", "包保责任人"]
ROWS = [
    ["1", "兴国县赣南冷链物流有限公司", CODES[0], "平川大道1号", "冷库/涉氨制冷", "王伟", "13800000001", "刘洋"],
    ["2", "兴国县潋江餐饮管理有限公司", "", "兴国大道2号", "燃气", "李芳", "13800000002", "陈军"],
    ["3", "红都钢结构工程有限公司", BAD_CODE, "长冈路3号", "", "", "", ""],                  # bad check digit
    ["4", "", CODES[1], "将军大道4号", "", "", "", ""],                                        # missing name
    ["5", "鼎龙木业有限公司", CODES[0], "鼎龙路5号", "", "", "", ""],                           # code repeats row 1
    ["6", "兴国县潋江餐饮管理有限公司", CODES[2], "", "", "", "", ""],                         # name repeats row 2
    ["7", "已登记化工材料有限公司", CODES[3], "", "", "", "", ""],                             # name already in DB
    ["8", "崇贤纺织有限公司", CODES[4], "", "", "", "", ""],                                   # code already in DB
    ["", "", "", "", "", "", "", ""],                                                          # blank: ignored
    ["9", "高兴电子科技有限公司", "", "工业园三路9号", "电动自行车", "赵敏", "", ""],
]
EXPECTED_ACCEPTED = ["兴国县赣南冷链物流有限公司", "兴国县潋江餐饮管理有限公司", "高兴电子科技有限公司"]


@pytest.fixture
def db(services):
    db = services.db
    create_enterprise(db, name="已登记化工材料有限公司")
    create_enterprise(db, name="早已登记的公司", credit_code=CODES[4])
    return db


def write_csv(path, rows, encoding="utf-8", delimiter=","):
    text = "\n".join(delimiter.join(row) for row in rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path, rows, title_rows=()):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in [*title_rows, *rows]:
        sheet.append(row)
    workbook.save(path)
    return path


def check_report(report, shift=0):
    """Rows as a spreadsheet numbers them: the header is line 1 (+ ``shift`` title rows)."""
    assert [row.name for row in report.accepted] == EXPECTED_ACCEPTED
    reasons = {r.line - shift: r.reason for r in report.rejected}
    assert set(reasons) == {4, 5, 6, 7, 8, 9}
    assert "校验位" in reasons[4]
    assert reasons[5] == "缺少企业名称"
    assert "信用代码重复" in reasons[6] and f"第 {2 + shift} 行" in reasons[6]
    assert "名称重复" in reasons[7] and f"第 {3 + shift} 行" in reasons[7]
    assert reasons[8] == "企业已登记"
    assert "信用代码重复" in reasons[9] and "早已登记的公司" in reasons[9]
    assert str(report.rejected[0]) == f"第 {4 + shift} 行（红都钢结构工程有限公司）：{reasons[4]}"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_each_encoding(db, tmp_path, encoding):
    path = write_csv(tmp_path / "企业名单.csv", [HEADER, *ROWS], encoding)
    report = import_enterprises(db, path)
    check_report(report)
    stored = {e.name: e for e in list_enterprises(db)}
    assert set(EXPECTED_ACCEPTED) <= set(stored) and len(stored) == 2 + 3
    cold = stored["兴国县赣南冷链物流有限公司"]
    assert (cold.credit_code, cold.address, cold.industry, cold.legal_representative, cold.contact_phone, cold.liaison) == (
        CODES[0], "平川大道1号", "冷库/涉氨制冷", "王伟", "13800000001", "刘洋")
    assert cold.name_initials == "xgxgnllwlyxgs" and cold.device_id == db.device_id
    assert stored["兴国县潋江餐饮管理有限公司"].credit_code is None


def test_xlsx_with_a_title_row_and_numbers_as_cells(db, tmp_path):
    rows = [list(row) for row in ROWS]
    rows[0][6] = 13800000001  # a phone number typed as a number
    path = write_xlsx(tmp_path / "名单.xlsx", [HEADER, *rows], title_rows=[["兴国经开区企业名单（2025）"]])
    report = import_enterprises(db, path)
    check_report(report, shift=1)
    cold = next(e for e in list_enterprises(db) if e.credit_code == CODES[0])
    assert cold.contact_phone == "13800000001"


def test_columns_in_another_order_with_负责人_and_tabs(db, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["负责人", "企业名称", "地址"], ["孙强", "杰村粮油加工有限公司", "杰村乡"]],
                     delimiter="\t")
    report = import_enterprises(db, path)
    assert report.rejected == [] and len(report.accepted) == 1
    imported = next(e for e in list_enterprises(db) if e.name == "杰村粮油加工有限公司")
    assert imported.legal_representative == "孙强" and imported.address == "杰村乡"


def test_dry_run_reports_and_writes_nothing(db, tmp_path):
    path = write_csv(tmp_path / "x.csv", [HEADER, *ROWS])
    report = import_enterprises(db, path, dry_run=True)
    assert len(report.accepted) == 3 and len(report.rejected) == 6 and not report.written
    assert report.summary() == "可导入 3 家企业，拒绝 6 行。"
    assert len(list_enterprises(db)) == 2


def test_importing_the_same_file_twice_rejects_every_row(db, tmp_path):
    path = write_csv(tmp_path / "x.csv", [HEADER, *ROWS])
    import_enterprises(db, path)
    again = import_enterprises(db, path)
    assert again.accepted == [] and len(again.rejected) == 9


@pytest.mark.parametrize("content, suffix, message", [
    (b"PK\x03\x04 this is not really a zip", ".xlsx", "已损坏"),
    (b"", ".xlsx", "已损坏"),
    ("序号,地址\n1,x\n".encode(), ".csv", "找不到“企业名称”列"),
    (b"\xff\xfe\x00\x00\x81\x00", ".csv", "编码无法识别"),
    (b"whatever", ".pdf", "不支持的文件类型"),
])
def test_unreadable_files_are_a_user_error(db, tmp_path, content, suffix, message):
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        import_enterprises(db, path)
    assert len(list_enterprises(db)) == 2


def test_a_truncated_xlsx_is_a_user_error(db, tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", [HEADER, *ROWS])
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(good.read_bytes()[:-200])
    with pytest.raises(UserError, match="Excel"):
        import_enterprises(db, damaged)


def test_cli_prints_rejections_and_exits_non_zero_on_unreadable_files(services, tmp_path, capsys):
    path = write_csv(tmp_path / "x.csv", [HEADER, *ROWS])
    data_dir = str(services.paths.root)
    assert main(["--data-dir", data_dir, "enterprises", "import", str(path), "--dry-run"]) == 0
    captured = capsys.readouterr()
    assert captured.out.count("拒绝：") == 4 + 0  # no DB rows yet: rows 7 and 8 are new here
    assert "试运行" in captured.err
    assert main(["--data-dir", data_dir, "enterprises", "import", str(path)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data_dir, "enterprises", "--search", "gnll"]) == 0
    assert "兴国县赣南冷链物流有限公司" in capsys.readouterr().out
    assert main(["--data-dir", data_dir, "enterprises", "import", str(tmp_path / "missing.xlsx")]) != 0
    assert "不存在" in capsys.readouterr().err
