"""``inspector checklists review|coverage|export|import`` from the command line."""

from __future__ import annotations

import json

from inspector.cli import main


def test_coverage_maps_every_article_and_exits_zero(capsys, data_dir):
    assert main(["--data-dir", str(data_dir), "checklists", "coverage", "--json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert table["uncovered"] == []
    articles = {row["article"]: row["items"] for row in table["rows"]}
    assert "confined-space/YX-01A" in articles["第十三条（一）"] and "machinery/JX-10" in articles["第七条（七）"]


def test_coverage_text_names_the_articles(capsys, data_dir):
    assert main(["--data-dir", str(data_dir), "checklists", "coverage"]) == 0
    captured = capsys.readouterr()
    assert "第三条（一）" in captured.out and "第十条（二）" in captured.out and "均有检查项覆盖" in captured.err


def test_review_lists_marks_with_source_and_reason(capsys, data_dir):
    assert main(["--data-dir", str(data_dir), "checklists", "review", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    by_where = {(e["kind"], e["where"]): e for e in entries}
    gb35181 = by_where[("来源", "gb-35181-2017")]
    assert gb35181["confidence"] == "【记】" and gb35181["why"]
    item = by_where[("检查项", "machinery/JX-01")]
    assert "判定标准" in item["subject"] and "【记】" in item["why"]


def test_export_import_round_trip_and_refusals(capsys, data_dir, tmp_path):
    workbook = tmp_path / "清单.xlsx"
    assert main(["--data-dir", str(data_dir), "checklists", "export", str(workbook)]) == 0
    assert main(["--data-dir", str(data_dir), "checklists", "export", str(workbook)]) == 1
    assert "已存在" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "checklists", "import", str(workbook)]) == 0
    assert len(list((data_dir / "checklists").glob("*.yaml"))) >= 21
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "checklists", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) >= 21


def test_import_of_a_bad_workbook_is_one_line_per_problem(capsys, data_dir, tmp_path):
    from openpyxl import load_workbook

    workbook = tmp_path / "items.xlsx"
    assert main(["--data-dir", str(data_dir), "checklists", "export", str(workbook)]) == 0
    book = load_workbook(workbook)
    book["检查项"]["I2"].value = "hubei-gas-rules 第四十六条"
    book.save(workbook)
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "checklists", "import", str(workbook)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("错误：items.xlsx:2 [") and "未在来源登记表" in err[0]
    assert "未导入任何检查表" in err[-1]
    assert not list((data_dir / "checklists").glob("*.yaml")) if (data_dir / "checklists").exists() else True


def test_suggest_shows_the_lists_an_industry_picks(capsys, data_dir):
    assert main(["--data-dir", str(data_dir), "checklists", "suggest", "危险化学品经营"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[1].startswith("hazchem") and "危险化学品经营单位" in captured.err
