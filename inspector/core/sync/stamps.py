"""Version stamps kept on write (schema v7): hash what changed, not every row.

``sync_stamp`` holds each synced row's current version (:meth:`rows.TableSpec.version_of`, the very
digest the history and the export files use). SQLite cannot compute it, so the triggers of migration
0007 delete a row's stamp on every write and add the row to ``local_change`` (written here, not yet
seen by an export or a merge); :func:`refresh` hashes the listed rows that have no stamp, only those.
:func:`settle` removes the rows whose current version the history now holds (after an export recorded
it, or a merge brought it), so the "not yet exported" count is a GROUP BY over ``local_change``.

A merge applies incoming rows with the flag row ``local_meta`` :data:`APPLYING` present inside its own
transaction (the triggers skip those writes) and stores the verified versions itself (:func:`put`).

Nothing here trusts a stamp blindly where it matters: a receiving laptop recomputes every version of
an incoming file from its rows, so a wrong stamp makes the file refused, never merged wrong; and an
export compares a sample of its stamps with rehashed rows before the file is renamed into place.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Iterable, Iterator, Mapping

from inspector.core.sync.rows import HISTORY_TABLE, SYNC_ORDER, TableSpec, Version, versions

STAMPS = "sync_stamp"
CHANGES = "local_change"
APPLYING = "sync_applying"  # local_meta key present while a merge applies rows (inside its transaction)
SEED_KEY = "sync_stamps:seed"  # local_meta key: migration 0007 left every existing row stale
CURRENT = "temp.sync_current"


def available(connection: sqlite3.Connection, schema: str = "main") -> bool:
    """The database keeps stamps (schema v7 or later) and migration 0007's seed has run."""
    found = connection.execute(f"SELECT count(*) FROM {schema}.sqlite_master WHERE type = 'table' AND name IN (?, ?)",
                               (STAMPS, CHANGES)).fetchone()[0]
    if found != 2:
        return False
    return connection.execute(f"SELECT 1 FROM {schema}.local_meta WHERE key = ?", (SEED_KEY,)).fetchone() is None


BATCH = 20_000  # rows hashed, then stored, at a time: one batch's versions are all that Python holds


def refresh(connection: sqlite3.Connection, specs: Mapping[str, TableSpec], schema: str = "main",
            batch: int | None = None) -> int:
    """Hash every written row that has no stamp and store its version; the caller holds a write
    transaction. Returns the rows hashed. The listed rows are taken ``batch`` at a time in id order
    (a keyset on ``local_change``'s key): a database nobody hashed yet (3 M listed rows at 100,000
    inspections) is hashed in bounded memory, not into one dict per table (357 MB at 680,000 rows)."""
    done = 0
    for table in SYNC_ORDER:
        stale = (f"SELECT c.row_id FROM {schema}.{CHANGES} AS c WHERE c.table_name = ? AND NOT EXISTS "
                 f"(SELECT 1 FROM {schema}.{STAMPS} AS s WHERE s.table_name = c.table_name AND s.row_id = c.row_id)")
        done += _hash_keyset(connection, specs[table], stale, (table,), schema, batch)
    return done


def _hash_keyset(connection: sqlite3.Connection, spec: TableSpec, keys: str, params: tuple, schema: str,
                 batch: int | None = None) -> int:
    """Hash and store the rows :func:`hashed_batches` yields; returns the rows hashed."""
    done = 0
    for fresh in hashed_batches(connection, spec, keys, params, schema, batch):
        put(connection, ((spec.table, row_id, v.digest) for row_id, v in fresh.items()), schema)
        done += len(fresh)
    return done


