"""After a schema step widened a synced table on the office server: record each row's new version hash.

The server's counterpart of :mod:`.rehash` (which works on an SQLite connection). A version hash covers
the table's column names, so a step that adds columns (4: finding, inspection; 5: notice) changes the
hash of every existing row and lists the new columns in ``local_meta`` under ``sync_rehash:<table>``.
Without this, an office server upgraded with rows on it keeps only the old hashes in its history: its
next export tells a laptop (which re-hashed its own rows after the same upgrade) nothing about the new
hash, and the laptop reports a row the office changed and the laptop never touched as edited on both
sides. Here, as on a laptop: for every row, its hash before the step (without the new columns, still at
their defaults) and now; the new hash is recorded in ``sync_version`` with the operation that first saw
the old one; the markers are removed. The server keeps no ``sync_stamp`` rows, so none are rewritten.

Runs in one transaction under the office write lock (``local_meta`` ``device_id`` ``FOR UPDATE``, as a
merge or issuing takes it), so two office PCs opening the upgraded database at once rehash once.
Portable SQL only: ``text()`` with named parameters, no ``ON CONFLICT``.
"""

from __future__ import annotations

import json

PREFIX = "sync_rehash:"


def rehash_server(db) -> int:
    """Record the new version hashes of the tables a step widened; returns the history entries added."""
    from sqlalchemy import text

    with db.engine.begin() as connection:
        marker = text("SELECT key, value FROM local_meta WHERE key LIKE :prefix ORDER BY key")
        if connection.execute(marker, {"prefix": PREFIX + "%"}).first() is None:
            return 0
        connection.execute(text("SELECT value FROM local_meta WHERE key = 'device_id' FOR UPDATE"))
        pending = connection.execute(marker, {"prefix": PREFIX + "%"}).all()  # another PC may have done it
        done = sum(_rehash_table(connection, key[len(PREFIX):], json.loads(value)) for key, value in pending)
        connection.execute(text("DELETE FROM local_meta WHERE key LIKE :prefix"), {"prefix": PREFIX + "%"})
    return done


def _rehash_table(connection, table: str, added: list[str]) -> int:
    from sqlalchemy import LargeBinary, text

    from inspector.core.sync.rows import HISTORY_TABLE, TableSpec
    from inspector.core.sync.server_rows import ServerTable, _metadata_columns

    columns = _metadata_columns(table)
    blobs = {name for name, column in columns.items() if isinstance(column.type, LargeBinary)}
    now = TableSpec(table, list(columns), blobs)
    before = TableSpec(table, [name for name in columns if name not in added], blobs - set(added))
    seen = {(row_id, version): seq for row_id, version, seq in connection.execute(
        text(f"SELECT row_id, version, seen_seq FROM {HISTORY_TABLE} WHERE table_name = :t"), {"t": table})}
    server = ServerTable(table, now.digest_columns)
    old_positions = [now.digest_columns.index(name) for name in before.digest_columns]
    entries = []
    for row in connection.execute(text(f"SELECT {server.select_list(now.digest_columns)} FROM {table} AS t")):
        values = server.to_sqlite(now.digest_columns, row)
        old = before.version_of(tuple(values[i] for i in old_positions))
        new = now.version_of(values).digest
        seq = seen.get((old.id, old.digest))
        if seq is not None and (old.id, new) not in seen:
            entries.append({"t": table, "r": old.id, "v": new, "s": seq})
    if entries:
        connection.execute(text(f"INSERT INTO {HISTORY_TABLE} (table_name, row_id, version, seen_seq) "
                                "VALUES (:t, :r, :v, :s)"), entries)
    return len(entries)
