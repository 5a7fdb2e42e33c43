"""After a migration added columns to a synced table: give each row's current version its new hash.

A version hash covers the table's column names (:mod:`.rows`), so adding a column changes the hash of
every row. A migration that adds columns lists them in ``local_meta`` under ``sync_rehash:<table>``
(JSON list). :func:`rehash_pending` then computes, for every row, its hash as it was before (the row
without the new columns, whose values are still the defaults) and as it is now, and records the new
hash in ``sync_version`` with the operation that first saw the old one. Rows keep their place in the
history: nothing counts as "not yet exported", and no row edited on one side only is reported as a
conflict. Runs before anything compares versions (export, merge, the unexported count); cheap when
nothing is pending (one indexed query).
"""

from __future__ import annotations

import json
import sqlite3

from inspector.core.sync.rows import HISTORY_TABLE, TableSpec

PREFIX = "sync_rehash:"


def rehash_pending(connection: sqlite3.Connection, schema: str = "main") -> int:
    """Record the new version hashes of tables a migration widened; returns the rows rehashed.

    Needs a connection that may write; runs in its own transaction unless one is open.
    """
    pending = connection.execute(f"SELECT key, value FROM {schema}.local_meta WHERE key LIKE ?",
                                 (PREFIX + "%",)).fetchall()
    if not pending:
        return 0
    own = not connection.in_transaction
    if own:
        connection.execute("BEGIN IMMEDIATE")
    try:
        done = sum(_rehash_table(connection, key[len(PREFIX):], json.loads(value), schema) for key, value in pending)
        connection.execute(f"DELETE FROM {schema}.local_meta WHERE key LIKE ?", (PREFIX + "%",))
        if own:
            connection.execute("COMMIT")
    except BaseException:
        if own:
            connection.execute("ROLLBACK")
        raise
    return done


def _rehash_table(connection: sqlite3.Connection, table: str, added: list[str], schema: str) -> int:
    now = TableSpec.read(connection, table, schema)
    before = TableSpec(table, [c for c in now.columns if c not in added],
                       {c for c in now.columns if c not in added and _is_blob(connection, table, c, schema)})
    seen = dict(connection.execute(
        f"SELECT row_id || ' ' || version, seen_seq FROM {schema}.{HISTORY_TABLE} WHERE table_name = ?", (table,)))
    select = ", ".join(f'"{name}"' for name in now.digest_columns)
    old_positions = [now.digest_columns.index(name) for name in before.digest_columns]
    entries = []
    for values in connection.execute(f"SELECT {select} FROM {schema}.{table}"):
        old = before.version_of(tuple(values[i] for i in old_positions))
        seq = seen.get(f"{old.id} {old.digest}")
        if seq is not None:
            entries.append((table, old.id, now.version_of(values).digest, seq))
    connection.executemany(f"INSERT OR IGNORE INTO {schema}.{HISTORY_TABLE} (table_name, row_id, version, seen_seq) "
                           "VALUES (?, ?, ?, ?)", entries)
    return len(entries)


def _is_blob(connection: sqlite3.Connection, table: str, column: str, schema: str) -> bool:
    info = connection.execute(f"PRAGMA {schema}.table_info({table})").fetchall()
    return any(row[1] == column and "BLOB" in (row[2] or "").upper() for row in info)
