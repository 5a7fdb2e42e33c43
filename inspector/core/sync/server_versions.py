"""A verified file's row versions kept on disk, so a server merge of many big files does not hold them all.

A verifying worker (:mod:`~inspector.core.sync.server_verify`) writes the versions it computed into a
small SQLite file of its own, one table per synced table (``v_<table>``: the row id, its digest, and
the rest of the :class:`~inspector.core.sync.rows.Version` as ``marshal`` bytes, in the file's row
order), in the parent's private temporary folder. The parent then reads them through
:class:`StoredVersions`, a read-only mapping row id -> version like the dict
:func:`~inspector.core.sync.verify.verify_export` returns: the planner and the history writer stream
it row by row. Held in Python, a version costs ~1,064 bytes (measured: ten files of 1,000 inspections,
696,000 versions, were ~740 MB of a merge's peak); stored, it costs a few bytes of page cache.

``marshal`` is safe here: the file is written by a worker run by the same Python executable, in a
folder only this user can read and write, and deleted with it when the merge ends.
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Iterator

from inspector.core.sync.rows import SYNC_ORDER, Version


def write_store(path: Path, versions: dict[str, dict[str, Version]]) -> dict[str, int]:
    """Write ``versions`` (table -> row id -> version) into a new SQLite file; returns the row count per table."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("BEGIN")
        for table in SYNC_ORDER:
            connection.execute(f"CREATE TABLE v_{table} (n INTEGER PRIMARY KEY, row_id TEXT NOT NULL, "
                               "digest TEXT NOT NULL, rest BLOB NOT NULL)")
            connection.executemany(f"INSERT INTO v_{table} (row_id, digest, rest) VALUES (?, ?, ?)",
                                   ((v.id, v.digest, marshal.dumps((v.key, v.deleted, v.frozen)))
                                    for v in versions.get(table, {}).values()))
            # the id index built once the rows are in, not kept up row by row: 0.47 s -> 0.31 s of CPU for 68,000
            connection.execute(f"CREATE UNIQUE INDEX v_{table}_row_id ON v_{table} (row_id)")
        connection.execute("COMMIT")
    finally:
        connection.close()
    return {table: len(versions.get(table, {})) for table in SYNC_ORDER}


def open_store(path: Path, counts: dict[str, int]) -> dict[str, "StoredVersions"]:
    """table -> :class:`StoredVersions` of a file :func:`write_store` made (read only)."""
    connection = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)
    return {table: StoredVersions(connection, table, counts.get(table, 0)) for table in SYNC_ORDER}


def close_store(versions: dict) -> None:
    for stored in versions.values():
        if isinstance(stored, StoredVersions):
            stored.connection.close()
            return


def _version(row_id: str, digest: str, rest: bytes) -> Version:
    key, deleted, frozen = marshal.loads(rest)
    return Version(row_id, digest, key, deleted, frozen)


class StoredVersions(Mapping):
    """Row id -> :class:`Version` of one table of one verified file, read from its store on demand."""

    def __init__(self, connection: sqlite3.Connection, table: str, count: int):
        self.connection, self.table, self.count = connection, table, count

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[str]:
        for (row_id,) in self.connection.execute(f"SELECT row_id FROM v_{self.table} ORDER BY n"):
            yield row_id

    def __contains__(self, row_id) -> bool:
        return self.connection.execute(f"SELECT 1 FROM v_{self.table} WHERE row_id = ?", (row_id,)).fetchone() is not None

    def __getitem__(self, row_id: str) -> Version:
        row = self.connection.execute(f"SELECT row_id, digest, rest FROM v_{self.table} WHERE row_id = ?",
                                      (row_id,)).fetchone()
        if row is None:
            raise KeyError(row_id)
        return _version(*row)

    def items(self) -> "_Items":  # type: ignore[override]  (iterated, not used as a set)
        return _Items(self)

    def values(self):  # type: ignore[override]
        return (version for _, version in self.items())

    def digests(self) -> Iterator[tuple[str, str]]:
        """(row id, digest) of every row, in the file's order, without the rest of the version."""
        return iter(self.connection.execute(f"SELECT row_id, digest FROM v_{self.table} ORDER BY n"))


class _Items:
    def __init__(self, stored: StoredVersions):
        self.stored = stored

    def __len__(self) -> int:
        return len(self.stored)

    def __iter__(self) -> Iterator[tuple[str, Version]]:
        cursor = self.stored.connection.execute(f"SELECT row_id, digest, rest FROM v_{self.stored.table} ORDER BY n")
        for row_id, digest, rest in cursor:
            yield row_id, _version(row_id, digest, rest)