def hashed_batches(connection: sqlite3.Connection, spec: TableSpec, keys: str, params: tuple = (),
                   schema: str = "main", batch: int | None = None,
                   key: str = "c.row_id") -> Iterator[dict[str, Version]]:
    """The versions of the rows of ``spec``'s table whose ids ``keys`` selects, ``batch`` rows at a time (a dict
    per batch). ``keys`` is a SELECT of ``key`` with a WHERE clause, ``key`` a column an index orders the
    selected rows by (``local_change``'s ``row_id`` for one ``table_name``, a table's ``id``). Each batch is the
    next ``batch`` keys after the last (keyset), hashed by the range they span: stamps the caller stores
    meanwhile only take rows of earlier ranges out of ``keys``, so the batches are exactly the rows ``keys``
    selected at the start."""
    after, batch = "", batch or BATCH
    while True:
        ids = [row_id for (row_id,) in connection.execute(
            f"{keys} AND {key} > ? ORDER BY {key} LIMIT ?", (*params, after, batch))]
        if not ids:
            return
        yield versions(connection, spec, f"WHERE t.id IN ({keys} AND {key} > ? AND {key} <= ?)",
                       (*params, after, ids[-1]), schema)
        after = ids[-1]


def settle(connection: sqlite3.Connection, specs: Mapping[str, TableSpec], schema: str = "main", journal=None) -> None:
    """Bring stamps up to date and forget local changes whose current version the history holds.
    ``journal`` (a merge's :class:`~inspector.core.sync.undo.Journal`): what settling writes is journaled first,
    the stamps it adds and the local changes it forgets (only those: the journal grows with the merge)."""
    if journal is not None:
        return _settle_journaled(connection, specs, schema, journal)
    refresh(connection, specs, schema)
    connection.execute(f"DELETE FROM {schema}.{CHANGES} WHERE {_settled(schema, CHANGES)}")


def _settle_journaled(connection: sqlite3.Connection, specs: Mapping[str, TableSpec], schema: str, journal) -> None:
    """:func:`settle` for a merge: each set (the changes without a stamp, the changes settled) is found once, into
    a temp table, and journaled, hashed or deleted from there (each lookup over every local change ran twice:
    −0.02 s a merge while 16,000 local changes wait for an export)."""
    unstamped = _keys_into(connection, "settle_unstamped", unstamped_sql(schema))
    if unstamped:
        journal.added(STAMPS, unstamped)
        tables = {table for (table,) in connection.execute("SELECT DISTINCT table_name FROM temp.settle_unstamped")}
        for table in (t for t in SYNC_ORDER if t in tables):
            stale = "SELECT c.row_id FROM temp.settle_unstamped AS c WHERE c.table_name = ?"
            _hash_keyset(connection, specs[table], stale, (table,), schema)
    settled = _keys_into(connection, "settle_settled", settled_sql(schema))
    if settled:
        journal.save(CHANGES, settled)
        connection.execute(f"DELETE FROM {schema}.{CHANGES} WHERE (table_name, row_id) IN ({settled})")


def _keys_into(connection: sqlite3.Connection, name: str, keys_sql: str) -> str | None:
    """The (table_name, row_id) pairs ``keys_sql`` selects, into ``temp.<name>``; a SELECT of them, None if none."""
    connection.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (table_name TEXT NOT NULL, row_id TEXT NOT NULL, "
                       "PRIMARY KEY (table_name, row_id)) WITHOUT ROWID")
    connection.execute(f"DELETE FROM temp.{name}")
    found = connection.execute(f"INSERT INTO temp.{name} (table_name, row_id) {keys_sql}").rowcount
    return f"SELECT table_name, row_id FROM temp.{name}" if found else None


def unstamped_sql(schema: str = "main") -> str:
    """The local changes whose row has no stamp (written since it was last hashed)."""
    return (f"SELECT c.table_name, c.row_id FROM {schema}.{CHANGES} AS c WHERE NOT EXISTS "
            f"(SELECT 1 FROM {schema}.{STAMPS} AS s WHERE s.table_name = c.table_name AND s.row_id = c.row_id)")


def settled_sql(schema: str = "main") -> str:
    """The local changes whose current version (their stamp) the history holds: seen by an export or a merge."""
    return f"SELECT c.table_name, c.row_id FROM {schema}.{CHANGES} AS c WHERE {_settled(schema, 'c')}"


def _settled(schema: str, change: str) -> str:
    # a correlated EXISTS: the (few) local changes drive the lookups, never a scan of the stamps or the history
    return (f"EXISTS (SELECT 1 FROM {schema}.{STAMPS} AS s JOIN {schema}.{HISTORY_TABLE} AS v "
            "ON v.table_name = s.table_name AND v.row_id = s.row_id AND v.version = s.version "
            f"WHERE s.table_name = {change}.table_name AND s.row_id = {change}.row_id)")


