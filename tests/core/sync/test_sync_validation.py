"""Every incoming row obeys its table's rules, the schema is exactly ours and a batch merges whole or not at all.

Each bad export here passes every check the old verifier made: it is edited and then resealed with
the project's own manifest code (:func:`~tests.core.sync.test_sync_support.reseal`). It must be
refused with one Chinese sentence naming table, row id and field, before any backup, and the local
database must stay byte for byte.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from inspector.cli import main
from tests.core.sync.test_sync_support import Device, fast_tmp_dir, file_digest, tamper


@pytest.fixture(scope="module")
def sound(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A sound export with a row in most tables, and the id of each row."""
    folder = fast_tmp_dir()
    try:
        device = Device(folder / "peer", "validation-peer")
        ids = {"enterprise": device.enterprise(1)}
        ids["inspector"] = device.insert("inspector", 1, name="张三", certificate_no="赣0001", active=1)
        ids["inspection"] = device.inspection(2, ids["enterprise"])
        device.update("inspection", ids["inspection"], 3, inspector_ids=f'["{ids["inspector"]}"]')
        ids["finding"] = device.finding(4, ids["inspection"])
        ids["photo"] = device.photo(5, ids["finding"])
        ids["notice"] = device.notice(6, ids["enterprise"])
        ids["document_number"] = device.number(6, 1, notice_id=ids["notice"])
        device.update("notice", ids["notice"], 6, number_id=ids["document_number"])
        target = tmp_path_factory.mktemp("sound") / "peer.db"
        shutil.copy(device.export(), target)
        return target, ids
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def set_value(table: str, column: str, value) -> tuple[str, tuple]:
    return (f'UPDATE {table} SET "{column}" = ?', (value,))


# case -> (table, field, edit)
CASES = {
    "updated_at garbage": ("inspection", "updated_at", set_value("inspection", "updated_at", "garbage")),
    "started_at not a date": ("inspection", "started_at", set_value("inspection", "started_at", "not a date")),
    "inspector_ids malformed JSON": ("inspection", "inspector_ids", set_value("inspection", "inspector_ids", "[not json")),
    "inspector_ids not ids": ("inspection", "inspector_ids", set_value("inspection", "inspector_ids", '["张三"]')),
    "inspector_ids an object": ("inspection", "inspector_ids", set_value("inspection", "inspector_ids", '{"a": 1}')),
    "unknown inspection status": ("inspection", "status", set_value("inspection", "status", "archived")),
    "unknown hazard status": ("finding", "status", set_value("finding", "status", "exploded")),
    "unknown level": ("finding", "level", set_value("finding", "level", "critical")),
    "unknown result": ("finding", "result", set_value("finding", "result", "maybe")),
    "rev is text": ("finding", "rev", set_value("finding", "rev", "abc")),
    "rev is a float": ("finding", "rev", set_value("finding", "rev", 2.5)),
    "seq is text": ("finding", "seq", set_value("finding", "seq", "three")),
    "year 9999 wins every conflict": ("finding", "updated_at",
                                      set_value("finding", "updated_at", "9999-12-31T23:59:59.999999Z")),
    "later than the export": ("enterprise", "updated_at", set_value("enterprise", "updated_at", "2099-01-01T00:00:00.000000Z")),
    "before 2000": ("enterprise", "created_at", set_value("enterprise", "created_at", "1999-12-31T23:59:59.000000Z")),
    "no such day": ("enterprise", "updated_at", set_value("enterprise", "updated_at", "2026-02-30T08:00:00.000000Z")),
    "not fixed width": ("enterprise", "updated_at", set_value("enterprise", "updated_at", "2026-03-01T08:00:00Z")),
    "time as a number": ("enterprise", "updated_at", set_value("enterprise", "updated_at", 1767225600)),
    "deadline month 13": ("finding", "deadline", set_value("finding", "deadline", "2026-13-01")),
    "name over the import cap": ("enterprise", "name", set_value("enterprise", "name", "兴" * 501)),
    "description of a megabyte": ("finding", "description", set_value("finding", "description", "x" * 1_000_000)),
    "NUL in text": ("enterprise", "address", set_value("enterprise", "address", "工业园\x00一路")),
    "photo kind": ("photo", "kind", set_value("photo", "kind", "sideways")),
    "active is 2": ("inspector", "active", set_value("inspector", "active", 2)),
    "notice status": ("notice", "status", set_value("notice", "status", "lost")),
    "notice kind": ("notice", "kind", set_value("notice", "kind", "letter")),
    "number seq zero": ("document_number", "seq", set_value("document_number", "seq", 0)),
    "device id not a uuid": ("finding", "device_id", set_value("finding", "device_id", "laptop-7")),
    "reference not a uuid": ("photo", "reinspection_id", set_value("photo", "reinspection_id", "nothing")),
    "id not a uuid": ("inspector", "id", ("UPDATE inspector SET id = 'inspector-1'", ())),
}


