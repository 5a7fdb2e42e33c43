"""Closed-loop commands: ledger, dashboard, analysis, hazard; bad input is one line, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from inspector.cli import main


def test_ledger_xlsx_and_csv_with_filters(capsys, demo_dir, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "台账.xlsx"
    assert main(["--data-dir", str(demo_dir), "ledger", "--out", str(out), "--status", "已销号"]) == 0
    message = capsys.readouterr().out
    count = int(message.split("隐患台账 ")[1].split(" 条")[0])
    sheet = load_workbook(out)["隐患台账"]
    from inspector.core.reports.ledger_xlsx import HEADER_ROW

    assert count > 0 and sheet.max_row == count + HEADER_ROW
    assert sheet["A2"].value.startswith("填报单位：兴国经济技术开发区管理委员会")  # issuer of the default (park) notices
    status_column = [c.value for c in sheet[HEADER_ROW]].index("状态")
    assert {row[status_column] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)} == {"已销号"}
    csv_out = tmp_path / "ledger.csv"
    assert main(["--data-dir", str(demo_dir), "ledger", "--out", str(csv_out), "--sector", "cold_storage",
                 "--from", "2000-01-01", "--to", "2100-12-31"]) == 0
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("argv, message", [
    (["ledger", "--out", "x.xlsx", "--from", "2025-02-30"], "起始日期“2025-02-30”格式不对"),
    (["ledger", "--out", "x.xlsx", "--sector", "养鱼"], "未知的行业“养鱼”"),
    (["ledger", "--out", "x.xlsx", "--status", "finished"], "未知的隐患状态“finished”"),
    (["ledger", "--out", "x.pdf"], "须以 .xlsx 或 .csv 结尾"),
    (["analysis", "--month", "2025-13", "--out", "r.pdf"], "月份“2025-13”格式不对"),
    (["analysis", "--month", "2025-03"], "请用 --out"),
    (["hazard", "show", "abc"], "至少要写 8 位"),
    (["hazard", "close", "ffffffff", "--reviewer", "nobody"], "找不到隐患"),
])
def test_bad_input_is_one_clear_line(capsys, demo_dir, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code = main(["--data-dir", str(demo_dir), *argv])
    err = capsys.readouterr().err
    assert code != 0 and err.startswith("错误：") and message in err and err.count("\n") == 1


def test_dashboard_json_and_text(capsys, demo_dir):
    assert main(["--data-dir", str(demo_dir), "dashboard", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["counts"]) == {"overdue", "due_soon", "reinspection_due", "open_major"}
    assert len([h for h in data["hazards"] if "overdue" in h["categories"]]) == data["counts"]["overdue"] > 0
    assert main(["--data-dir", str(demo_dir), "dashboard"]) == 0
    assert "逾期" in capsys.readouterr().out


def test_analysis_pdf_and_json(capsys, demo_dir, tmp_path):
    from inspector.core.reports.analysis import months_with_data
    from inspector.services import Services

    services = Services(demo_dir)
    month = months_with_data(services.db)[0].strftime("%Y-%m")
    services.close()
    out = tmp_path / "report.pdf"
    assert main(["--data-dir", str(demo_dir), "analysis", "--month", month, "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["month"] == month
    assert out.read_bytes().startswith(b"%PDF")


def test_hazard_show_status_and_close(capsys, services, tmp_path):
    from tests.loop_helpers import make_site, write_jpeg

    site = make_site(services.db, hazards=1)
    services.close()
    data_dir = str(services.paths.root)
    short = site.finding_ids[0][:8]
    assert main(["--data-dir", data_dir, "hazard", "status", short, "--to", "整改中", "--inspector", "刘志强"]) == 0
    assert main(["--data-dir", data_dir, "hazard", "close", short, "--reviewer", "曾海燕"]) == 1
    assert "整改后照片" in capsys.readouterr().err
    bad = tmp_path / "not-a-photo.jpg"
    bad.write_bytes(b"no")
    assert main(["--data-dir", data_dir, "hazard", "photo", short, str(bad)]) == 1
    assert capsys.readouterr().err.endswith("错误：没有添加任何照片。\n")
    assert main(["--data-dir", data_dir, "hazard", "photo", short, str(write_jpeg(tmp_path, "after.jpg"))]) == 0
    assert main(["--data-dir", data_dir, "hazard", "close", short, "--reviewer", "曾海燕"]) == 0
    assert main(["--data-dir", data_dir, "hazard", "show", short, "--json"]) == 0
    out = capsys.readouterr().out
    shown = json.loads(out[out.index("{"):])
    assert shown["status"] == "closed" and len(shown["history"]) == 3 and "曾海燕" in shown["history"][-1]


def test_no_traceback_in_a_real_process(demo_dir):
    result = subprocess.run([sys.executable, "-m", "inspector", "--data-dir", str(demo_dir), "ledger", "--out", "a.doc"],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "错误：" in result.stderr