def put(connection: sqlite3.Connection, entries: Iterable[tuple[str, str, str]], schema: str = "main") -> None:
    """Store known versions ``(table, row id, version)`` of rows just written with the flag set."""
    connection.executemany(f"INSERT OR REPLACE INTO {schema}.{STAMPS} (table_name, row_id, version) VALUES (?, ?, ?)",
                           entries)


def set_applying(connection: sqlite3.Connection, on: bool, schema: str = "main") -> None:
    """Raise or lower the merge's flag; only ever inside the merge's own write transaction."""
    if on:
        connection.execute(f"INSERT OR REPLACE INTO {schema}.local_meta (key, value) VALUES (?, '1')", (APPLYING,))
    else:
        connection.execute(f"DELETE FROM {schema}.local_meta WHERE key = ?", (APPLYING,))


def seed(connection: sqlite3.Connection, specs: Mapping[str, TableSpec], schema: str = "main") -> int:
    """After migration 0007 listed every row: hash each once, keep listed those no export or merge has seen."""
    hashed = refresh(connection, specs, schema)
    settle(connection, specs, schema)
    connection.execute(f"DELETE FROM {schema}.local_meta WHERE key = ?", (SEED_KEY,))
    return hashed


def stage(connection: sqlite3.Connection, specs: Mapping[str, TableSpec], schema: str = "main",
          batch: int | None = None) -> int:
    """Every row's current version into ``temp.sync_current``: stored stamps, and the rows written since
    they were last hashed hashed now (read-only: nothing is stored). Returns the rows hashed."""
    connection.execute(f"CREATE TABLE IF NOT EXISTS {CURRENT} (table_name TEXT NOT NULL, row_id TEXT NOT NULL, "
                       "version TEXT NOT NULL)")
    connection.execute(f"DELETE FROM {CURRENT}")
    hashed = 0
    for table in SYNC_ORDER:
        stamped = connection.execute(
            f"INSERT INTO {CURRENT} SELECT ?, t.id, s.version FROM {schema}.{table} AS t "
            f"JOIN {schema}.{STAMPS} AS s ON s.table_name = ? AND s.row_id = t.id",
            (table, table)).rowcount
        if stamped == connection.execute(f"SELECT count(*) FROM {schema}.{table}").fetchone()[0]:
            continue  # every row has its stamp
        missing_ids = connection.execute(  # index-only, in id order: none, or the few written just now
            f"SELECT id FROM {schema}.{table} EXCEPT SELECT row_id FROM {schema}.{STAMPS} WHERE table_name = ? "
            "ORDER BY 1", (table,))
        while ids := missing_ids.fetchmany(batch or BATCH):  # those ids, looked up one by one (few, or a batch)
            fresh = versions(connection, specs[table], "WHERE t.id IN (SELECT value FROM json_each(?))",
                             (json.dumps([row_id for (row_id,) in ids]),), schema)
            connection.executemany(f"INSERT INTO {CURRENT} VALUES (?, ?, ?)",
                                   ((table, row_id, v.digest) for row_id, v in fresh.items()))
            hashed += len(fresh)
    connection.execute("CREATE INDEX IF NOT EXISTS temp.ix_sync_current ON sync_current (table_name, row_id)")
    return hashed


def changed_counts(connection: sqlite3.Connection, schema: str = "main") -> dict[str, int]:
    """Rows per table written here whose current version no export or merge has seen."""
    counts = dict.fromkeys(SYNC_ORDER, 0)
    counts.update(connection.execute(
        f"SELECT c.table_name, count(*) FROM {schema}.{CHANGES} AS c WHERE NOT EXISTS ("
        f"SELECT 1 FROM {schema}.{STAMPS} AS s JOIN {schema}.{HISTORY_TABLE} AS v ON v.table_name = s.table_name "
        "AND v.row_id = s.row_id AND v.version = s.version WHERE s.table_name = c.table_name AND s.row_id = c.row_id) "
        "GROUP BY c.table_name").fetchall())
    return counts
