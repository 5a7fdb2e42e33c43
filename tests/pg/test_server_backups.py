"""Backups of the office database on a real PostgreSQL server: pg_dump archive, restore in one transaction."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from inspector.cli import main
from inspector.core.records.enterprises import create_enterprise, list_enterprises, update_enterprise
from inspector.core.records.inspectors import add_inspector, list_inspectors
from inspector.core.sync.server_backups import (check_server_backup, create_server_backup, list_server_backups,
                                                restore_server_backup)
from inspector.db.migrations import latest_version
from inspector.errors import UserError


def _state(db) -> tuple:
    return (sorted((e.name, e.address) for e in list_enterprises(db)), sorted(i.name for i in list_inspectors(db)),
            db.device_id)


def _table_rows(db) -> dict[str, int]:
    with db.engine.connect() as connection:
        tables = connection.execute(text("SELECT table_name FROM information_schema.tables "
                                         "WHERE table_schema = current_schema()")).scalars().all()
        return {t: connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in sorted(tables)}


def test_back_up_change_restore_gives_the_data_as_at_the_backup(pg_db, tmp_path):
    backups = tmp_path / "backups"
    red = create_enterprise(pg_db, name="兴国县红星化工有限公司", address="工业大道1号")
    add_inspector(pg_db, name="张三")
    before = _state(pg_db)
    backup = create_server_backup(pg_db, backups)
    assert backup.parent == backups and backup.read_bytes()[:5] == b"PGDMP"
    assert [b.path for b in list_server_backups(backups)] == [backup]
    checked = check_server_backup(backup)
    assert checked.version == latest_version() and checked.tables >= 12

    update_enterprise(pg_db, red.id, name="兴国县红星化工有限公司", address="改过的地址")
    create_enterprise(pg_db, name="备份之后新增的企业")
    add_inspector(pg_db, name="李四")
    assert _state(pg_db) != before

    safety = restore_server_backup(pg_db, backup, backups)
    assert _state(pg_db) == before
    assert safety != backup and "before-restore" in safety.name
    # the state just before the restore was kept: restoring it brings the changes back
    restore_server_backup(pg_db, safety, backups)
    assert "备份之后新增的企业" in [e.name for e in list_enterprises(pg_db)]
    assert len(list_server_backups(backups)) == 3


def test_a_restore_removes_tables_the_backup_did_not_have(pg_db, tmp_path):
    backup = create_server_backup(pg_db, tmp_path)
    with pg_db.engine.begin() as connection:  # as a later schema step would add one
        connection.execute(text("CREATE TABLE added_later (id INTEGER PRIMARY KEY)"))
    restore_server_backup(pg_db, backup, tmp_path)
    assert "added_later" not in _table_rows(pg_db)


@pytest.mark.parametrize("damage", ["truncated", "forged", "not_ours", "text"])
def test_a_bad_backup_is_refused_and_the_server_is_unchanged(pg_db, pg_cluster, tmp_path, damage):
    create_enterprise(pg_db, name="兴国县绿源食品有限公司")
    good = create_server_backup(pg_db, tmp_path / "backups")
    bad = tmp_path / "bad.dump"
    if damage == "truncated":
        data = good.read_bytes()
        bad.write_bytes(data[: len(data) * 2 // 3])
    elif damage == "forged":
        bad.write_bytes(b"PGDMP" + os.urandom(4000))
    elif damage == "not_ours":  # a sound pg_dump archive of some other database
        from types import SimpleNamespace

        from inspector.db.server import make_server_engine

        other_url = pg_cluster.create_database()
        other = SimpleNamespace(url=other_url, engine=make_server_engine(other_url))
        with other.engine.begin() as connection:
            connection.execute(text("CREATE TABLE enterprise (id TEXT PRIMARY KEY)"))
        bad = create_server_backup(other, tmp_path / "other")
        other.engine.dispose()
    else:
        bad.write_text("DROP TABLE enterprise;", encoding="utf-8")
    before, rows = _state(pg_db), _table_rows(pg_db)
    listed = sorted(p.name for p in (tmp_path / "backups").iterdir())
    with pytest.raises(UserError) as refused:
        restore_server_backup(pg_db, bad, tmp_path / "backups")
    assert "未作任何改动" in refused.value.message
    assert _state(pg_db) == before and _table_rows(pg_db) == rows
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == listed  # refused before any backup


def test_a_restore_that_fails_midway_leaves_the_database_as_it_was(pg_db, tmp_path, monkeypatch):
    create_enterprise(pg_db, name="兴国县红星化工有限公司")
    backup = create_server_backup(pg_db, tmp_path)
    create_enterprise(pg_db, name="恢复失败后仍在的企业")
    before, rows = _state(pg_db), _table_rows(pg_db)
    from inspector.core.sync import server_backups

    real = server_backups._pipe

    def fail_at_the_end(restore, psql, preamble):  # the archive's SQL runs, then one statement fails
        psql.stdin.write(preamble.encode())
        while chunk := restore.stdout.read(1 << 16):
            psql.stdin.write(chunk)
        restore.wait()
        psql.stdin.write(b"SELECT 1/0;\nCOMMIT;\n")
        psql.stdin.close()
        return True

    monkeypatch.setattr(server_backups, "_pipe", fail_at_the_end)
    with pytest.raises(UserError) as failed:
        restore_server_backup(pg_db, backup, tmp_path)
    assert "未改动" in failed.value.message and "division by zero" in failed.value.message
    assert _state(pg_db) == before and _table_rows(pg_db) == rows
    monkeypatch.setattr(server_backups, "_pipe", real)


def test_the_password_reaches_pg_dump_only_through_its_environment(pg_cluster, tmp_path, monkeypatch):
    from inspector.db.database import Database
    from inspector.core.sync import server_backups

    url = pg_cluster.create_database().replace("postgres@", "postgres:Secret-Pw1@")
    db = Database.open_url(url)
    seen = []
    real_run = server_backups._run

    def spy(command, environment=None, **kwargs):
        seen.append((command, environment))
        return real_run(command, environment, **kwargs)

    monkeypatch.setattr(server_backups, "_run", spy)
    try:
        path = create_server_backup(db, tmp_path)
    finally:
        db.close()
    command, environment = seen[0]
    assert "Secret-Pw1" not in " ".join(command) and environment["PGPASSWORD"] == "Secret-Pw1"
    assert "PGPASSWORD" not in os.environ or os.environ["PGPASSWORD"] != "Secret-Pw1"
    assert b"Secret-Pw1" not in path.read_bytes()


def test_backup_commands_on_the_server(pg_url, data_dir, capsys):
    office = ["--data-dir", str(data_dir), "--database", pg_url]
    assert main([*office, "inspectors", "add", "张三"]) == 0
    capsys.readouterr()
    assert main([*office, "backup", "create"]) == 0
    out = capsys.readouterr().out
    assert "已备份办公室数据库到" in out
    assert main([*office, "inspectors", "add", "李四"]) == 0
    capsys.readouterr()
    assert main([*office, "backup", "list", "--json"]) == 0
    import json

    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 1 and listed[0]["reason"] == "manual"
    name = os.path.basename(listed[0]["path"])
    assert main([*office, "backup", "restore", name]) == 2  # without --yes: only says what it would do
    assert "--yes" in capsys.readouterr().err
    assert main([*office, "backup", "restore", name, "--yes"]) == 0
    assert "已恢复" in capsys.readouterr().out
    assert main([*office, "inspectors"]) == 0
    out = capsys.readouterr().out
    assert "张三" in out and "李四" not in out
    bad = data_dir / "bad.dump"
    bad.write_bytes(b"not a dump")
    assert main([*office, "backup", "restore", str(bad), "--yes"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "不是 pg_dump" in err and "Traceback" not in err


def test_a_restore_while_another_pc_holds_a_transaction_gives_up_and_changes_nothing(pg_db, pg_url, tmp_path,
                                                                                     monkeypatch):
    from inspector.core.sync import server_backups
    from inspector.db.server import make_server_engine

    create_enterprise(pg_db, name="兴国县红星化工有限公司")
    backup = create_server_backup(pg_db, tmp_path)
    create_enterprise(pg_db, name="另一台电脑正在看的企业")
    before = _state(pg_db)
    monkeypatch.setattr(server_backups, "LOCK_TIMEOUT", "1s")
    other_pc = make_server_engine(pg_url)
    try:
        with other_pc.connect() as connection:
            connection.execute(text("SELECT count(*) FROM enterprise"))  # an open transaction holds its lock
            with pytest.raises(UserError) as failed:
                restore_server_backup(pg_db, backup, tmp_path)
            assert "未改动" in failed.value.message and "其他电脑正在使用办公室数据库" in failed.value.message
            connection.rollback()
        assert _state(pg_db) == before
        restore_server_backup(pg_db, backup, tmp_path)  # the other PC is idle now: the restore goes through
        with other_pc.connect() as connection:  # and that PC's pooled connection sees the restored data
            names = connection.execute(text("SELECT name FROM enterprise")).scalars().all()
        assert names == ["兴国县红星化工有限公司"]
    finally:
        other_pc.dispose()


def test_automatic_server_backups_are_pruned_and_manual_ones_kept(tmp_path):
    from datetime import datetime, timedelta, timezone

    from inspector.core.sync.server_backups import _unique_name, prune_server_backups

    start = datetime(2026, 3, 1, tzinfo=timezone.utc)
    made = {}
    for i, (database, reason) in enumerate([("office", "manual")] + [("office", "merge")] * 4
                                           + [("office", "before-restore")] + [("other", "merge")] * 2):
        path = _unique_name(tmp_path, database, reason, start + timedelta(hours=i))
        path.write_bytes(b"PGDMP")
        made[path.name] = (database, reason, i)
    removed = prune_server_backups(tmp_path, keep=2)
    left = sorted(made[b.path.name] for b in list_server_backups(tmp_path))
    assert left == [("office", "before-restore", 5), ("office", "manual", 0), ("office", "merge", 4),
                    ("other", "merge", 6), ("other", "merge", 7)]
    assert len(removed) == 3