def refused(capsys, data_dir: Path, file: Path) -> str:
    database = data_dir / "inspector.db"
    before, backups = file_digest(database), sorted((data_dir / "backups").iterdir())
    for argv in (["merge", "--dry-run", str(file)], ["merge", str(file)]):
        code = main(["--data-dir", str(data_dir), *argv])
        err = capsys.readouterr().err
        assert code == 1 and err.startswith("错误：") and err.count("\n") == 1 and "内部错误" not in err, err
    assert file_digest(database) == before and not (data_dir / "inspector.db-wal").exists()
    assert sorted((data_dir / "backups").iterdir()) == backups  # refused before the backup
    return err


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_resealed_export_with_a_bad_row_is_refused_naming_table_row_and_field(case, sound, demo_dir, tmp_path,
                                                                               capsys):
    good, ids = sound
    table, field, edit = CASES[case]
    bad = tamper(good, tmp_path / "bad.db", edit)
    err = refused(capsys, demo_dir, bad)
    row_id = "inspector-1" if case == "id not a uuid" else ids[table]
    assert f"（{table}）" in err and row_id in err and f"字段 {field} " in err and "拒绝" in err, err


def test_a_resealed_export_with_a_bad_history_entry_is_refused(sound, demo_dir, tmp_path, capsys):
    good, _ = sound
    bad = tamper(good, tmp_path / "bad.db", "UPDATE sync_version SET version = 'not a hash'")
    assert "sync_version" in refused(capsys, demo_dir, bad)


SCHEMA_CASES = {
    "extra table": "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT)",
    "extra view": "CREATE VIEW everything AS SELECT * FROM enterprise",
    "extra trigger": "CREATE TRIGGER spy AFTER INSERT ON enterprise BEGIN DELETE FROM inspection; END",
    "extra index": "CREATE INDEX ix_extra ON finding (description)",
    "extra column": "ALTER TABLE enterprise ADD COLUMN secret TEXT",
    "missing index": "DROP INDEX ix_finding_status",
    "changed table": "ALTER TABLE inspector RENAME COLUMN certificate_no TO licence",
}


@pytest.mark.parametrize("case", sorted(SCHEMA_CASES))
def test_an_export_whose_schema_is_not_exactly_ours_is_refused(case, sound, demo_dir, tmp_path, capsys):
    good, _ = sound
    bad = tamper(good, tmp_path / "bad.db", SCHEMA_CASES[case])
    assert "数据结构与本程序不同" in refused(capsys, demo_dir, bad)


def test_the_sound_export_merges(sound, demo_dir, capsys):
    assert main(["--data-dir", str(demo_dir), "merge", str(sound[0])]) == 0
    assert "合并完成" in capsys.readouterr().out
    assert main(["--data-dir", str(demo_dir), "check"]) == 0


# --- a batch is all or nothing -------------------------------------------------------------

def test_a_batch_whose_last_file_breaks_a_reference_changes_nothing(demo_dir, tmp_path, capsys):
    files = []
    for n in range(8):
        device = Device(tmp_path / f"a{n + 1}", f"batch-{n + 1}")
        device.enterprise(n, name=f"兴国县第{n + 1}有限公司")
        files.append(device.export())
    device = Device(tmp_path / "z9", "batch-z9")
    inspection = device.inspection(1, device.enterprise(1))
    device.finding(2, inspection)
    broken = tamper(device.export(), tmp_path / "z9.db", ("DELETE FROM inspection", ()),
                    ("DELETE FROM sync_version WHERE table_name = 'inspection'", ()))
    database = demo_dir / "inspector.db"
    before = file_digest(database)
    code = main(["--data-dir", str(demo_dir), "merge", *map(str, files), str(broken)])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("错误：") and "z9.db" in err and "所有文件均未合并" in err, err
    assert "在本机和所有导出文件中都不存在" in err, err  # the row named (found at COMMIT: the rows new everywhere)
    assert file_digest(database) == before
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("SELECT count(*) FROM enterprise WHERE name LIKE '兴国县第%有限公司'").fetchone() == (0,)
    finally:
        connection.close()
    assert main(["--data-dir", str(demo_dir), "merge", *map(str, files)]) == 0  # the sound eight merge together
    assert "合并完成" in capsys.readouterr().out


