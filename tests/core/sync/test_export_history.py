"""The history a full export carries: ``seen_seq`` as the live file has it (a receiver ignores it, and it holds
nothing local beyond operation numbers), and the versions the history lacked taken from the local changes,
over every stamp when the local changes do not explain them all."""

from __future__ import annotations

import logging
import sqlite3
import threading

import pytest

from inspector.core.sync import full_export, stamps
from inspector.core.sync.export import export_database
from inspector.core.sync.rows import table_specs
from inspector.core.sync.verify import verify_export
from tests.core.sync.test_sync_support import Device, tamper


def _field_day(device: Device, at: int) -> dict[str, str]:
    enterprise = device.enterprise(at, name=f"兴国县{device.name}测试有限公司")
    inspection = device.inspection(at + 1, enterprise)
    finding = device.finding(at + 2, inspection)
    return {"enterprise": enterprise, "inspection": inspection, "finding": finding,
            "photo": device.photo(at + 3, finding, picture=at % 3)}


def _laptop_with_a_past(folder) -> tuple[Device, dict[str, str]]:
    """A laptop that exported, merged a colleague's file and edited since: its history holds three seen_seq."""
    a, b = Device(folder / "a", "a"), Device(folder / "b", "b")
    ids = _field_day(a, 1)
    a.export()
    _field_day(b, 10)
    a.merge(b.export())
    a.update("finding", ids["finding"], 20, description="消防通道堵塞，已责令整改")
    a.finding(21, ids["inspection"], "配电箱未接地")
    return a, ids


def _state(path) -> dict:
    """What a merge leaves in a database: every synced row, the history with seen_seq, conflicts, stamps, changes."""
    from inspector.core.sync.rows import SYNC_ORDER

    connection = sqlite3.connect(path)
    try:
        state = {table: sorted(connection.execute(f"SELECT * FROM {table}")) for table in SYNC_ORDER}
        for table in ("sync_version", "sync_stamp", "local_change"):
            state[table] = sorted(connection.execute(f"SELECT * FROM {table}"))
        state["sync_conflict"] = sorted(connection.execute("SELECT table_name, row_id, kept, other, source "
                                                           "FROM sync_conflict"))
        return state
    finally:
        connection.close()


def _seqs(path) -> set[int]:
    """The operation numbers this database has given its exports and merges."""
    with sqlite3.connect(path) as connection:
        return {int(seq) for (seq,) in connection.execute("SELECT json_extract(details, '$.seq') FROM sync_log")}


def test_the_file_keeps_seen_seq_and_holds_only_the_local_history_as_this_export_left_it(folder):
    a, _ = _laptop_with_a_past(folder)
    out = folder / "full.db"
    result = export_database(a.path, out)
    with sqlite3.connect(out) as exported, a.connect() as local:
        in_file = sorted(exported.execute("SELECT * FROM sync_version"))
        assert in_file == sorted(local.execute("SELECT * FROM sync_version"))
        local_only = [name for (name,) in exported.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
            "('sync_log', 'sync_stamp', 'local_change', 'sync_conflict', 'local_meta')")]
        assert all(exported.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == 0 for name in local_only)
    seen = {row[3] for row in in_file}
    assert seen == {1, 2, result.seq} and seen <= _seqs(a.path)  # operation numbers, nothing else
    assert {row[3] for row in in_file if row[1] in a.rows("finding")} >= {1, result.seq}


@pytest.mark.parametrize("seen_seq", [0, 987654321], ids=["zeroed", "foreign"])
def test_a_receiver_ignores_the_seen_seq_of_an_incoming_history(folder, seen_seq):
    a, ids = _laptop_with_a_past(folder)
    sent = folder / "sent.db"
    export_database(a.path, sent)
    other = tamper(sent, folder / "other.db", ("UPDATE sync_version SET seen_seq = ?", (seen_seq,)))
    assert verify_export(other).manifest.content_sha256 == verify_export(sent).manifest.content_sha256

    office = Device(folder / "office", "office")
    _field_day(office, 30)
    office.export()  # the receiver has its own operation numbers before the files arrive
    twin = office.clone(folder / "twin")
    office.merge(sent)
    twin.merge(other)
    assert _state(office.path) == _state(twin.path)
    assert {row[3] for row in _state(office.path)["sync_version"]} <= _seqs(office.path)
    assert office.rows("finding")[ids["finding"]]["description"] == "消防通道堵塞，已责令整改"


@pytest.mark.parametrize("few", [full_export.FEW, 1], ids=["digested-from-the-snapshot", "many-added-in-the-copy"])
def test_the_versions_the_history_lacks_come_from_the_local_changes(folder, monkeypatch, few):
    a, ids = _laptop_with_a_past(folder)  # two versions carried: the edited finding and the new one
    monkeypatch.setattr(full_export, "FEW", few)
    taken = []
    for name in ("_add_current_to_history", "_add_carried_to_history"):
        original = getattr(full_export, name)
        monkeypatch.setattr(full_export, name, lambda connection, seq, arg, name=name, original=original:
                            taken.append((name, arg if isinstance(arg, bool) else len(arg)))
                            or original(connection, seq, arg))
    out = folder / "full.db"
    result = export_database(a.path, out)
    assert taken == ([("_add_carried_to_history", 2)] if few > 1 else [("_add_current_to_history", True)])
    assert verify_export(out).manifest.content_sha256 == result.manifest.content_sha256
    with a.connect() as connection:
        assert connection.execute("SELECT count(*) FROM local_change").fetchone()[0] == 0  # all exported now
        missing = connection.execute(
            "SELECT count(*) FROM sync_stamp AS s WHERE NOT EXISTS (SELECT 1 FROM sync_version AS v WHERE "
            "v.table_name = s.table_name AND v.row_id = s.row_id AND v.version = s.version)").fetchone()[0]
        local_history = sorted(connection.execute("SELECT * FROM sync_version"))
    assert missing == 0
    with sqlite3.connect(out) as exported:
        assert sorted(exported.execute("SELECT * FROM sync_version")) == local_history


def test_a_version_the_local_changes_do_not_explain_is_found_over_every_stamp_and_said(folder, caplog):
    a, ids = _laptop_with_a_past(folder)
    with a.connect() as connection:  # as a bug would leave it: the edited row stamped, its listing lost
        stamps.refresh(connection, table_specs(connection))
        connection.execute("DELETE FROM local_change WHERE row_id = ?", (ids["finding"],))
    out = folder / "full.db"
    with caplog.at_level(logging.WARNING, logger="inspector.core.sync.full_export"):
        result = export_database(a.path, out)
    assert "1 current versions are neither in the history nor listed" in caplog.text
    with a.connect() as connection:
        version = connection.execute("SELECT version FROM sync_stamp WHERE row_id = ?", (ids["finding"],)).fetchone()[0]
        assert connection.execute("SELECT seen_seq FROM sync_version WHERE row_id = ? AND version = ?",
                                  (ids["finding"], version)).fetchone() == (result.seq,)
    with sqlite3.connect(out) as exported:
        assert exported.execute("SELECT count(*) FROM sync_version WHERE row_id = ? AND version = ?",
                                (ids["finding"], version)).fetchone()[0] == 1
    assert verify_export(out).manifest.content_sha256 == result.manifest.content_sha256


def test_no_thread_of_the_export_outlives_it(folder):
    a, _ = _laptop_with_a_past(folder)
    export_database(a.path, folder / "full.db")
    assert not [t for t in threading.enumerate() if t.name.startswith("export-")]
