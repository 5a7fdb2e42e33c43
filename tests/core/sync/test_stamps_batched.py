"""Stamps hashed in batches (issue 15, session 7): a database nobody hashed yet is hashed a bounded number of rows
at a time, and the stamps, the export's content digest and what the receiver accepts are those one pass gave."""

from __future__ import annotations

import sqlite3

import pytest

from inspector.core.sync import stamps
from inspector.core.sync.export import ExportOptions, export_database
from inspector.core.sync.rows import SYNC_ORDER, table_specs, versions
from inspector.core.sync.verify import verify_export
from tests.core.sync.test_sync_support import Device


def _device(folder) -> Device:
    device = Device(folder / "a", "a")
    for n in range(5):
        enterprise = device.enterprise(1 + n, name=f"兴国县批量{n}号有限公司")
        inspection = device.inspection(2 + n, enterprise)
        for k in range(3):
            device.photo(4 + n, device.finding(3 + n, inspection), picture=(n + k) % 3)
    return device


def _never_hashed(path) -> None:
    """As a database nobody hashed yet (bulk-written, or just upgraded to stamps): every row listed as a local
    change, no stamp, no history."""
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("DELETE FROM sync_stamp")
        connection.execute("DELETE FROM sync_version")
        for table in SYNC_ORDER:
            connection.execute(f"INSERT OR IGNORE INTO local_change (table_name, row_id) SELECT ?, id FROM {table}",
                               (table,))
    connection.close()


def _stamps(path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return sorted(connection.execute("SELECT table_name, row_id, version FROM sync_stamp"))


def _actual(path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        specs = table_specs(connection)
        return sorted((table, row_id, v.digest) for table in SYNC_ORDER
                      for row_id, v in versions(connection, specs[table]).items())


@pytest.fixture
def largest(monkeypatch):
    """The most rows one call of ``rows.versions`` returned while hashing stamps."""
    seen = [0]

    def counted(*args, **kwargs):
        found = versions(*args, **kwargs)
        seen[0] = max(seen[0], len(found))
        return found

    monkeypatch.setattr(stamps, "versions", counted)
    return seen


def test_refresh_hashes_a_never_hashed_database_a_batch_at_a_time_into_the_exact_stamps(folder, largest):
    device = _device(folder)
    _never_hashed(device.path)
    listed = sum(len(device.rows(table)) for table in SYNC_ORDER)
    connection = sqlite3.connect(device.path, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        hashed = stamps.refresh(connection, table_specs(connection), batch=2)
        connection.execute("COMMIT")
    finally:
        connection.close()
    assert hashed == listed and largest[0] == 2  # 15 findings and 15 photos, never more than 2 in one dict
    assert _stamps(device.path) == _actual(device.path)


def test_a_first_export_in_tiny_batches_is_the_export_of_one_pass(folder, monkeypatch, largest):
    device = _device(folder)
    _never_hashed(device.path)
    other = folder / "b" / "inspector.db"
    other.parent.mkdir()
    with sqlite3.connect(device.path) as source, sqlite3.connect(other) as target:
        source.backup(target)
    whole = export_database(other, folder / "whole.db")  # BATCH 20,000: every table in one batch, as before
    assert largest[0] == 15
    largest[0] = 0
    monkeypatch.setattr(stamps, "BATCH", 3)
    batched = export_database(device.path, folder / "batched.db")
    assert largest[0] == 3
    assert batched.manifest.content_sha256 == whole.manifest.content_sha256
    assert batched.manifest.counts == whole.manifest.counts
    assert verify_export(folder / "batched.db").manifest.content_sha256 == batched.manifest.content_sha256
    assert _stamps(device.path) == _stamps(other) == _actual(device.path)


def test_missing_stamps_are_staged_and_repaired_a_batch_at_a_time(folder, monkeypatch, largest):
    device = _device(folder)
    device.export()
    with device.connect() as connection:  # as a bug would leave them: stamps gone, the rows not listed
        connection.execute("DELETE FROM sync_stamp WHERE table_name IN ('finding', 'photo') AND row_id IN "
                           "(SELECT row_id FROM sync_stamp ORDER BY row_id LIMIT 20)")
    monkeypatch.setattr(stamps, "BATCH", 2)
    largest[0] = 0
    partial = export_database(device.path, folder / "partial.db", ExportOptions(since_last=True))  # stamps.stage
    assert largest[0] == 2
    assert verify_export(folder / "partial.db").manifest.content_sha256 == partial.manifest.content_sha256
    full = export_database(device.path, folder / "full.db")  # the copy's stamps repaired (full_export._reconcile)
    assert largest[0] == 2
    assert verify_export(folder / "full.db").manifest.content_sha256 == full.manifest.content_sha256
