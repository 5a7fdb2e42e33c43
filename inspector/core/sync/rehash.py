"""After a migration added columns to a synced table: give each row's current version its new hash.

A version hash covers the table's column names (:mod:`.rows`), so adding a column changes the hash of
every row. A migration that adds columns lists them in ``local_meta`` under ``sync_rehash:<table>``
(JSON list). :func:`rehash_pending` then computes, for every row, its hash as it was before (the row
without the new columns, whose values are still the defaults) and as it is now, and records the new
hash in ``sync_version`` with the operation that first saw the old one. Rows keep their place in the
history: nothing counts as "not yet exported", and no row edited on one side only is reported as a
conflict. Runs before anything compares versions (export, merge, the unexported count); cheap when
nothing is pending (one indexed query).

Schema v7 keeps each row's current version in ``sync_stamp`` (:mod:`.stamps`): a widened table's
stamps are rewritten here with the new hashes, and migration 0007's ``sync_stamps:seed`` (hash every
existing row once, list those no export or merge has seen in ``local_change``) runs after the
rehashes. A merge's flag row left behind (impossible outside its transaction) is removed too.
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
    from inspector.core.sync import stamps

    pending = connection.execute(f"SELECT key, value FROM {schema}.local_meta WHERE key LIKE ? OR key IN (?, ?)",
                                 (PREFIX + "%", stamps.SEED_KEY, stamps.APPLYING)).fetchall()
    if not pending:
        return 0
    own = not connection.in_transaction
    if own:
        connection.execute("BEGIN IMMEDIATE")
    try:
        widened = [(key, value) for key, value in pending if key.startswith(PREFIX)]
        done = sum(_rehash_table(connection, key[len(PREFIX):], json.loads(value), schema) for key, value in widened)
        connection.execute(f"DELETE FROM {schema}.local_meta WHERE key LIKE ? OR key = ?", (PREFIX + "%", stamps.APPLYING))
        if any(key == stamps.SEED_KEY for key, _ in pending):
            from inspector.core.sync.rows import table_specs

            done += stamps.seed(connection, table_specs(connection, schema), schema)
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
    entries, current = [], []
    for values in connection.execute(f"SELECT {select} FROM {schema}.{table}"):
        old = before.version_of(tuple(values[i] for i in old_positions))
        new = now.version_of(values).digest
        current.append((table, old.id, new))
        seq = seen.get(f"{old.id} {old.digest}")
        if seq is not None:
            entries.append((table, old.id, new, seq))
    connection.executemany(f"INSERT OR IGNORE INTO {schema}.{HISTORY_TABLE} (table_name, row_id, version, seen_seq) "
                           "VALUES (?, ?, ?, ?)", entries)
    if _has_stamps(connection, schema):  # schema v7 on: the stored current versions change with the hash
        from inspector.core.sync.stamps import put

        put(connection, current, schema)
    return len(entries)


def _has_stamps(connection: sqlite3.Connection, schema: str) -> bool:
    return connection.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = 'sync_stamp'"
                              ).fetchone() is not None


def _is_blob(connection: sqlite3.Connection, table: str, column: str, schema: str) -> bool:
    info = connection.execute(f"PRAGMA {schema}.table_info({table})").fetchall()
    return any(row[1] == column and "BLOB" in (row[2] or "").upper() for row in info)
