"""The undo journal of merges (schema v8): what a merge changed, kept so that it can be undone exactly.

A merge writes, in its own transaction and before each write, the state of every row it is about to
write into ``merge_undo`` (:class:`Journal`): the row's columns as a JSON object (its BLOB columns —
a photo's JPEG and thumbnail, a notice's PDF — beside it, byte for byte), or, when the row does not
exist yet, its key with no content (the merge adds it). The versions a merge adds to the history are
the ``sync_version`` rows whose ``seen_seq`` is its operation number. So the journal grows with the
merge, not with the database: a whole-file backup copied every page of the local file before each merge
(7 s of 15 s at 100,000 inspections).

:func:`undo_merge` puts every journaled row back as it was and deletes the rows the merge added, in one
transaction: the database is row for row as before the merge. It undoes the newest sync operation
only, and refuses (nothing changed) when a later export or merge happened, when a row the merge wrote
was edited here since (its stamp is gone), or when a row added since refers to a row the merge brought.
:func:`journals` lists the merges that can still be undone; the newest ``keep`` are kept (the setting
``backups_keep``, like the automatic backups).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import lru_cache

from inspector.errors import UserError

JOURNAL = "merge_undo"
HISTORY = "sync_version"
META = "local_meta"
#: Restored last: it holds the flag that keeps the stamp triggers quiet while rows are put back.
LAST = (META,)


@dataclass(frozen=True)
class TableCodec:
    """How one table's rows go into the journal and come back out: key, JSON of columns, blobs."""

    table: str
    keys: tuple[str, ...]
    columns: tuple[str, ...]  # everything but the blobs, in table order
    blobs: tuple[str, ...]  # at most two

    def key_sql(self, alias: str) -> str:
        if len(self.keys) == 1:
            return f'{alias}."{self.keys[0]}"'
        return "json_array(" + ", ".join(f'{alias}."{k}"' for k in self.keys) + ")"

    def key_tuple(self) -> str:
        return "(" + ", ".join(f'"{k}"' for k in self.keys) + ")"

    def keys_from_journal(self) -> str:
        """The journaled keys of this table as a SELECT of the key columns (``:seq`` bound)."""
        if len(self.keys) == 1:
            picked = "row_key"
        else:
            picked = ", ".join(f"json_extract(row_key, '$[{i}]')" for i in range(len(self.keys)))
        return f"SELECT {picked} FROM main.{JOURNAL} WHERE seq = :seq AND table_name = '{self.table}'"

    def content_sql(self, alias: str) -> str:
        pairs = ", ".join(f"'{c}', {alias}.\"{c}\"" for c in self.columns)
        return f"json_object({pairs})"


def codec(connection: sqlite3.Connection, table: str) -> TableCodec:
    info = connection.execute(f'PRAGMA main.table_info("{table}")').fetchall()
    if not info:
        raise ValueError(f"no table {table}")
    return _codec(table, tuple((name, (kind or "").upper(), pk) for _, name, kind, _, _, pk in info))


@lru_cache(maxsize=None)
def _codec(table: str, info: tuple[tuple[str, str, int], ...]) -> TableCodec:
    keys = tuple(name for name, _, pk in sorted((i for i in info if i[2]), key=lambda i: i[2]))
    blobs = tuple(name for name, kind, _ in info if kind == "BLOB")
    if len(blobs) > 2 or not keys:
        raise ValueError(f"the journal cannot hold rows of {table}")
    return TableCodec(table, keys, tuple(name for name, kind, _ in info if kind != "BLOB"), blobs)


