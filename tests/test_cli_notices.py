"""inspector notice / notices / verify / numbers: files written, exit codes, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from pypdf import PdfReader

from inspector.cli import main
from inspector.core.common.clock import local_today
from tests.document_dates import future_deadlines, order_hazard_counts

YEAR = str(local_today().year)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def inspection_ids(capsys, data_dir) -> tuple[str, str]:
    """(an inspection with hazards, one without) from the demo data."""
    code, out, _ = run(capsys, "--data-dir", data_dir, "inspections", "--json")
    rows = json.loads(out)
    # two hazards an order lists (not fire matters: those go to a referral or the park notice, never into an order)
    orderable = order_hazard_counts(data_dir)
    with_hazards = next(r["id"] for r in rows if orderable[r["id"]] >= 2)
    without = [r["id"] for r in rows if r["hazards"] == 0]
    return with_hazards, (without[0] if without else "")


def pdf_text(path) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


@pytest.fixture
def cli(capsys, demo_dir):
    from inspector.services import Services

    services = Services(demo_dir)
    future_deadlines(services.db)  # documents issued today may not carry deadlines already passed
    services.close()

    def call(*argv):
        return run(capsys, "--data-dir", demo_dir, *argv)
    return call


def test_draft_then_issue_then_verify(cli, capsys, demo_dir, tmp_path):
    inspection, _ = inspection_ids(capsys, demo_dir)
    draft = tmp_path / "draft.pdf"
    code, out, _ = cli("notice", inspection, "--out", draft, "--kind", "order")
    assert code == 0 and "草稿" in out and "草稿" in pdf_text(draft)
    code, _, err = cli("notice", inspection, "--out", tmp_path / "x.pdf", "--kind", "order", "--issue")
    assert code == 1 and "号段" in err and "Traceback" not in err and not (tmp_path / "x.pdf").exists()
    code, out, _ = cli("numbers", "block", "add", "--kind", "order", "--year", YEAR, "--first", "7", "--last", "9")
    assert code == 0 and "（兴）应急责改" in out
    issued = tmp_path / "issued.pdf"
    code, out, _ = cli("notice", inspection, "--out", issued, "--kind", "order", "--issue")
    assert code == 0 and f"（兴）应急责改〔{YEAR}〕7号" in out
    assert f"（兴）应急责改〔{YEAR}〕7号" in pdf_text(issued) and "责令限期整改指令书" in pdf_text(issued)
    code, out, _ = cli("verify", issued)
    assert code == 0 and "一致" in out and "7号" in out
    code, _, err = cli("verify", draft)
    assert code == 1 and "草稿" in err
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(issued.read_bytes().replace(b"/Producer", b"/Producex", 1))
    code, _, err = cli("verify", altered)
    assert code == 1 and "修改" in err and len(err.strip().splitlines()) == 1
    code, out, _ = cli("notices", "--json")
    [row] = json.loads(out)
    assert row["number_text"].endswith("7号") and row["status"] == "issued" and row["kind"] == "order"


def test_kinds_default_to_the_template_family_in_settings(cli, capsys, demo_dir, tmp_path):
    from inspector.settings import Settings

    inspection, _ = inspection_ids(capsys, demo_dir)
    out_file = tmp_path / "park.pdf"
    assert cli("notice", inspection, "--out", out_file)[0] == 0
    assert "安全隐患整改通知书" in pdf_text(out_file)
    settings = Settings.load(demo_dir / "settings.json")
    settings.set("template_family", "enforcement")
    assert cli("notice", inspection, "--out", out_file, "--force")[0] == 0
    assert "责令限期整改指令书" in pdf_text(out_file)
    assert cli("notice", inspection, "--out", out_file, "--kind", "record", "--force")[0] == 0
    assert "现场检查记录" in pdf_text(out_file)


def test_clear_errors_without_traceback(cli, capsys, demo_dir, tmp_path):
    inspection, without = inspection_ids(capsys, demo_dir)
    code, _, err = cli("notice", "no-such-id", "--out", tmp_path / "a.pdf")
    assert code == 4 and "找不到检查记录" in err
    if without:
        code, _, err = cli("notice", without, "--out", tmp_path / "a.pdf", "--kind", "park")
        assert code == 1 and "没有发现隐患" in err
        assert cli("notice", without, "--out", tmp_path / "a.pdf", "--kind", "record", "--force")[0] == 0
    code, _, err = cli("notice", inspection, "--out", tmp_path / "missing" / "a.pdf")
    assert code == 1 and "不存在" in err
    code, _, err = cli("notice", inspection, "--out", tmp_path)
    assert code == 1 and "文件夹" in err
    code, _, err = cli("verify", tmp_path / "none.pdf")
    assert code == 1 and "找不到文件" in err
    code, _, err = cli("notices", "void", "no-such-id", "--reason", "x")
    assert code == 4 and "找不到文书" in err
    assert list(tmp_path.glob(".*.tmp")) == [] and list(tmp_path.glob(".*.inspector-tmp")) == []
    for line in err.splitlines():
        assert line.startswith("错误：")


def test_an_existing_file_is_replaced_only_by_a_complete_document(cli, capsys, demo_dir, tmp_path):
    inspection, _ = inspection_ids(capsys, demo_dir)
    target = tmp_path / "notice.pdf"
    target.write_bytes(b"old content")
    code, _, err = cli("notice", inspection, "--out", target, "--kind", "order")  # no consent: refused
    assert code == 1 and "已存在" in err and "--force" in err and target.read_bytes() == b"old content"
    code, _, _ = cli("notice", inspection, "--out", target, "--kind", "order", "--issue", "--force")  # no block
    assert code == 1 and target.read_bytes() == b"old content"
    assert cli("notice", inspection, "--out", target, "--kind", "order", "--force")[0] == 0
    assert target.read_bytes().startswith(b"%PDF") and list(tmp_path.glob(".*")) == []


def test_void_correct_export_and_number_report(cli, capsys, demo_dir, tmp_path):
    inspection, _ = inspection_ids(capsys, demo_dir)
    cli("numbers", "block", "add", "--kind", "park", "--year", YEAR, "--first", "1", "--last", "10", "--note", "办公室下发")
    cli("notice", inspection, "--out", tmp_path / "1.pdf", "--kind", "park", "--issue")
    first = json.loads(cli("notices", "--json")[1])[0]
    code, out, _ = cli("notices", "correct", first["id"], "--reason", "期限写错", "--out", tmp_path / "2.pdf")
    assert code == 0 and "取代" in out and "2号" in out
    rows = {r["id"]: r for r in json.loads(cli("notices", "--json")[1])}
    assert rows[first["id"]]["status"] == "superseded"
    second = next(r for r in rows.values() if r["supersedes_id"] == first["id"])
    assert second["correction_reason"] == "期限写错"
    assert cli("notices", "export", second["id"], "--out", tmp_path / "copy.pdf")[0] == 0
    assert (tmp_path / "copy.pdf").read_bytes() == (tmp_path / "2.pdf").read_bytes()
    code, out, _ = cli("notices", "void", second["id"], "--reason", "企业已注销")
    assert code == 0 and "作废" in out
    code, _, err = cli("verify", tmp_path / "2.pdf")
    assert code == 1 and "作废" in err and "企业已注销" in err
    code, _, err = cli("notice", inspection, "--out", tmp_path / "3.pdf", "--kind", "park", "--issue")
    assert code == 0, err
    numbers = json.loads(cli("numbers", "list", "--json")[1])
    assert sorted(n["seq"] for n in numbers) == [1, 2, 3]
    assert [n["void_reason"] for n in numbers if n["seq"] == 2] == ["企业已注销"]
    code, out, _ = cli("numbers", "report")
    assert code == 0 and "已用 3 个（作废 1）" in out and "缺号 无" in out
    code, out, _ = cli("numbers", "block", "list")
    assert code == 0 and "办公室下发" in out and "本机" in out


def test_blocks_for_another_device_and_overlaps(cli, capsys, demo_dir):
    device = cli("numbers", "device")[1].strip()
    assert len(device) == 36
    code, out, _ = cli("numbers", "block", "add", "--kind", "order", "--year", YEAR, "--first", "1", "--last", "50",
                       "--device", "laptop-7")
    assert code == 0 and "laptop-7" in out
    code, _, err = cli("numbers", "block", "add", "--kind", "order", "--year", YEAR, "--first", "40", "--last", "60")
    assert code == 1 and "重叠" in err
    blocks = json.loads(cli("numbers", "block", "list", "--all", "--json")[1])
    assert [(b["assigned_device_id"], b["first"], b["last"]) for b in blocks] == [("laptop-7", 1, 50)]
    assert json.loads(cli("numbers", "block", "list", "--json")[1]) == []


def test_a_real_process_prints_one_line_and_no_traceback(demo_dir, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "inspector", "--data-dir", str(demo_dir), "notice", "missing", "--out",
         str(tmp_path / "x.pdf")], capture_output=True, text=True,
    )
    assert result.returncode == 4 and result.stderr.strip() == "错误：找不到检查记录 missing。"


def test_a_second_live_document_is_refused_with_the_correct_command(cli, capsys, demo_dir, tmp_path):
    inspection, _ = inspection_ids(capsys, demo_dir)
    cli("numbers", "block", "add", "--kind", "order", "--year", YEAR, "--first", "1", "--last", "10")
    assert cli("notice", inspection, "--out", tmp_path / "1.pdf", "--kind", "order", "--issue")[0] == 0
    first = json.loads(cli("notices", "--json")[1])[0]
    code, out, err = cli("notice", inspection, "--out", tmp_path / "2.pdf", "--kind", "order", "--issue")
    assert code == 1 and not (tmp_path / "2.pdf").exists() and "Traceback" not in err
    assert err.startswith(f"该检查已签发的文书：责令限期整改指令书 （兴）应急责改〔{YEAR}〕1号（有效）")
    assert f"错误：这次检查已签发责令限期整改指令书 （兴）应急责改〔{YEAR}〕1号" in err
    assert f"inspector notices correct {first['id']} --reason" in err
    assert len(json.loads(cli("notices", "--json")[1])) == 1
    code, out, err = cli("notice", inspection, "--out", tmp_path / "draft.pdf", "--kind", "order")
    assert code == 0 and "草稿" in out and "1号（有效）" in err  # a draft still says what is issued
