"""Scheduled backups of the office database on a real PostgreSQL server: due → made, not due → not made,
retention, never two at once across office PCs (the database's row lock), the scheduled backup restores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

from inspector.cli import main
from inspector.core.records.enterprises import create_enterprise, list_enterprises
from inspector.core.sync.server_backups import list_server_backups, restore_server_backup
from inspector.core.sync.server_schedule import KEY, last_server_backup, run_scheduled_server_backup

ROOT = Path(__file__).resolve().parents[2]


def backdate(db, hours: float) -> None:
    """Set the database's record of the last backup ``hours`` back (as if made that long ago)."""
    last = last_server_backup(db)
    value = {"at": (datetime.now(timezone.utc) - timedelta(hours=hours)).isoformat(), "host": last.host,
             "file": last.file, "reason": last.reason}
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE local_meta SET value = :v WHERE key = :k"), {"v": json.dumps(value), "k": KEY})


def scheduled(folder: Path) -> list:
    return [b for b in list_server_backups(folder) if b.reason == "scheduled"]


def test_due_then_not_due_then_due_again(pg_db, tmp_path):
    backups = tmp_path / "backups"
    assert last_server_backup(pg_db) is None
    first = run_scheduled_server_backup(pg_db, backups, interval_hours=24)
    assert first.status == "made" and first.made.is_file() and first.made.read_bytes()[:5] == b"PGDMP"
    assert [b.path for b in scheduled(backups)] == [first.made]
    last = last_server_backup(pg_db)
    assert last.file == str(first.made) and last.reason == "scheduled"
    assert abs(datetime.now(timezone.utc) - last.at) < timedelta(minutes=5)

    again = run_scheduled_server_backup(pg_db, backups, interval_hours=24)
    assert again.status == "not_due" and again.made is None and len(scheduled(backups)) == 1

    backdate(pg_db, 25)
    later = run_scheduled_server_backup(pg_db, backups, interval_hours=24)
    assert later.status == "made" and len(scheduled(backups)) == 2
    backdate(pg_db, 2)
    assert run_scheduled_server_backup(pg_db, backups, interval_hours=1).status == "made"  # a shorter interval
    assert run_scheduled_server_backup(pg_db, backups, interval_hours=0).status == "off"


def test_a_backup_by_another_office_pc_counts_for_every_pc(pg_db, tmp_path):
    """The schedule is in the database: a second PC (its own backups folder) sees the first one's backup."""
    assert run_scheduled_server_backup(pg_db, tmp_path / "pc-1").status == "made"
    other = run_scheduled_server_backup(pg_db, tmp_path / "pc-2")
    assert other.status == "not_due" and list_server_backups(tmp_path / "pc-2") == []


def test_retention_keeps_the_newest_automatic_backups_and_every_manual_one(pg_db, tmp_path):
    backups = tmp_path / "backups"
    manual = main(["--data-dir", str(tmp_path / "data"), "--database", pg_db.url, "backup", "create"])
    assert manual == 0
    made = []
    for _ in range(4):
        backdate_or_none = last_server_backup(pg_db)
        if backdate_or_none is not None:
            backdate(pg_db, 30)
        run = run_scheduled_server_backup(pg_db, backups, interval_hours=24, keep=2)
        assert run.status == "made"
        made.append(run.made)
    assert [b.path for b in scheduled(backups)] == [made[3], made[2]]
    assert not made[0].exists() and not made[1].exists()
    assert len([b for b in list_server_backups(tmp_path / "data" / "backups") if b.reason == "manual"]) == 1


def test_a_manual_backup_moves_the_schedule_on(pg_url, tmp_path, capsys):
    office = ["--data-dir", str(tmp_path), "--database", pg_url]
    assert main([*office, "backup", "create"]) == 0
    assert main([*office, "backup", "scheduled"]) == 0
    out = capsys.readouterr().out
    assert "未到备份时间" in out and "手动" in out
    assert main([*office, "backup", "list"]) == 0
    assert "最近一次备份（手动）" in capsys.readouterr().out


def test_while_another_pc_holds_the_schedule_nothing_is_made(pg_db, tmp_path):
    """Another PC backing up holds the row lock: this one neither waits nor makes a second backup."""
    run_scheduled_server_backup(pg_db, tmp_path / "first")
    backdate(pg_db, 48)
    with pg_db.engine.connect() as other_pc:
        with other_pc.begin():
            other_pc.execute(text("SELECT value FROM local_meta WHERE key = :k FOR UPDATE"), {"k": KEY})
            run = run_scheduled_server_backup(pg_db, tmp_path / "second")
            assert run.status == "busy" and list_server_backups(tmp_path / "second") == []
    assert run_scheduled_server_backup(pg_db, tmp_path / "second").status == "made"  # released: due, made


WORKER = """
import sys, time
from pathlib import Path
from inspector.cli.server_backup import print_scheduled_run
from inspector.core.sync.server_schedule import run_scheduled_server_backup
from inspector.services import Services
go, services = Path(sys.argv[1]), Services(Path(sys.argv[2]), database_url=sys.argv[3])
services.db.engine.connect().close()  # connected before the start: the runs begin together
while not go.exists():
    time.sleep(0.002)
print_scheduled_run(run_scheduled_server_backup(services.db, services.paths.backups), 24)  # what the CLI runs
"""


def test_two_office_pcs_at_once_make_one_backup(pg_db, tmp_path):
    create_enterprise(pg_db, name="兴国县宏达冷链物流有限公司")
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    folders = [tmp_path / f"pc-{n}" for n in (1, 2, 3)]
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(go), str(folder), pg_db.url], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for folder in folders]
    go.touch()
    outputs = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outputs.append(out)
    made = [b for folder in folders for b in scheduled(folder / "backups")]
    assert len(made) == 1, outputs
    assert sum("已定时备份" in out for out in outputs) == 1
    assert last_server_backup(pg_db).file == str(made[0].path)


def test_the_scheduled_backup_restores(pg_db, tmp_path, capsys):
    create_enterprise(pg_db, name="兴国县红星化工有限公司")
    office = ["--data-dir", str(tmp_path), "--database", pg_db.url]
    assert main([*office, "backup", "scheduled"]) == 0
    assert "已定时备份办公室数据库到" in capsys.readouterr().out
    [backup] = scheduled(tmp_path / "backups")
    create_enterprise(pg_db, name="备份之后新增的企业")
    restore_server_backup(pg_db, backup.path, tmp_path / "backups")
    assert [e.name for e in list_enterprises(pg_db)] == ["兴国县红星化工有限公司"]


def test_bad_options_are_one_line(pg_url, tmp_path, capsys):
    code = main(["--data-dir", str(tmp_path), "--database", pg_url, "backup", "scheduled", "--keep", "0"])
    assert code != 0
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_the_same_command_on_a_laptop_makes_the_files_scheduled_backup(data_dir, capsys):
    from inspector.core.sync.backups import list_backups
    from inspector.services import Services

    Services(data_dir).close()  # a laptop's database file
    assert main(["--data-dir", str(data_dir), "backup", "scheduled"]) == 0
    assert "已定时备份到" in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "backup", "scheduled"]) == 0
    assert "未到备份时间" in capsys.readouterr().out
    assert [b.reason for b in list_backups(data_dir / "backups")] == ["scheduled"]
