"""The merge sets the stamp triggers' INSERT half aside while it writes the rows new everywhere (merge_triggers):
inside its transaction, put back before anything else is written, checked before COMMIT. The database after a
merge has every trigger exactly as before and they work; a failure at any point leaves the file as it was."""

from __future__ import annotations

import gc
import sqlite3

import pytest

from inspector.core.sync import merge_triggers, new_rows
from inspector.errors import UserError
from tests.core.sync.test_merge_pipeline import every_table, scene  # noqa: F401 (fixture)
from tests.core.sync.test_sync_support import Device, file_digest


def triggers(device: Device) -> list[tuple]:
    connection = device.connect()
    try:
        return sorted(connection.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"))
    finally:
        connection.close()


def test_after_a_merge_every_trigger_is_as_before_and_still_tracks_local_edits(scene, b):  # noqa: F811
    before = triggers(b)
    assert any(name.endswith("_insert") for name, _, _ in before)
    report = b.merge(scene)
    assert report.total("added") >= 10
    assert triggers(b) == before
    new_finding = next(row_id for row_id, row in b.rows("finding").items() if row["description"] == "新隐患0")
    connection = b.connect()
    try:
        assert connection.execute("SELECT count(*) FROM local_change WHERE row_id = ?", (new_finding,)).fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM sync_stamp WHERE row_id = ?", (new_finding,)).fetchone()[0] == 1
    finally:
        connection.close()
    b.update("finding", new_finding, 60, description="本机改写")  # the update trigger: stamp gone, change listed
    inserted = b.finding(61, b.rows("finding")[new_finding]["inspection_id"], description="本机新增")  # the insert trigger
    connection = b.connect()
    try:
        changes = {row_id for (row_id,) in connection.execute("SELECT row_id FROM local_change WHERE table_name = 'finding'")}
        stamped = {row_id for (row_id,) in connection.execute("SELECT row_id FROM sync_stamp WHERE table_name = 'finding'")}
    finally:
        connection.close()
    assert {new_finding, inserted} <= changes and not {new_finding, inserted} & stamped


def test_the_rows_new_everywhere_are_written_with_the_insert_triggers_set_aside(scene, b, monkeypatch):  # noqa: F811
    seen = []
    original = new_rows.write

    def write(connection, *args, **kwargs):
        seen.append({name for (name,) in connection.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_stamp_%_insert'")})
        return original(connection, *args, **kwargs)

    monkeypatch.setattr(new_rows, "write", write)
    b.merge(scene)
    planned_only = {f"sync_stamp_{table}_insert" for table in ("notice", "document_number", "number_block")}
    assert seen == [planned_only]  # the tables new_rows writes: their INSERT triggers are aside
    assert not {f"sync_stamp_{table}_insert" for table in new_rows.TABLES} & planned_only
    assert sum(name.endswith("_insert") for name, _, _ in triggers(b)) == len(new_rows.TABLES) + 3


def test_a_merge_whose_triggers_were_not_put_back_commits_nothing(scene, b, monkeypatch):  # noqa: F811
    monkeypatch.setattr(merge_triggers, "put_back", lambda connection, texts: None)
    gc.collect()
    before_rows, before_bytes = every_table(b.path), file_digest(b.path)
    before_triggers = triggers(b)
    with pytest.raises(UserError) as refused:
        b.merge(scene)
    assert "数据库未改动" in refused.value.message
    assert triggers(b) == before_triggers
    assert every_table(b.path) == before_rows and file_digest(b.path) == before_bytes


@pytest.mark.parametrize("point", ["after_finding", "after_photo"])
def test_a_failure_while_the_triggers_are_aside_rolls_their_drop_back(point, scene, b, monkeypatch):  # noqa: F811
    from inspector.core.sync import merge_pipeline

    def fail(where: str) -> None:
        if where == point:
            raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(merge_pipeline, "_test_hook", fail)
    gc.collect()
    before_rows, before_bytes, before_triggers = every_table(b.path), file_digest(b.path), triggers(b)
    with pytest.raises(UserError):
        b.merge(scene)
    assert triggers(b) == before_triggers
    assert every_table(b.path) == before_rows and file_digest(b.path) == before_bytes
    monkeypatch.undo()
    b.merge(scene)
    assert triggers(b) == before_triggers
