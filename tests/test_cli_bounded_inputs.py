"""Issue 11 case 3: every file read is bounded. A YAML alias bomb or a deeply nested YAML in the data
directory's checklists is refused in well under a second, naming the file, and the other checklists
still load; an xlsx zip bomb or an over-long sheet is refused before parsing; every row of a sheet is
read whatever its <dimension> tag says; NUL in a cell is refused."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from inspector.cli import main

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["企业名称", "统一社会信用代码", "地址", "行业"]
NAMES = [f"兴国县测试{n}号有限公司" for n in range(1, 7)]


def alias_bomb() -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def deep_yaml(levels: int = 50_000) -> str:
    return "id: deep\nitems: " + "[" * levels + "]" * levels + "\n"


def run_process(*argv, timeout=20) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "inspector", *map(str, argv)], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


@pytest.mark.parametrize("name, text, words", [("bomb.yaml", alias_bomb(), "别名"),
                                               ("deep.yaml", deep_yaml(), "嵌套过深")])
def test_a_hostile_checklist_is_skipped_and_the_rest_still_load(data_dir, name, text, words):
    bundled = run_process("--data-dir", data_dir, "checklists", "--json")
    (data_dir / "checklists").mkdir()
    (data_dir / "checklists" / name).write_text(text, encoding="utf-8")
    done = run_process("--data-dir", data_dir, "checklists", "--json", timeout=10)  # was minutes at 1.7 GB / a crash
    assert done.returncode == 0 and "Traceback" not in done.stderr and "RecursionError" not in done.stderr
    assert done.stdout == bundled.stdout  # every bundled checklist still there
    [warning] = done.stderr.strip().splitlines()
    assert warning.startswith("警告：") and name in warning and words in warning


def test_checklists_validate_names_the_bomb(data_dir, tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb(), encoding="utf-8")
    done = run_process("checklists", "validate", bomb, timeout=10)
    assert done.returncode == 1 and "bomb.yaml" in done.stdout and "别名" in done.stdout


# --- xlsx ---------------------------------------------------------------------------------

def write_xlsx(path: Path, rows) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def rewrite_entry(path: Path, entry: str, change, extra: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info.filename, change(data) if info.filename == entry else data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)


def imported(capsys, data_dir, path, *extra) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--data-dir", str(data_dir), "enterprises", "import", str(path), *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_wrong_dimension_tag_loses_no_row(capsys, data_dir, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", [HEADER] + [[name, "", "兴国县", "纺织"] for name in NAMES])
    rewrite_entry(path, "xl/worksheets/sheet1.xml",
                  lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:D2"/>', xml))
    with zipfile.ZipFile(path) as archive:
        assert b'<dimension ref="A1:D2"/>' in archive.read("xl/worksheets/sheet1.xml")
    code, text = imported(capsys, data_dir, path)
    assert code == 0 and "已导入 6 家企业" in text
    capsys.readouterr()
    main(["--data-dir", str(data_dir), "enterprises", "--json"])
    assert len(re.findall("测试", capsys.readouterr().out)) == 6


def test_an_xlsx_zip_bomb_is_refused_before_parsing(capsys, data_dir, tmp_path):
    path = write_xlsx(tmp_path / "bomb.xlsx", [HEADER, [NAMES[0], "", "", ""]])
    rewrite_entry(path, "", None, {"xl/media/padding.bin": b"\0" * 200_000_000})
    assert path.stat().st_size < 1_000_000
    code, text = imported(capsys, data_dir, path)
    assert code != 0 and "解压后过大" in text and "bomb.xlsx" in text


def test_a_sheet_with_too_many_rows_is_refused_before_reading_a_cell(capsys, data_dir, tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "long.xlsx", [HEADER, [NAMES[0], "", "", ""]])
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x%d</t></is></c></row>' % (n, n, n)
                    for n in range(3, 25_000))
    rewrite_entry(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))
    from openpyxl.worksheet import _read_only

    def no_parsing(*args, **kwargs):
        raise AssertionError("cells parsed before the row count was checked")

    monkeypatch.setattr(_read_only.ReadOnlyWorksheet, "_cells_by_row", no_parsing)
    code, text = imported(capsys, data_dir, path)
    assert code != 0 and "行数过多" in text


def test_control_characters_in_a_cell_are_refused_with_the_row(capsys, data_dir, tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("企业名称,行业\n" f"{NAMES[0]},纺织\n" f"{NAMES[1]}\x1b[2J,纺织\n", encoding="utf-8")
    code, text = imported(capsys, data_dir, path)
    assert code == 0 and "已导入 1 家企业，拒绝 1 行" in text and "控制字符" in text and "第 3 行" in text
    path.write_text("企业名称,行业\n" f"{NAMES[2]}\x00,纺织\n", encoding="utf-8")
    code, text = imported(capsys, data_dir, path)
    assert code != 0 and "不是文本格式" in text


def test_a_sheet_with_too_many_cells_is_refused_before_parsing(capsys, data_dir, tmp_path, monkeypatch):
    from inspector.core.records import enterprise_import

    monkeypatch.setattr(enterprise_import, "MAX_CELLS", 40)  # stands for 500,000: 20,000 rows of 25 columns
    wide = [HEADER + [f"列{n}" for n in range(8)]] + [[name, "", "", "纺织"] + ["x"] * 8 for name in NAMES]
    code, text = imported(capsys, data_dir, write_xlsx(tmp_path / "wide.xlsx", wide))
    assert code != 0 and "单元格过多" in text
    code, text = imported(capsys, data_dir, write_xlsx(tmp_path / "narrow.xlsx", [HEADER, [NAMES[0], "", "", "纺织"]]))
    assert code == 0 and "已导入 1 家企业" in text


def test_a_huge_csv_is_refused_before_it_is_read(capsys, data_dir, tmp_path, monkeypatch):
    from inspector.core.records import enterprise_import

    monkeypatch.setattr(enterprise_import, "MAX_CSV_BYTES", 1000)  # stands for 20 MB
    path = tmp_path / "名单.csv"
    path.write_text("企业名称,行业\n" + f"{NAMES[0]},纺织\n" * 100, encoding="utf-8")
    code, text = imported(capsys, data_dir, path)
    assert code != 0 and "过大" in text and "名单.csv" in text


def test_verify_refuses_a_huge_file_without_reading_it(capsys, data_dir, tmp_path):
    huge = tmp_path / "huge.pdf"
    with open(huge, "wb") as handle:
        handle.truncate(300_000_000)  # sparse: no disk used; reading it would take 300 MB of memory
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "verify", str(huge)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "过大" in err
