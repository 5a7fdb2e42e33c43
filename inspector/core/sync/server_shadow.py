"""A throwaway SQLite "shadow" of the office server, so a server merge plans exactly as a laptop does.

The laptop's planner (:mod:`~inspector.core.sync.plan`), its reference guard
(:func:`~inspector.core.sync.guards.missing_parents`) and its conflict reader
(:func:`~inspector.core.sync.plan.conflict_items`) work on an SQLite connection whose ``main``
schema is the local database and which has the export files attached. For the server, ``main`` is
a temporary SQLite file of the app's schema holding, in SQLite form (:mod:`server_rows`):

* every server row whose id is in one of the files (their version decides the merge),
  locked on the server (``SELECT … FOR UPDATE``) when the merge is for real, so no other
  transaction changes them before the merge commits;
* the server rows the files' rows refer to (the parents a written row needs), read unlocked;
* the version history (``sync_version``) the server holds of all these rows.

Large blobs that the version hash represents by their own SHA-256 column (photo JPEG, notice PDF)
are not copied: a placeholder stands in, and :func:`fill_blobs` reads the few a conflict record
needs. Nothing else of the server is read; the shadow is deleted when the merge ends.
"""

from __future__ import annotations

import sqlite3
import tempfile
from functools import lru_cache
from pathlib import Path

from inspector.core.sync.rows import HISTORY_TABLE, SYNC_ORDER, TRUSTED_BLOBS, TableSpec
from inspector.core.sync.server_rows import PAIRS, ServerTable, batches, fetch_rows, in_list, lookup_pairs, sql
from inspector.core.sync.verify import VerifiedExport, read_only_uri


@lru_cache(maxsize=1)
def _template() -> bytes:
    """An empty database of the app's schema (every migration step run once per process)."""
    from inspector.core.sync.schema import migrated_memory_database

    connection = migrated_memory_database()
    try:
        connection.execute("DELETE FROM local_meta")
        return connection.serialize()
    finally:
        connection.close()