class Journal:
    """Before-images of what one merge writes, in its transaction (``seq``: the merge's operation)."""

    def __init__(self, connection: sqlite3.Connection, seq: int):
        self.connection, self.seq = connection, seq

    def touch(self, table: str, keys_sql: str, params: tuple = ()) -> None:
        """Journal the rows whose keys ``keys_sql`` selects (columns named as the table's key), before
        they are written: the content of those that exist, the key alone of those that do not. A row
        journaled earlier in this merge keeps its first (pre-merge) state."""
        self.save(table, keys_sql, params)
        self.added(table, keys_sql, params)

    def save(self, table: str, keys_sql: str, params: tuple = ()) -> None:
        """Journal the content of the existing rows whose keys ``keys_sql`` selects (absent keys: nothing)."""
        c = codec(self.connection, table)
        blobs = [f't."{b}"' for b in c.blobs] + ["NULL"] * (2 - len(c.blobs))
        self.connection.execute(
            f"INSERT OR IGNORE INTO main.{JOURNAL} (seq, table_name, row_key, content, blob_1, blob_2) "
            f"SELECT ?, ?, {c.key_sql('t')}, {c.content_sql('t')}, {', '.join(blobs)} FROM main.\"{table}\" AS t "
            f"WHERE {c.key_tuple()} IN ({keys_sql})", (self.seq, table, *params))

    def added(self, table: str, keys_sql: str, params: tuple = ()) -> None:
        """Journal rows the merge adds (after or before inserting them): undo deletes them."""
        c = codec(self.connection, table)
        self.connection.execute(
            f"INSERT OR IGNORE INTO main.{JOURNAL} (seq, table_name, row_key, content) "
            f"SELECT ?, ?, {c.key_sql('k')}, NULL FROM ({keys_sql}) AS k", (self.seq, table, *params))

    def prune(self, keep: int) -> None:
        """Keep the journals of the newest ``keep`` merges (this one included)."""
        self.connection.execute(
            f"DELETE FROM main.{JOURNAL} WHERE seq NOT IN (SELECT DISTINCT seq FROM main.{JOURNAL} "
            "ORDER BY seq DESC LIMIT ?)", (max(keep, 1),))


def next_seq(connection: sqlite3.Connection) -> int:
    from inspector.core.sync.history import SEQ_KEY

    row = connection.execute(f"SELECT value FROM main.{META} WHERE key = ?", (SEQ_KEY,)).fetchone()
    return int(row[0]) + 1 if row else 1


def available(connection: sqlite3.Connection) -> bool:
    return connection.execute("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?",
                              (JOURNAL,)).fetchone() is not None


@dataclass(frozen=True)
class UndoableMerge:
    seq: int
    at: str  # UTC text of the merge
    files: tuple[str, ...]  # names of the merged files
    added: int  # synced rows the merge added
    updated: int  # synced rows the merge overwrote
    size: int  # bytes the journal holds

    @property
    def moment(self):
        from datetime import datetime

        return datetime.fromisoformat(self.at.replace("Z", "+00:00"))


def journals(connection: sqlite3.Connection) -> list[UndoableMerge]:
    """The merges whose journal is kept, newest first."""
    from pathlib import PurePath

    from inspector.core.sync.rows import SYNC_ORDER

    if not available(connection):
        return []
    synced = ", ".join(f"'{t}'" for t in SYNC_ORDER)
    rows = connection.execute(
        f"SELECT seq, sum(CASE WHEN table_name IN ({synced}) AND content IS NULL THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN table_name IN ({synced}) AND content IS NOT NULL THEN 1 ELSE 0 END), "
        "sum(coalesce(length(content), 0) + coalesce(length(blob_1), 0) + coalesce(length(blob_2), 0)) "
        f"FROM main.{JOURNAL} GROUP BY seq ORDER BY seq DESC").fetchall()
    result = []
    for seq, added, updated, size in rows:
        logged = connection.execute(
            "SELECT at, path FROM main.sync_log WHERE kind = 'merge' AND json_extract(details, '$.seq') = ? "
            "ORDER BY path", (seq,)).fetchall()
        if logged:
            result.append(UndoableMerge(seq, max(at for at, _ in logged), tuple(PurePath(p).name for _, p in logged),
                                        added, updated, size))
    return result


def undoable(connection: sqlite3.Connection) -> UndoableMerge | None:
    """The merge that can be undone now: the newest journaled one, when it is the last sync operation."""
    found = journals(connection)
    return found[0] if found and found[0].seq == next_seq(connection) - 1 else None


@dataclass(frozen=True)
class UndoResult:
    seq: int
    files: tuple[str, ...]
    removed: int  # synced rows the merge had added, deleted again
    restored: int  # synced rows put back as they were


