"""Backups: made consistently, listed, pruned, restored safely while the database is open, on a schedule."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from inspector.core.sync import backups
from inspector.errors import UserError


def count(path, table="inspection") -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[0]
    finally:
        connection.close()


def test_a_backup_is_a_complete_self_contained_copy(demo_services):
    db, folder = demo_services.db, demo_services.paths.backups
    path = backups.create_backup(db.path, folder, "manual")
    assert path.parent == folder and path.name.startswith("backup-") and path.name.endswith("-manual.db")
    assert count(path) == count(db.path) > 0
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()
    assert [p.name for p in folder.iterdir() if p.name.endswith(".partial")] == []
    listed = backups.list_backups(folder)
    assert listed[0].path == path and listed[0].reason == "manual" and not listed[0].automatic


def test_automatic_backups_are_pruned_to_the_newest_n_and_manual_ones_are_kept(demo_services):
    db, folder = demo_services.db, demo_services.paths.backups
    manual = backups.create_backup(db.path, folder, "manual")
    made = [backups.create_backup(db.path, folder, "merge") for _ in range(4)]
    removed = backups.prune_backups(folder, keep=2)
    assert sorted(removed) == sorted(made[:2])
    remaining = {b.path for b in backups.list_backups(folder)}
    assert remaining >= {manual, *made[2:]} and not remaining & set(made[:2])


def test_restore_brings_the_content_back_while_the_database_is_open_and_backs_up_first(demo_services):
    db, folder = demo_services.db, demo_services.paths.backups
    saved = backups.create_backup(db.path, folder, "manual")
    before = count(db.path)
    with db.session() as session:  # the app keeps its engine open throughout
        from sqlalchemy import text

        session.execute(text("UPDATE inspection SET deleted_at = updated_at"))
    assert count(db.path) == 0
    safety = backups.restore_backup(db.path, saved, folder)
    assert count(db.path) == before
    assert count(safety) == 0 and "before-restore" in safety.name
    with db.session() as session:  # the open engine sees the restored content
        from sqlalchemy import text

        assert session.execute(text("SELECT count(*) FROM inspection WHERE deleted_at IS NULL")).scalar_one() == before
    connection = sqlite3.connect(db.path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()


def test_restore_refuses_what_is_not_a_sound_backup(demo_services, tmp_path):
    db, folder = demo_services.db, demo_services.paths.backups
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"SQLite format 3\x00" + b"\x01" * 5000)
    foreign = tmp_path / "foreign.db"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    from inspector.core.sync.export import export_database

    export = export_database(db.path, tmp_path / "export.db").path
    before = count(db.path)
    for bad, message in ((garbage, "损坏|不是"), (foreign, "不是本程序"), (export, "导出文件"), (tmp_path / "none.db", "找不到")):
        with pytest.raises(UserError, match=message):
            backups.restore_backup(db.path, bad, folder)
    assert count(db.path) == before
    assert not any(b.reason == "before-restore" for b in backups.list_backups(folder))


def test_scheduled_backup_runs_when_the_last_one_is_older_than_the_interval(demo_services):
    db, folder = demo_services.db, demo_services.paths.backups
    first = backups.run_scheduled_backup(db.path, folder, interval_hours=24, keep=3)
    assert first is not None and first.name.endswith("-scheduled.db")
    assert backups.run_scheduled_backup(db.path, folder, interval_hours=24, keep=3) is None
    later = datetime.now(timezone.utc) + timedelta(hours=25)
    assert backups.backup_due(folder, timedelta(hours=24), now=later)
    assert backups.run_scheduled_backup(db.path, folder, interval_hours=0) is None  # 0 turns the schedule off


def test_migration_backups_are_listed_but_never_pruned(demo_services):
    folder = demo_services.paths.backups
    schema = folder / "before-schema-v3-20260101T000000Z.db"
    shutil.copy(demo_services.db.path, schema)
    for _ in range(3):
        backups.create_backup(demo_services.db.path, folder, "scheduled")
    backups.prune_backups(folder, keep=1)
    listed = backups.list_backups(folder)
    assert schema in {b.path for b in listed} and [b.reason for b in listed].count("scheduled") == 1


# --- issue 11 case 2: restore precisely when the database is damaged or foreign -------------------

def _foreign(path) -> None:
    path.unlink()
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (text TEXT)")
    connection.execute("INSERT INTO notes VALUES ('someone else''s data')")
    connection.commit()
    connection.close()


def _damaged(path) -> None:
    data = bytearray(path.read_bytes())
    data[100:4096 * 3] = b"\xa5" * (4096 * 3 - 100)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("spoil", [
    lambda path: path.write_bytes(b"%PDF-1.4\n% a notice written over the database\n"),
    _foreign,
    _damaged,
], ids=["pdf-over-it", "foreign", "damaged"])
def test_cli_restore_works_when_the_database_cannot_be_opened(demo_dir, capsys, spoil):
    from inspector.cli import main

    database = demo_dir / "inspector.db"
    assert main(["--data-dir", str(demo_dir), "backup", "create"]) == 0
    [saved] = [b.path for b in backups.list_backups(demo_dir / "backups") if b.reason == "manual"]
    before = count(database)
    spoil(database)
    capsys.readouterr()
    assert main(["--data-dir", str(demo_dir), "inspections"]) != 0  # the app refuses the file, as before
    (demo_dir / "inspector.db-wal").write_bytes(b"stale journal of the spoiled file")
    spoiled = database.read_bytes()
    assert main(["--data-dir", str(demo_dir), "backup", "restore", saved.name]) == 2  # asks for --yes first
    assert database.read_bytes() == spoiled
    assert main(["--data-dir", str(demo_dir), "backup", "restore", saved.name, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "已恢复" in out and "未删除" in out
    [kept] = (demo_dir / "backups").glob("unusable-*-inspector.db")
    assert kept.read_bytes() == spoiled  # moved aside, never deleted
    assert (kept.parent / (kept.name + "-wal")).read_bytes() == b"stale journal of the spoiled file"
    assert count(database) == before
    assert main(["--data-dir", str(demo_dir), "check"]) == 0
    assert not [p for p in demo_dir.iterdir() if p.name.startswith(".")]


def test_restore_over_an_unusable_database_changes_nothing_when_the_backup_is_bad(demo_dir, tmp_path):
    database = demo_dir / "inspector.db"
    database.write_bytes(b"%PDF-1.4 spoiled")
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a backup at all, long enough to look like a file" * 10)
    with pytest.raises(UserError):
        backups.restore_over_unusable(database, bad, demo_dir / "backups")
    assert database.read_bytes() == b"%PDF-1.4 spoiled" and not list((demo_dir / "backups").glob("unusable-*"))


def test_a_scheduled_backup_leaves_no_temporary_file_whether_it_succeeds_or_fails(demo_services, monkeypatch):
    db, folder = demo_services.db, demo_services.paths.backups
    made = backups.run_scheduled_backup(db.path, folder, interval_hours=0.0001)
    assert made is not None and made.is_file()
    assert not list(folder.glob("*.partial"))

    def fail_half_way(source, target):
        target.write_bytes(b"half a copy")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "_copy_database", fail_half_way)
    for entry in folder.iterdir():
        entry.unlink()
    with pytest.raises(UserError):
        backups.run_scheduled_backup(db.path, folder, interval_hours=0.0001)
    assert list(folder.iterdir()) == []
