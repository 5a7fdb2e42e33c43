"""The history a merge writes: the file's history copied, plus every merged row's current version, whether or
not the file's history lists it (the merge records only the versions the file's history lacks: the rest came
with the copy)."""

from __future__ import annotations

import sqlite3

from tests.core.sync.test_sync_support import Device, specs, tamper


def history(device: Device) -> set[tuple[str, str, str, int]]:
    connection = device.connect()
    try:
        return set(connection.execute("SELECT table_name, row_id, version, seen_seq FROM sync_version"))
    finally:
        connection.close()


def current_versions(device: Device, tables: tuple[str, ...]) -> set[tuple[str, str, str]]:
    result = set()
    for table in tables:
        for row_id, row in device.rows(table).items():
            result.add((table, row_id, specs()[table].version_of(tuple(row[c] for c in specs()[table].digest_columns)).digest))
    return result


def test_a_merged_row_s_version_missing_from_the_file_s_history_is_recorded_with_the_merge(a: Device, b: Device, folder):
    enterprise = a.enterprise(1)
    inspection = a.inspection(2, enterprise)
    finding = a.finding(3, inspection)
    a.photo(4, finding)
    b.merge(a.export())  # b knows these rows and their history
    a.update("finding", finding, 10, description="复查后改写")
    new = a.finding(11, inspection, description="新隐患")
    exported = a.export()
    # the file's history lacks the current versions of the overwritten finding and of the new one
    stripped = tamper(exported, folder / "stripped.db",
                      ("DELETE FROM sync_version WHERE row_id IN (?, ?)", (finding, new)))
    connection = sqlite3.connect(stripped)
    left = {row for row in connection.execute("SELECT table_name, row_id, version FROM sync_version")}
    connection.close()
    report = b.merge(stripped)
    seq = report.undo_seq
    recorded = history(b)
    wanted = current_versions(b, ("enterprise", "inspection", "finding", "photo"))
    assert {("finding", finding), ("finding", new)} <= {(t, r) for t, r, _ in wanted}
    for table, row_id, version in wanted:
        assert any((table, row_id, version) == entry[:3] for entry in recorded), (table, row_id)
    merged_now = {entry[:3] for entry in recorded if entry[3] == seq}
    assert {e for e in wanted if e[1] in (finding, new)} <= merged_now
    assert {e for e in left if e[1] not in (finding, new)} <= {entry[:3] for entry in recorded}


def test_a_merge_records_each_version_once_with_the_first_operation_that_saw_it(a: Device, b: Device):
    enterprise = a.enterprise(1)
    a.finding(3, a.inspection(2, enterprise))
    first = b.merge(a.export()).undo_seq
    before = history(b)
    assert before and {entry[3] for entry in before} == {first}
    b.merge(a.export())  # nothing new: the history keeps the first sighting of every version
    assert {entry[:3]: entry[3] for entry in history(b)} == {entry[:3]: entry[3] for entry in before}