def undo_merge(db_path, seq: int | None = None) -> UndoResult:
    """Undo the newest merge (``seq``: the one the caller means, refused if it is not the newest)."""
    from pathlib import Path

    connection = sqlite3.connect(Path(db_path), isolation_level=None)
    try:
        connection.execute("PRAGMA busy_timeout=10000")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("BEGIN IMMEDIATE")
        try:
            result = _undo_in_transaction(connection, seq)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    except sqlite3.IntegrityError as exc:
        raise UserError("无法撤销这次合并，数据库未改动：合并之后新增的记录引用了这次合并带来的记录"
                        f"（{exc}）。如确需回到合并前，请用备份恢复。") from exc
    except sqlite3.Error as exc:
        from inspector.db.database import describe_sqlite_error

        raise UserError("撤销合并失败，数据库未改动：" + describe_sqlite_error(exc, Path(db_path))) from exc
    finally:
        connection.close()
    return result


def _undo_in_transaction(connection: sqlite3.Connection, seq: int | None) -> UndoResult:
    from inspector.core.sync import stamps

    found = journals(connection)
    if not found:
        raise UserError("没有可以撤销的合并（只保留最近几次合并的撤销记录）。")
    newest = found[0]
    if seq is not None and seq != newest.seq:
        raise UserError("只能撤销最近一次合并；请先撤销之后的合并，或用备份恢复。")
    if newest.seq != next_seq(connection) - 1:
        raise UserError("最近一次合并之后本机又做过导出，无法撤销，数据库未改动；如确需回到合并前，请用备份恢复。")
    _refuse_edited_since(connection, newest.seq)
    connection.execute("PRAGMA defer_foreign_keys=ON")
    stamps.set_applying(connection, True)  # restored rows are not local edits; local_meta is restored last
    tables = [t for (t,) in connection.execute(f"SELECT DISTINCT table_name FROM main.{JOURNAL} WHERE seq = ?",
                                               (newest.seq,))]
    for table in sorted(tables, key=_restore_order):
        _restore_table(connection, codec(connection, table), newest.seq)
    connection.execute(f"DELETE FROM main.{HISTORY} WHERE seen_seq = ?", (newest.seq,))
    connection.execute(f"DELETE FROM main.{JOURNAL} WHERE seq = ?", (newest.seq,))
    return UndoResult(newest.seq, newest.files, newest.added, newest.updated)


def _restore_order(table: str) -> tuple[int, str]:
    """Synced rows first (their delete triggers drop stamps and local changes, restored next), the flag last."""
    from inspector.core.sync.rows import SYNC_ORDER

    return (0 if table in SYNC_ORDER else 2 if table in LAST else 1, table)


def _refuse_edited_since(connection: sqlite3.Connection, seq: int) -> None:
    """A synced row the merge wrote whose stamp is gone was written here since (the triggers drop it)."""
    from inspector.core.sync import stamps
    from inspector.core.sync.report import TABLE_NAMES
    from inspector.core.sync.rows import SYNC_ORDER

    if not stamps.available(connection):
        raise UserError("数据库的版本记录尚未建立，无法撤销合并；请用备份恢复。")
    synced = ", ".join(f"'{t}'" for t in SYNC_ORDER)
    edited = connection.execute(
        f"SELECT j.table_name, j.row_key FROM main.{JOURNAL} AS j WHERE j.seq = ? AND j.table_name IN ({synced}) "
        f"AND NOT EXISTS (SELECT 1 FROM main.{stamps.STAMPS} AS s WHERE s.table_name = j.table_name "
        "AND s.row_id = j.row_key) LIMIT 1", (seq,)).fetchone()
    if edited:
        raise UserError(f"这次合并之后本机又修改了合并写入的{TABLE_NAMES.get(edited[0], edited[0])}记录 {edited[1]}，"
                        "无法撤销，数据库未改动；如确需回到合并前，请用备份恢复。")


def _restore_table(connection: sqlite3.Connection, c: TableCodec, seq: int) -> None:
    keys = c.keys_from_journal()
    connection.execute(f'DELETE FROM main."{c.table}" WHERE {c.key_tuple()} IN ({keys})', {"seq": seq})
    names = ", ".join(f'"{n}"' for n in c.columns + c.blobs)
    values = ", ".join([f"json_extract(content, '$.\"{n}\"')" for n in c.columns] +
                       [f"blob_{i + 1}" for i in range(len(c.blobs))])
    connection.execute(f'INSERT INTO main."{c.table}" ({names}) SELECT {values} FROM main.{JOURNAL} '
                       f"WHERE seq = :seq AND table_name = '{c.table}' AND content IS NOT NULL", {"seq": seq})