class Shadow:
    """The shadow database with the export files attached as ``inc0``, ``inc1``, …"""

    def __init__(self, exports: list[VerifiedExport] | list[Path]):
        """``exports``: the files (verified, or their paths while they are verified: see :mod:`server_prefetch`)."""
        self.folder = tempfile.TemporaryDirectory(prefix="inspector-merge-")
        path = Path(self.folder.name) / "shadow.db"
        path.write_bytes(_template())
        # filled in the prefetch's thread, used in the merge's after it joined: one thread at a time
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.connection.execute("PRAGMA journal_mode=OFF")
        self.connection.execute("PRAGMA synchronous=OFF")
        self.aliases = [f"inc{i}" for i in range(len(exports))]
        for export, alias in zip(exports, self.aliases):
            self.connection.execute("ATTACH DATABASE ? AS " + alias,
                                    (read_only_uri(export if isinstance(export, Path) else export.path),))
        # one shadow transaction for the whole merge (discarded by close): in autocommit every row
        # that the planner and the guards put into a temporary id table was its own transaction
        # (measured: 6.5 s of a 34 s merge of 10 files, 82,000 rows, into a 10,000-inspection server)
        self.connection.execute("BEGIN")
        self.on_server: dict[str, set[str]] = {table: set() for table in SYNC_ORDER}  # ids the server holds

    def close(self) -> None:
        self.connection.close()
        self.folder.cleanup()

    # --- filling from the server ---------------------------------------------------------------
    def fill(self, server, specs: dict[str, TableSpec], tables: dict[str, ServerTable], *, lock: bool,
             stop=None) -> None:
        """Copy into ``main`` the server rows the files touch or refer to, and their histories.

        Table by table, the ids read from the attached files (the rows their verified versions are of),
        so that no set of every file's ids is held at once (700,000 ids of ten big files: ~100 MB).
        ``stop`` (a :class:`threading.Event`), once set, ends the filling at the next table (:class:`Stopped`)."""
        wanted: dict[str, set[str]] = {table: set() for table in SYNC_ORDER}
        for table in SYNC_ORDER:
            for parent, column in self._foreign_keys(table):
                for alias in self.aliases:
                    wanted[parent].update(row[0] for row in self.connection.execute(
                        f'SELECT DISTINCT "{column}" FROM {alias}.{table} WHERE "{column}" IS NOT NULL'))
        self.connection.execute(f"CREATE TEMP TABLE {HISTORY_WANTED} (table_name TEXT NOT NULL, row_id TEXT NOT NULL, "
                                "PRIMARY KEY (table_name, row_id)) WITHOUT ROWID")
        for table in SYNC_ORDER:
            if stop is not None and stop.is_set():
                raise Stopped
            touched = self._file_ids(table)
            self._copy(server, specs[table], tables[table], touched, lock)
            self._copy(server, specs[table], tables[table], self._outside_files(wanted.pop(table), table), False)
            for alias in self.aliases:  # the rows' histories: of the files' rows and of the rows their histories name
                self.connection.execute(f"INSERT OR IGNORE INTO temp.{HISTORY_WANTED} SELECT ?, id FROM {alias}.{table}",
                                        (table,))
                self.connection.execute(f"INSERT OR IGNORE INTO temp.{HISTORY_WANTED} SELECT table_name, row_id "
                                        f"FROM {alias}.{HISTORY_TABLE} WHERE table_name = ?", (table,))
        self._copy_history(server)

    def _file_ids(self, table: str) -> "_FileIds":
        """The ids of ``table`` in any of the files, sorted, in the temporary table :data:`FILE_IDS` (streamed from
        there: held in Python, the 543,000 finding ids of ten big files were ~50 MB while the files were verified)."""
        self.connection.execute(f"CREATE TEMP TABLE IF NOT EXISTS {FILE_IDS} (id TEXT PRIMARY KEY) WITHOUT ROWID")
        self.connection.execute(f"DELETE FROM temp.{FILE_IDS}")
        for alias in self.aliases:
            self.connection.execute(f"INSERT OR IGNORE INTO temp.{FILE_IDS} SELECT id FROM {alias}.{table}")
        return _FileIds(self.connection)

    def _outside_files(self, parents: set[str], table: str) -> list[str]:
        """The ``parents`` (ids of ``table``) in none of the files nor copied yet, sorted (after :meth:`_file_ids`)."""
        parents = parents - self.on_server[table]
        self.connection.execute(f"CREATE TEMP TABLE IF NOT EXISTS {PARENT_IDS} (id TEXT PRIMARY KEY) WITHOUT ROWID")
        self.connection.execute(f"DELETE FROM temp.{PARENT_IDS}")
        self.connection.executemany(f"INSERT INTO temp.{PARENT_IDS} VALUES (?)", ((i,) for i in parents))
        return [row[0] for row in self.connection.execute(
            f"SELECT id FROM temp.{PARENT_IDS} WHERE id NOT IN (SELECT id FROM temp.{FILE_IDS}) ORDER BY id")]

    def _foreign_keys(self, table: str) -> list[tuple[str, str]]:
        return [(key[2], key[3]) for key in self.connection.execute(f"PRAGMA main.foreign_key_list({table})")]

    def _copy(self, server, spec: TableSpec, server_table: ServerTable, ids: list[str], lock: bool) -> None:
        if not ids:
            return
        blob = TRUSTED_BLOBS.get(spec.table, (None,))[0]
        read = [name for name in spec.columns if name != blob]
        names = ", ".join(f'"{name}"' for name in read + ([blob] if blob else []))
        marks = ", ".join("?" * (len(read) + (1 if blob else 0)))
        insert = f"INSERT INTO main.{spec.table} ({names}) VALUES ({marks})"
        placeholder = (b"",) if blob else ()
        rows = [row + placeholder for row in fetch_rows(server, server_table, read, ids, lock=lock)]
        self.connection.executemany(insert, rows)
        self.on_server[spec.table].update(row[read.index("id")] for row in rows)

    def _copy_history(self, server) -> None:
        """The server's history of the rows in :data:`HISTORY_WANTED`, into ``main.sync_version``."""
        select = f"SELECT v.table_name, v.row_id, v.version, v.seen_seq FROM {HISTORY_TABLE} AS v"
        insert = f"INSERT INTO main.{HISTORY_TABLE} VALUES (?, ?, ?, ?)"
        if lookup_pairs(server, _WantedPairs(self.connection)):  # every table's histories in one pass over the server's
            result = server.execute(sql(f"{select} JOIN {PAIRS} AS p ON p.table_name = v.table_name "
                                        "AND p.row_id = v.row_id").execution_options(yield_per=20_000))
            for rows in result.partitions():
                self.connection.executemany(insert, [tuple(row) for row in rows])
            return
        for table in SYNC_ORDER:
            ids = [row[0] for row in self.connection.execute(
                f"SELECT row_id FROM temp.{HISTORY_WANTED} WHERE table_name = ? ORDER BY row_id", (table,))]
            for batch in batches(ids):
                marks, names = in_list("i", len(batch))
                rows = server.execute(sql(f"{select} WHERE v.table_name = :t AND v.row_id IN {marks}"),
                                      {"t": table, **dict(zip(names, batch))}).fetchall()
                self.connection.executemany(insert, [tuple(row) for row in rows])

    def known_history(self, later: dict[str, dict[str, int]]) -> "KnownHistory":
        """The (table, row id, version) entries the server holds of the rows copied, and those written since."""
        shared = {(table, row_id) for table, ids in later.items() for row_id in ids} | self.foreign_history()
        return KnownHistory(self.connection, shared)

    def foreign_history(self) -> set[tuple[str, str]]:
        """(table, row id) that a file's history names but its tables do not hold (a sound export has none)."""
        found = set()
        for alias in self.aliases:
            for table in SYNC_ORDER:
                found.update((table, row[0]) for row in self.connection.execute(
                    f"SELECT DISTINCT row_id FROM {alias}.{HISTORY_TABLE} WHERE table_name = ? "
                    f"AND row_id NOT IN (SELECT id FROM {alias}.{table})", (table,)))
            marks = ", ".join("?" * len(SYNC_ORDER))
            found.update(self.connection.execute(f"SELECT DISTINCT table_name, row_id FROM {alias}.{HISTORY_TABLE} "
                                                 f"WHERE table_name NOT IN ({marks})", SYNC_ORDER))
        return found

    def fill_blobs(self, server, table: str, ids: list[str]) -> None:
        """Put the server's real blob (JPEG / PDF) into copied rows that a conflict record shows in full."""
        blob = TRUSTED_BLOBS.get(table, (None,))[0]
        ids = [i for i in ids if i in self.on_server[table]]
        if not blob or not ids:
            return
        for batch in batches(ids):
            marks, names = in_list("i", len(batch))
            rows = server.execute(sql(f"SELECT id, {blob} FROM {table} WHERE id IN {marks}"),
                                  dict(zip(names, batch))).fetchall()
            self.connection.executemany(f"UPDATE main.{table} SET {blob} = ? WHERE id = ?",
                                        [(bytes(data), row_id) for row_id, data in rows])