def test_more_files_than_one_transaction_takes_are_refused_before_anything(demo_dir, tmp_path, capsys):
    device = Device(tmp_path / "many", "many")
    device.enterprise(1)
    files = [str(device.export()) for _ in range(11)]
    before = file_digest(demo_dir / "inspector.db")
    assert main(["--data-dir", str(demo_dir), "merge", *files]) == 1
    assert "一次最多合并 10 个文件" in capsys.readouterr().err
    assert file_digest(demo_dir / "inspector.db") == before


# --- check reports a database poisoned before the merge validated rows -----------------------

POISON = {
    "updated_at": "UPDATE inspection SET updated_at = 'garbage' WHERE id = (SELECT min(id) FROM inspection)",
    "inspector_ids": "UPDATE inspection SET inspector_ids = '[oops' WHERE id = (SELECT max(id) FROM inspection)",
    "level": "UPDATE finding SET level = 'critical' WHERE id = (SELECT min(id) FROM finding)",
    "rev": "UPDATE finding SET rev = 'abc' WHERE id = (SELECT max(id) FROM finding)",
}


@pytest.mark.parametrize("field", sorted(POISON))
def test_check_reports_rows_that_break_the_rules(field, demo_dir, capsys):
    connection = sqlite3.connect(demo_dir / "inspector.db")
    connection.execute(POISON[field])
    connection.commit()
    connection.close()
    code = main(["--data-dir", str(demo_dir), "check"])
    out = capsys.readouterr().out
    assert code == 1 and f"字段 {field} " in out and "数据库完好" not in out, out


def test_check_reports_an_extra_trigger(demo_dir, capsys):
    connection = sqlite3.connect(demo_dir / "inspector.db")
    connection.execute("CREATE TRIGGER spy AFTER INSERT ON enterprise BEGIN SELECT 1; END")
    connection.commit()
    connection.close()
    assert main(["--data-dir", str(demo_dir), "check"]) == 1
    assert "多出触发器 spy" in capsys.readouterr().out


@pytest.mark.parametrize("field, value", [("merged_exports", [1]), ("device_id", "laptop\nseven"),
                                          ("kind", "everything"), ("counts", {"enterprise": "1"})])
def test_a_manifest_field_of_the_wrong_type_is_refused(field, value, sound, demo_dir, tmp_path, capsys):
    import json

    good, _ = sound
    connection = sqlite3.connect(good)
    manifest = json.loads(connection.execute("SELECT value FROM export_manifest").fetchone()[0])
    connection.close()
    bad = tamper(good, tmp_path / "bad.db", ("UPDATE export_manifest SET value = ?",
                                             (json.dumps(manifest | {field: value}),)))
    if field == "counts":  # resealing recounts: put the wrong type back afterwards
        connection = sqlite3.connect(bad)
        connection.execute("UPDATE export_manifest SET value = json_set(value, '$.counts.enterprise', '1')")
        connection.commit()
        connection.close()
    assert "导出清单已损坏" in refused(capsys, demo_dir, bad)


@pytest.mark.parametrize("fixture", ["schema_v1.db", "schema_v2.db", "schema_v3.db"])
def test_databases_of_every_released_schema_pass_the_rules_once_upgraded(fixture, tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(Path(__file__).parents[2] / "fixtures" / fixture, folder / "inspector.db")
    code = main(["--data-dir", str(folder), "check"])  # opening upgrades it; check applies schema and row rules
    assert code == 0, capsys.readouterr().out
    assert main(["--data-dir", str(folder), "export", "--out", str(tmp_path / "out.db")]) == 0
