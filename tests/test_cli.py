"""The command line, in-process (exit codes, JSON) and as a real process (no tracebacks)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from inspector.cli import main


def run_json(capsys, *argv) -> list:
    capsys.readouterr()  # drop what earlier commands printed
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_demo_fills_a_realistic_database(capsys, data_dir):
    assert main(["--data-dir", str(data_dir), "demo"]) == 0
    rows = run_json(capsys, "--data-dir", str(data_dir), "inspections", "--json")
    assert len(rows) >= 8
    assert {"id", "enterprise", "started_at", "status", "findings", "hazards", "photos"} <= set(rows[0])
    assert len({row["enterprise"] for row in rows}) >= 3
    assert sum(row["hazards"] for row in rows) > 0 and sum(row["photos"] for row in rows) > 0
    connection = sqlite3.connect(data_dir / "inspector.db")
    assert connection.execute("SELECT count(*) FROM enterprise").fetchone()[0] >= 5
    sectors = connection.execute("SELECT count(DISTINCT industry) FROM enterprise").fetchone()[0]
    assert sectors >= 5


def test_demo_seeds_differ_and_runs_add_batches(capsys, data_dir):
    main(["--data-dir", str(data_dir), "demo", "--seed", "1", "--inspections", "3"])
    first = run_json(capsys, "--data-dir", str(data_dir), "inspections", "--json")
    main(["--data-dir", str(data_dir), "demo", "--seed", "2", "--inspections", "3"])
    both = run_json(capsys, "--data-dir", str(data_dir), "inspections", "--json")
    from inspector.core.demo.office import SCENES

    per_run = 3 + len(SCENES)  # the past inspections asked for, plus today's cases (a living office)
    assert len(first) == per_run and len(both) == 2 * per_run
    names = lambda rows: sorted(r["enterprise"] for r in rows)  # noqa: E731
    assert names(first) != names([r for r in both if r not in first])


def test_demo_has_major_hazards_with_photos(demo_dir):
    connection = sqlite3.connect(demo_dir / "inspector.db")
    major = connection.execute("SELECT count(*) FROM finding WHERE result='fail' AND level='major'").fetchone()[0]
    orphans = connection.execute(
        "SELECT count(*) FROM finding f WHERE result='fail' AND NOT EXISTS (SELECT 1 FROM photo p WHERE p.finding_id=f.id)"
    ).fetchone()[0]
    assert major > 0 and orphans == 0


def test_checklists_json(capsys, data_dir):
    rows = run_json(capsys, "--data-dir", str(data_dir), "checklists", "--json")
    assert len(rows) >= 8
    assert all({"id", "version", "title", "sector", "items"} <= set(row) for row in rows)
    assert all(isinstance(row["items"], int) and row["items"] > 0 for row in rows)


def test_checklists_validate_exit_codes(capsys, tmp_path):
    from inspector.paths import bundled_checklists_dir

    assert main(["checklists", "validate", *map(str, bundled_checklists_dir().glob("*.yaml"))]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: t\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["checklists", "validate", str(bad)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) >= 3 and all(line.startswith("bad.yaml") for line in lines)


def test_check_reports_a_damaged_photo(capsys, demo_dir):
    assert main(["--data-dir", str(demo_dir), "check"]) == 0
    connection = sqlite3.connect(demo_dir / "inspector.db")
    connection.execute("UPDATE photo SET jpeg = substr(jpeg, 1, 100) WHERE rowid = (SELECT min(rowid) FROM photo)")
    connection.commit()
    connection.close()
    capsys.readouterr()
    assert main(["--data-dir", str(demo_dir), "check"]) == 1
    assert "SHA-256" in capsys.readouterr().out


def run_process(*argv, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "inspector", *argv], capture_output=True, text=True, cwd=cwd, env=env)


@pytest.mark.parametrize("content", [b"garbage" * 300, b"SQLite format 3\x00" + b"\x01" * 3000])
def test_damaged_database_gives_one_line_and_nonzero_exit(data_dir, content):
    (data_dir / "inspector.db").write_bytes(content)
    result = run_process("--data-dir", str(data_dir), "inspections")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("错误：")
    assert (data_dir / "inspector.db").read_bytes() == content


def test_a_database_whose_schema_name_is_not_utf8_gives_one_line(data_dir):
    """SQLite quotes a damaged schema row's name in its error, which sqlite3 fails to decode as UTF-8 (seen once the
    pages were 16 KiB: a test's damage fell inside the schema page instead of on a page header)."""
    from inspector.db.database import Database

    Database.open(data_dir / "inspector.db", data_dir / "backups").close()
    data = bytearray((data_dir / "inspector.db").read_bytes())
    at = data.index(b"tablefindingfinding") + len(b"table")  # the schema row's type, name, table name
    data[at:at + 4] = b"\xde\xad\xbe\xef"  # the name (which SQLite's message quotes) no longer UTF-8
    (data_dir / "inspector.db").write_bytes(bytes(data))
    result = run_process("--data-dir", str(data_dir), "inspections")
    assert result.returncode != 0 and "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("错误：") and "损坏" in result.stderr
    assert (data_dir / "inspector.db").read_bytes() == bytes(data)


def test_bad_arguments_give_a_clear_error(data_dir):
    result = run_process("--data-dir", str(data_dir), "demo", "--inspections", "-5")
    assert result.returncode != 0 and "Traceback" not in result.stderr and "--inspections" in result.stderr
    result = run_process("checklists", "validate", str(data_dir / "missing.yaml"))
    assert result.returncode == 1 and "无法读取" in result.stdout and "Traceback" not in result.stderr


def test_a_command_process_flushes_all_output_before_its_fast_exit(demo_dir, capsys):
    """``python -m inspector`` ends a finished command with os._exit: its buffered output must all arrive."""
    assert main(["--data-dir", str(demo_dir), "inspections", "--json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    buffered = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    result = run_process("--data-dir", str(demo_dir), "inspections", "--json", env=buffered)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert json.loads(result.stdout) == expected and len(expected) > 5
    failed = run_process("--data-dir", str(demo_dir), "notice", "no-such-inspection", "--out", str(demo_dir / "x.pdf"),
                         env=buffered)
    assert failed.returncode != 0 and failed.stderr.startswith("错误：") and "Traceback" not in failed.stderr


def test_only_a_bare_start_skips_the_command_parsers():
    from inspector.cli import opens_the_window

    assert opens_the_window([]) and opens_the_window(["--data-dir", "d"]) and opens_the_window(["--data-dir=d"])
    assert not opens_the_window(["--data-dir", "d", "inspections"]) and not opens_the_window(["--help"])
    assert not opens_the_window(["--data-dir"]) and not opens_the_window(["--version"])


def test_a_bare_start_gets_the_arguments_the_parser_would_give():
    from inspector.cli import build_parser, window_arguments

    for argv in ([], ["--data-dir", "d"], ["--data-dir=d"], ["--data-dir="]):
        assert vars(window_arguments(argv)) == {key: value for key, value in vars(build_parser().parse_args(argv)).items()
                                                if key in ("data_dir", "database", "command")}, argv
    assert window_arguments(["--data-dir", "--help"]) is None  # the parser reports it, as before
