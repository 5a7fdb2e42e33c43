"""Issue 11 case 1: every --out refuses a data directory's database, settings and backups, and an
existing file without --force; nothing is issued for a refused path; the local data stays as it was."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3

import pytest

from inspector.cli import main
from inspector.core.common.clock import local_today
from tests.document_dates import order_hazard_counts

YEAR = str(local_today().year)


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def notice_count(data_dir) -> int:
    connection = sqlite3.connect(data_dir / "inspector.db")
    try:
        return connection.execute("SELECT count(*) FROM notice").fetchone()[0]
    finally:
        connection.close()


@pytest.fixture
def issuing(capsys, demo_dir):
    """The demo with a number block for park notices, and an inspection with hazards due after today."""
    _deadlines_after_today(demo_dir)
    assert run(capsys, "--data-dir", demo_dir, "numbers", "block", "add", "--kind", "park", "--year", YEAR,
               "--first", "1", "--last", "20")[0] == 0
    rows = json.loads(run(capsys, "--data-dir", demo_dir, "inspections", "--json")[1])
    orderable = order_hazard_counts(demo_dir)  # not fire-only: fire matters never enter an order
    return next(r["id"] for r in rows if orderable[r["id"]] >= 1)


def assert_refused(code: int, out: str, err: str) -> None:
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("错误：") and "Traceback" not in err


@pytest.mark.parametrize("name", ["inspector.db", "inspector.db-wal", "inspector.db-shm", "inspector.db-journal",
                                  "settings.json"])
def test_notice_issue_refuses_the_live_database_and_its_companions(capsys, demo_dir, issuing, name):
    database = demo_dir / "inspector.db"
    (demo_dir / "settings.json").write_text("{}", encoding="utf-8")
    before = digest(database)
    code, out, err = run(capsys, "--data-dir", demo_dir, "notice", issuing, "--kind", "park", "--issue",
                         "--out", demo_dir / name, "--force")
    assert_refused(code, out, err)
    assert "数据目录" in err or "数据库" in err
    assert digest(database) == before and notice_count(demo_dir) == 0  # nothing issued


def test_every_out_option_refuses_another_data_directorys_files(capsys, demo_dir, issuing, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(demo_dir, other)
    (other / "settings.json").write_text('{"template_family": "park"}', encoding="utf-8")
    (other / "backups" / "backup-20250101T000000000000Z-manual.db").write_bytes(
        (other / "inspector.db").read_bytes())
    kept = {path: digest(path) for path in other.rglob("*") if path.is_file()}
    targets = [other / "inspector.db", other / "settings.json", other / "backups" / "x.pdf"]
    base = ["--data-dir", demo_dir]
    for target in targets:
        commands = [
            ["notice", issuing, "--kind", "park", "--out", target, "--force"],
            ["export", "--out", target, "--force"],
            ["ledger", "--out", target, "--force"],
            ["analysis", "--month", "2025-01", "--out", target, "--force"],
        ]
        for command in commands:
            code, out, err = run(capsys, *base, *command)
            assert code == 1 and "不能写入" in err and "Traceback" not in err, (command, err)
    assert {path: digest(path) for path in other.rglob("*") if path.is_file()} == kept


def test_an_sqlite_database_of_ours_is_refused_under_any_name(capsys, demo_dir, issuing, tmp_path):
    copy = tmp_path / "looks-harmless.pdf"
    shutil.copy(demo_dir / "inspector.db", copy)
    before = digest(copy)
    code, out, err = run(capsys, "--data-dir", demo_dir, "notice", issuing, "--kind", "park", "--issue",
                         "--out", copy, "--force")
    assert_refused(code, out, err)
    assert digest(copy) == before and notice_count(demo_dir) == 0


def test_an_existing_file_needs_force_and_an_earlier_export_may_be_replaced(capsys, demo_dir, issuing, tmp_path):
    exported = tmp_path / "sync.db"
    assert run(capsys, "--data-dir", demo_dir, "export", "--out", exported)[0] == 0
    code, out, err = run(capsys, "--data-dir", demo_dir, "export", "--out", exported)
    assert_refused(code, out, err)
    assert "已存在" in err and "--force" in err
    assert run(capsys, "--data-dir", demo_dir, "export", "--out", exported, "--force")[0] == 0
    pdf = tmp_path / "n.pdf"
    pdf.write_bytes(b"issued earlier")
    code, out, err = run(capsys, "--data-dir", demo_dir, "notice", issuing, "--kind", "park", "--issue", "--out", pdf)
    assert_refused(code, out, err)
    assert pdf.read_bytes() == b"issued earlier" and notice_count(demo_dir) == 0
    for command in (["ledger", "--out", tmp_path / "l.csv"], ["analysis", "--month", "2025-01", "--out", tmp_path / "a.pdf"]):
        (tmp_path / command[-1].name).write_bytes(b"mine")
        assert_refused(*run(capsys, "--data-dir", demo_dir, *command))
        assert (tmp_path / command[-1].name).read_bytes() == b"mine"
        assert run(capsys, "--data-dir", demo_dir, *command, "--force")[0] == 0
    assert sorted(p.name for p in tmp_path.glob(".*")) == []


@pytest.mark.parametrize("command", [
    ["notice", "ID", "--kind", "park", "--out", "x.txt"],
    ["export", "--out", "x.pdf"],
    ["ledger", "--out", "x.pdf"],
    ["analysis", "--month", "2025-01", "--out", "x.xlsx"],
])
def test_the_suffix_must_match_the_format(capsys, demo_dir, issuing, tmp_path, command):
    command = [issuing if part == "ID" else tmp_path / part if part.startswith("x.") else part for part in command]
    code, out, err = run(capsys, "--data-dir", demo_dir, *command)
    assert_refused(code, out, err)
    assert "结尾" in err and not list(tmp_path.glob("x.*"))


def test_notices_export_refuses_the_database(capsys, demo_dir, issuing, tmp_path):
    assert run(capsys, "--data-dir", demo_dir, "notice", issuing, "--kind", "park", "--issue",
               "--out", tmp_path / "1.pdf")[0] == 0
    notice_id = json.loads(run(capsys, "--data-dir", demo_dir, "notices", "--json")[1])[0]["id"]
    before = digest(demo_dir / "inspector.db")
    assert_refused(*run(capsys, "--data-dir", demo_dir, "notices", "export", notice_id,
                        "--out", demo_dir / "inspector.db", "--force"))
    assert digest(demo_dir / "inspector.db") == before
    assert run(capsys, "--data-dir", demo_dir, "check")[0] == 0


def _deadlines_after_today(data_dir) -> None:
    """Demo inspections lie in the past; a document issued today may not carry deadlines already passed."""
    from inspector.services import Services
    from tests.document_dates import future_deadlines

    services = Services(data_dir)
    try:
        future_deadlines(services.db)
    finally:
        services.close()
