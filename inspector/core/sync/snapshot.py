"""The snapshot a full export starts from: a copy of the live database file, with nothing local left in it.

:func:`snapshot` copies the file while it cannot change (or through SQLite's backup API), and checks
the very snapshot it copies with ``quick_check`` while the kernel copies it (see :func:`_frozen_copy`);
:func:`drop_local_tables` then empties, in the attached copy ``out``, every table that never travels.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Callable

from inspector.core.common.outputs import fsync_file
from inspector.errors import UserError

from inspector.core.sync.rows import HISTORY_TABLE, SYNC_ORDER


def connect(path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA busy_timeout=10000")
    return connection


def snapshot(db_path: Path, temp: Path, during_copy=None) -> tuple[bool, object]:
    """A consistent snapshot of the live database while the app keeps writing: a plain copy of the file
    when it can be frozen (:func:`_frozen_copy`), else all pages through SQLite's backup API in one step.
    True when the copy is a byte copy of a snapshot that passed ``quick_check`` (a damaged database is
    refused with a :class:`UserError`); False after the backup API (the copy is then to be checked whole).
    Second: what ``during_copy(reader)`` returned, run on the snapshot after the check (None without a copy)."""
    result: list = [None]
    try:
        frozen = _frozen_copy(db_path, temp, during_copy, result)
    except (OSError, sqlite3.OperationalError):  # busy, or a locked byte range (Windows) while copying
        frozen, result[0] = False, None
    if not frozen:
        temp.unlink(missing_ok=True)
        source = connect(db_path)
        try:
            target = connect(temp)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    _mark_rollback_journal(temp)
    target = connect(temp)
    try:
        target.execute("PRAGMA journal_mode=OFF")
        target.execute("BEGIN")
        for (name,) in target.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                      "AND name LIKE 'sqlite_stat%'").fetchall():
            target.execute(f'DROP TABLE "{name}"')  # ANALYZE statistics are not part of the app's schema
        target.execute("COMMIT")
    finally:
        target.close()
    return frozen, result[0]


def _frozen_copy(db_path: Path, temp: Path, during_copy=None, result: list | None = None) -> bool:
    """Copy the database file while no checkpoint can change it; False when it cannot be frozen now.

    With every WAL frame already in the file (a passive checkpoint completes while we hold the write
    lock, so nothing new arrives), a reader that starts then reads the file alone (WAL read lock 0),
    and as long as it holds that lock no checkpoint may write into the file (SQLite takes read lock 0
    exclusively to backfill). Writers go on appending to the WAL meanwhile: the app is not blocked
    beyond the checkpoint. The copy is then exactly the reader's snapshot, and the reader runs
    ``quick_check`` over that snapshot while another thread copies the file (the kernel copies, SQLite
    checks: both outside the GIL). A snapshot that fails it is refused before anything is written.
    """
    writer, reader = connect(db_path), connect(db_path)
    try:
        writer.execute("BEGIN IMMEDIATE")
        try:
            busy, frames, done = reader.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if busy or frames != done:  # another reader still needs frames: the backup API instead
                return False
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            writer.execute("ROLLBACK")
        copier = _Copier(db_path, temp)
        copier.start()
        try:
            problem = quick_check_problem(reader)
            if during_copy and not problem and result is not None:
                result[0] = during_copy(reader)
        finally:
            copier.join()
        if copier.error is not None:
            raise copier.error
        reader.execute("ROLLBACK")
        if problem:
            raise UserError(f"本机数据库已损坏（SQLite 完整性检查：{problem}），未导出：请先在“检查数据库”中查看，"
                            "或从备份恢复后再导出。")
        return True
    finally:
        reader.close()
        writer.close()


class _Copier(threading.Thread):
    """Copies the file in the background (``shutil.copyfile``: the kernel's copy); keeps the error it met."""

    def __init__(self, source: Path, target: Path):
        super().__init__(name="export-copy", daemon=True)
        self.source, self.target, self.error = source, target, None

    def run(self) -> None:
        import shutil

        try:
            shutil.copyfile(self.source, self.target)
        except OSError as exc:
            self.error = exc


def fsync_while(temp: Path, check: Callable[[], None]) -> None:
    """fsync the file while ``check`` reads it back (the check reads what the OS holds either way; the
    disk writes and the reading overlap, outside the GIL); returns once both are done, the first error raised."""
    errors: list[OSError] = []

    def flush() -> None:
        try:
            fsync_file(temp)
        except OSError as exc:
            errors.append(exc)

    flusher = threading.Thread(target=flush, name="export-fsync", daemon=True)
    flusher.start()
    try:
        check()
    finally:
        flusher.join()
    if errors:
        raise errors[0]


def quick_check_problem(connection: sqlite3.Connection, table: str | None = None) -> str | None:
    """The first fault ``PRAGMA quick_check`` reports (of the whole file, or of ``table`` and its indexes), or None."""
    connection.execute("PRAGMA cache_size=-65536")  # 64 MiB: the check walks every page once
    pragma = f'PRAGMA quick_check("{table}")' if table else "PRAGMA quick_check(20)"
    rows = [row[0] for row in connection.execute(pragma)]
    if rows == ["ok"]:
        return None
    lines = [line.strip() for row in rows for line in row.splitlines() if line.strip() and not line.startswith("***")]
    return (lines or rows or ["?"])[0]


def _mark_rollback_journal(temp: Path) -> None:
    """File format bytes 18-19 say "WAL" in a copy of a WAL database; an export is one self-contained file
    in rollback-journal form (opened read-only and immutable, it must not look for a -wal file)."""
    with open(temp, "r+b") as handle:
        handle.seek(18)
        if handle.read(2) == b"\x02\x02":
            handle.seek(18)
            handle.write(b"\x01\x01")


def scrub_free_pages(connection: sqlite3.Connection) -> None:
    """Zero the free pages the copy brought from the live file (old rows may linger there): a zero-filled
    scratch table takes them all and is dropped again. First thing in the copy, with ``secure_delete`` off
    while it runs (the pages it frees hold zeros already; on, SQLite would write every one of them twice)."""
    free = connection.execute("PRAGMA out.freelist_count").fetchone()[0]
    if not free:
        return
    page = connection.execute("PRAGMA out.page_size").fetchone()[0]
    connection.execute("PRAGMA out.secure_delete=OFF")
    connection.execute("CREATE TABLE out.export_scrub (b BLOB)")
    connection.execute("INSERT INTO out.export_scrub VALUES (zeroblob(?))", (free * (page - 4),))
    connection.execute("DROP TABLE out.export_scrub")


def drop_local_tables(connection: sqlite3.Connection) -> list[str]:
    """Empty every table that never travels (device id and keys, sync log, conflicts, stamps) so that
    nothing of it is left in the file: each is dropped (its pages zeroed: ``secure_delete``) and created
    again with its indexes, exactly as the schema has them; returns their names. The free pages the live
    database had are zeroed before (:func:`scrub_free_pages`). (What stays is free space inside the pages
    of the synced tables, where earlier versions of synced rows may linger.)"""
    connection.execute("PRAGMA out.secure_delete=ON")
    travels = set(SYNC_ORDER) | {HISTORY_TABLE}
    objects = connection.execute("SELECT type, name, tbl_name, sql FROM out.sqlite_master WHERE sql IS NOT NULL "
                                 "ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, rowid").fetchall()
    local = [name for kind, name, _, _ in objects if kind == "table" and name not in travels
             and not name.startswith("sqlite_")]
    for table in local:
        connection.execute(f'DROP TABLE out."{table}"')
    for kind, name, table, sql in objects:
        if table in local and kind in ("table", "index"):
            head = f"CREATE {kind.upper()} {name} "  # as SQLite stores it; created in out, stored the same
            if not sql.startswith(head):
                raise sqlite3.DatabaseError(f"unexpected schema statement for {name}")
            connection.execute(f"CREATE {kind.upper()} out.{name} " + sql[len(head):])
    return local
