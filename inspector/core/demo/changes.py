"""The demo's batch written with schema v7's stamp triggers skipped, then listed as local changes in bulk.

Migration 0007's insert triggers cost ~65 µs per row (a delete from ``sync_stamp`` and an insert
into ``local_change``, one row at a time in random id order); the demo writes ~700,000 rows. So the
batch goes in with the merge's flag row (``local_meta`` :data:`~inspector.core.sync.stamps.APPLYING`,
inside the batch's own transaction, as a merge does), and :func:`list_batch` then does, set-based
and in index order, exactly what the insert triggers would have done for every row the batch
added: delete the row's stamp and list it in ``local_change``. The result equals a write with
the triggers on (``tests/core/demo/test_demo_changes.py`` compares the two), so the "not yet
exported" count and the next export see the batch as any other local write.

The tables are those migration 0007 (or a later one) gave an insert trigger, read from the schema.
Rows of the batch are told apart by rowid: every synced table is a rowid table without
AUTOINCREMENT, so a row inserted in this transaction has a rowid above the table's highest before it.
"""

from __future__ import annotations

import sqlite3

from inspector.core.sync import stamps

TRIGGER_NAME = "sync_stamp_{table}_insert"


def stamped_tables(connection: sqlite3.Connection) -> list[str]:
    """Tables whose inserts the stamp triggers list, in name order (so ``local_change`` fills in key order)."""
    rows = connection.execute(
        "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name = 'sync_stamp_' || tbl_name || '_insert' "
        "AND EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)", (stamps.CHANGES,)).fetchall()
    return sorted(name for (name,) in rows)


class TriggerlessBatch:
    """``begin()`` in the batch's write transaction, before its inserts; ``finish()`` after them, before COMMIT."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection
        self.tables = stamped_tables(connection)
        self.before: dict[str, int] = {}

    def begin(self) -> None:
        if not self.tables:
            return
        for table in self.tables:
            self.before[table] = self.connection.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
        stamps.set_applying(self.connection, True)

    def list_now(self, table: str) -> int:
        """List ``table``'s rows added so far, in the batch's transaction (:meth:`finish` then lists only the
        later ones): a new file lists its answers on the writer thread, off the end of the batch."""
        if table not in self.before:
            return 0
        listed = list_batch(self.connection, {table: self.before[table]})
        self.before[table] = self.connection.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
        return listed

    def finish(self) -> int:
        """Lower the flag and list the batch's rows; returns how many rows were listed."""
        if not self.tables:
            return 0
        stamps.set_applying(self.connection, False)
        return list_batch(self.connection, self.before)


def list_batch(connection: sqlite3.Connection, before: dict[str, int]) -> int:
    """What the insert triggers do, for every row above ``before[table]``: its stamp deleted, its id listed."""
    listed = 0
    for table, last in sorted(before.items()):
        connection.execute(f"DELETE FROM {stamps.STAMPS} WHERE table_name = ? AND EXISTS "  # per stamp: none in a new file
                           f"(SELECT 1 FROM {table} AS t WHERE t.id = {stamps.STAMPS}.row_id AND t.rowid > ?)",
                           (table, last))
        listed += connection.execute(
            f"INSERT OR IGNORE INTO {stamps.CHANGES} (table_name, row_id) "
            f"SELECT ?, id FROM {table} WHERE rowid > ? ORDER BY id", (table, last)).rowcount
    return listed
