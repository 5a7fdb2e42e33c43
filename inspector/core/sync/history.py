"""Sync bookkeeping in the local database: operation counter, version history, export watermarks.

Every export and merge is a numbered *sync operation* (``local_meta`` key ``sync_seq``). The
history table ``sync_version`` holds each version of each row this database has seen, with the
operation that first saw it. An export records every version it contains, so "changed since the
last export to a target" is "whose current version was not seen at or before that export's
operation" — which catches local edits and rows that arrived by merge alike, whatever their
``updated_at`` says.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Iterable, Mapping

from inspector.core.sync.rows import HISTORY_TABLE, SYNC_ORDER, TableSpec, Version, versions

SEQ_KEY = "sync_seq"
CURRENT = "temp.sync_current"
CHANGED = "temp.sync_changed"


def allocate_seq(connection: sqlite3.Connection, schema: str = "main") -> int:
    """The next operation number; the caller holds a write transaction on ``schema``."""
    row = connection.execute(f"SELECT value FROM {schema}.local_meta WHERE key = ?", (SEQ_KEY,)).fetchone()
    seq = int(row[0]) + 1 if row else 1
    connection.execute(
        f"INSERT INTO {schema}.local_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (SEQ_KEY, str(seq)))
    return seq


def record(connection: sqlite3.Connection, entries: Iterable[tuple[str, str, str]], seq: int, schema: str = "main") -> None:
    connection.executemany(
        f"INSERT OR IGNORE INTO {schema}.{HISTORY_TABLE} (table_name, row_id, version, seen_seq) VALUES (?, ?, ?, ?)",
        ((table, row_id, version, seq) for table, row_id, version in entries))


def histories(connection: sqlite3.Connection, table: str, ids_sql: str, schema: str = "main") -> dict[str, set[str]]:
    """Known versions of the rows of ``table`` whose ids ``ids_sql`` (a SELECT of one column) yields."""
    result: dict[str, set[str]] = {}
    cursor = connection.execute(
        f"SELECT row_id, version FROM {schema}.{HISTORY_TABLE} WHERE table_name = ? AND row_id IN ({ids_sql})", (table,))
    for row_id, version in cursor:
        result.setdefault(row_id, set()).add(version)
    return result


def stage_current(connection: sqlite3.Connection, specs: Mapping[str, TableSpec], schema: str = "main",
                  progress=None) -> dict[str, dict[str, Version]]:
    """Compute the current version of every row of ``schema`` into ``temp.sync_current``; return them too."""
    connection.execute(f"CREATE TABLE IF NOT EXISTS {CURRENT} (table_name TEXT NOT NULL, row_id TEXT NOT NULL, "
                       "version TEXT NOT NULL)")  # no key: filled fast; callers index it when they look rows up
    connection.execute(f"DELETE FROM {CURRENT}")
    result = {}
    for step, table in enumerate(SYNC_ORDER):
        rows = versions(connection, specs[table], schema=schema)
        connection.executemany(f"INSERT INTO {CURRENT} VALUES (?, ?, ?)",
                               ((table, row_id, v.digest) for row_id, v in rows.items()))
        result[table] = rows
        if progress:
            progress(step + 1, len(SYNC_ORDER))
    return result


def staged_digest(connection: sqlite3.Connection, out: str = "out", partial: bool = False) -> str:
    """:func:`~inspector.core.sync.manifest.content_digest` of an export being written, computed in SQL order
    from the staged versions (``temp.sync_current``; only the rows present in ``out`` when ``partial``) and
    ``out``'s history, streamed: nothing row-sized is held in Python. Ids and history entries sort by
    SQLite's BINARY collation, which is the order of Python's ``sorted`` on these texts (UTF-8 bytes
    order as code points do)."""
    import hashlib

    connection.execute(f"CREATE INDEX IF NOT EXISTS temp.ix_sync_current ON {CURRENT.split('.')[1]} (table_name, row_id)")
    digest = hashlib.sha256()
    for table in SYNC_ORDER:
        where = f" AND c.row_id IN (SELECT id FROM {out}.{table})" if partial else ""
        cursor = connection.execute(f"SELECT c.row_id, c.version FROM {CURRENT} AS c WHERE c.table_name = ?{where} "
                                    "ORDER BY c.row_id", (table,))
        prefix = f"r\t{table}\t"
        while batch := cursor.fetchmany(5000):
            digest.update("".join(f"{prefix}{row_id}\t{version}\n" for row_id, version in batch).encode("utf-8"))
    cursor = connection.execute(f"SELECT table_name, row_id, version FROM {out}.{HISTORY_TABLE} "
                                "ORDER BY table_name, row_id, version")
    while batch := cursor.fetchmany(5000):
        digest.update("".join(f"h\t{t}\t{r}\t{v}\n" for t, r, v in batch).encode("utf-8"))
    return digest.hexdigest()


def stage_changed(connection: sqlite3.Connection, watermark: int, schema: str = "main") -> dict[str, int]:
    """Put the staged rows whose current version no operation at or before ``watermark`` saw (all, when 0)
    into ``temp.sync_changed``; return how many per table."""
    connection.execute(f"CREATE TABLE IF NOT EXISTS {CHANGED} (table_name TEXT NOT NULL, row_id TEXT NOT NULL, "
                       "PRIMARY KEY (table_name, row_id)) WITHOUT ROWID")
    connection.execute(f"DELETE FROM {CHANGED}")
    connection.execute(
        f"INSERT INTO {CHANGED} SELECT c.table_name, c.row_id FROM {CURRENT} AS c WHERE NOT EXISTS ("
        f"SELECT 1 FROM {schema}.{HISTORY_TABLE} AS v WHERE v.table_name = c.table_name AND v.row_id = c.row_id "
        "AND v.version = c.version AND v.seen_seq <= ?)", (watermark,))
    counts = dict.fromkeys(SYNC_ORDER, 0)
    counts.update(connection.execute(f"SELECT table_name, count(*) FROM {CHANGED} GROUP BY table_name").fetchall())
    return counts


def record_staged(connection: sqlite3.Connection, seq: int, schema: str = "main") -> None:
    connection.execute(f"INSERT OR IGNORE INTO {schema}.{HISTORY_TABLE} (table_name, row_id, version, seen_seq) "
                       f"SELECT table_name, row_id, version, ? FROM {CURRENT}", (seq,))


def export_watermark(connection: sqlite3.Connection, target: str | None, schema: str = "main") -> int:
    """Operation number of the last complete (unfiltered) export to ``target`` (any target when None); 0 if none."""
    where = "kind = 'export' AND json_extract(details, '$.complete') = 1"
    params: tuple = ()
    if target is not None:
        where += " AND json_extract(details, '$.target') = ?"
        params = (target,)
    row = connection.execute(f"SELECT max(json_extract(details, '$.seq')) FROM {schema}.sync_log WHERE {where}", params).fetchone()
    return int(row[0] or 0)


def log_operation(connection: sqlite3.Connection, *, kind: str, at: str, peer_device_id: str, path: str,
                  watermark: str | None, details: dict, schema: str = "main") -> None:
    from inspector.core.sync.rows import new_row_id

    connection.execute(
        f"INSERT INTO {schema}.sync_log (id, kind, at, peer_device_id, path, watermark, details) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (new_row_id(), kind, at, peer_device_id, path, watermark, json.dumps(details, ensure_ascii=False, default=str)))


def merged_exports(connection: sqlite3.Connection, schema: str = "main", limit: int = 500) -> list[dict]:
    """The most recent exports this database has merged (they tell the exporting device who knows what)."""
    rows = connection.execute(
        f"SELECT json_extract(details, '$.export_id'), peer_device_id, json_extract(details, '$.target') "
        f"FROM {schema}.sync_log WHERE kind = 'merge' ORDER BY at DESC LIMIT ?", (limit,))
    return [{"export_id": e, "device_id": d, "target": t or ""} for e, d, t in rows if e]


def target_peer(connection: sqlite3.Connection, target: str, schema: str = "main") -> str | None:
    """The one device known to have merged our exports for ``target`` (None if none or several)."""
    rows = connection.execute(
        f"SELECT DISTINCT peer_device_id FROM {schema}.sync_log AS l WHERE kind = 'merge' AND EXISTS "
        "(SELECT 1 FROM json_each(l.details, '$.acknowledged_targets') AS j WHERE j.value = ?)", (target,)).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def drop_known_by_target(connection: sqlite3.Connection, target: str, schema: str = "main") -> None:
    """Since-last to a target that is one known device: leave out versions that first came from that device."""
    peer = target_peer(connection, target, schema)
    if not peer:
        return
    seqs = [row[0] for row in connection.execute(
        f"SELECT json_extract(details, '$.seq') AS s FROM {schema}.sync_log WHERE kind = 'merge' "
        "GROUP BY s HAVING count(DISTINCT peer_device_id) = 1 AND max(peer_device_id) = ?", (peer,))]
    if not seqs:
        return
    marks = ",".join("?" * len(seqs))
    connection.execute(
        f"DELETE FROM {CHANGED} WHERE (table_name, row_id) IN (SELECT c.table_name, c.row_id FROM {CURRENT} AS c "
        f"JOIN {schema}.{HISTORY_TABLE} AS v ON v.table_name = c.table_name AND v.row_id = c.row_id "
        f"AND v.version = c.version WHERE v.seen_seq IN ({marks}))", seqs)
