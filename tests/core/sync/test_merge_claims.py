"""A laptop (or office SQLite) merge claims the numbers of merged number blocks, as the server merge does."""

from __future__ import annotations

import sqlite3

import pytest

from inspector.core.sync import undo
from tests.core.sync.test_sync_support import Device

PREFIX = "兴经开安改"


def claims(path) -> set[tuple[int, str]]:
    connection = sqlite3.connect(path)
    try:
        return set(connection.execute("SELECT seq, block_id FROM number_claim WHERE kind = 'park' AND prefix = ?",
                                      (PREFIX,)))
    finally:
        connection.close()


def test_merged_blocks_claim_their_numbers_overlaps_are_reported_and_undo_gives_the_claims_back(folder):
    from inspector.core.documents import numbering
    from inspector.db.database import Database

    office = Device(folder / "office", "office")
    db = Database.open(office.path, office.backups)
    own = numbering.add_block(db, kind="park", prefix=PREFIX, year=2026, first=1, last=10)
    db.close()
    laptop = Device(folder / "laptop", "laptop")
    overlapping = laptop.insert("number_block", 1, kind="park", prefix=PREFIX, year=2026, first=5, last=15,
                                assigned_device_id=laptop.device_id, note="")
    free = laptop.insert("number_block", 1, kind="park", prefix=PREFIX, year=2026, first=30, last=32,
                         assigned_device_id=laptop.device_id, note="")
    export = laptop.export()
    before = claims(office.path)
    preview = office.merge(export, dry_run=True)
    assert claims(office.path) == before == {(n, own.id) for n in range(1, 11)}
    report = office.merge(export)
    assert preview.block_collisions == report.block_collisions
    assert [(c["block_id"], c["numbers"], c["other_blocks"]) for c in report.block_collisions] == [
        (overlapping, [5, 6, 7, 8, 9, 10], [own.id])]
    assert any("号段重叠" in line for line in report.lines())
    merged = claims(office.path)
    assert merged == before | {(n, overlapping) for n in range(11, 16)} | {(n, free) for n in range(30, 33)}
    db = Database.open(office.path, office.backups)
    with pytest.raises(numbering.UserError, match="重叠"):  # the merged block's numbers are taken here now
        numbering.add_block(db, kind="park", prefix=PREFIX, year=2026, first=31, last=31)
    db.close()

    undo.undo_merge(office.path)
    assert claims(office.path) == before
    office.merge(export)
    assert claims(office.path) == merged
    laptop.delete("number_block", free, 5)  # the laptop withdraws a block: its numbers are free again
    office.merge(laptop.export())
    assert claims(office.path) == merged - {(n, free) for n in range(30, 33)}
    undo.undo_merge(office.path)  # the withdrawal undone: the block holds its numbers again
    assert claims(office.path) == merged