class Stopped(Exception):
    """The filling was stopped (a file was refused meanwhile)."""


HISTORY_WANTED = "shadow_history_wanted"  # (table, row id) whose server history the shadow copies
FILE_IDS = "shadow_file_ids"  # one table's ids in any of the files, while that table is filled
PARENT_IDS = "shadow_parent_ids"  # the ids of that table the files' rows refer to


class _FileIds:
    """The ids of :data:`FILE_IDS`, sorted, as the sized iterable :func:`fetch_rows` takes, streamed."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection
        self.count = connection.execute(f"SELECT count(*) FROM temp.{FILE_IDS}").fetchone()[0]

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        return (row[0] for row in self.connection.execute(f"SELECT id FROM temp.{FILE_IDS} ORDER BY id"))


class _WantedPairs:
    """The pairs of :data:`HISTORY_WANTED` as the sized iterable :func:`lookup_pairs` takes, streamed."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def __len__(self) -> int:
        return self.connection.execute(f"SELECT count(*) FROM temp.{HISTORY_WANTED}").fetchone()[0]

    def __iter__(self):
        return iter(self.connection.execute(f"SELECT table_name, row_id FROM temp.{HISTORY_WANTED}"))


class KnownHistory:
    """History entries the server holds (of the copied rows) or was sent by this merge, to send each one once.

    Held in Python, but only for rows that another file of the merge can name again: rows in more than one
    file (``later``: :func:`~inspector.core.sync.plan.later_files`) and rows a file's history names that are not
    in its tables (:meth:`Shadow.foreign_history`, normally none). Any other row's entries come from one file
    only, so one call's own duplicates (a row's version in the file and in its history) are all there is to
    skip; keeping every entry was ~200 MB for ten big files (700,000 entries)."""

    def __init__(self, connection: sqlite3.Connection, shared: set[tuple[str, str]]):
        self.entries = set(connection.execute(f"SELECT table_name, row_id, version FROM main.{HISTORY_TABLE}"))
        self.shared = shared

    def unseen(self, entries) -> list[tuple[str, str, str]]:
        """The distinct ``entries`` not known yet, in their first order; they are known from now on."""
        known, shared, batch, new = self.entries, self.shared, set(), []
        for entry in entries:
            if entry in batch or entry in known:
                continue
            batch.add(entry)
            new.append(entry)
            if (entry[0], entry[1]) in shared:
                known.add(entry)
        return new
