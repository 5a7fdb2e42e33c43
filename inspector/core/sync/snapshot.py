"""The snapshot a full export starts from: a copy of the live database file, with nothing local left in it.

:func:`snapshot` copies the file while it cannot change (or through SQLite's backup API), and checks
the very snapshot it copies with ``quick_check`` on a reader and a thread of its own, while the kernel
copies it and while the export goes on working on the copy (see :func:`_frozen_copy`, :class:`Snapshot`);
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


class Snapshot:
    """The copy of the live database a full export starts from, and the check of the snapshot it is a copy of.

    ``frozen``: the copy is a byte copy of a snapshot that ``quick_check`` is checking on a reader of its own
    (:func:`_frozen_copy`); False after the backup API (the copy is then to be checked whole). ``rows``: what
    ``during_copy(reader, first)`` returned, run on the same snapshot while the kernel copied it (None without
    a copy); ``first()`` waits for what ``before_check(reader)`` returned on the checking reader.
    The check may still run when this is returned: :meth:`first` waits for what ``before_check`` returned,
    :meth:`wait_check` for the check itself and refuses a damaged database (:class:`UserError`)."""

    def __init__(self, frozen: bool, rows=None, checker: "_Checker | None" = None):
        self.frozen, self.rows, self._checker = frozen, rows, checker

    def first(self):
        """What ``before_check(reader)`` returned on the snapshot (None without a copy, or when it failed)."""
        return self._checker.first() if self._checker else None

    def second(self):
        """What ``after_first(reader)`` returned on the snapshot (None without a copy, or when it failed)."""
        return self._checker.second() if self._checker else None

    def wait_check(self) -> None:
        """Wait for the snapshot's ``quick_check``; a damaged local database is refused."""
        checker, self._checker = self._checker, None
        if checker is None:
            return
        checker.finish()

    def close(self) -> None:
        """Wait for the check (its outcome no longer asked for: the export failed) and close its reader."""
        checker, self._checker = self._checker, None
        if checker is not None:
            checker.reader.interrupt()  # thread-safe: the running check stops with "interrupted"
            checker.join()
            checker.reader.close()


def snapshot(db_path: Path, temp: Path, during_copy=None, before_check=None, after_first=None) -> Snapshot:
    """A consistent snapshot of the live database while the app keeps writing: a plain copy of the file
    when it can be frozen (:func:`_frozen_copy`), else all pages through SQLite's backup API in one step.
    ``during_copy(reader, first)`` runs on the snapshot while the kernel copies it, ``before_check(reader)`` and then
    ``after_first(reader)`` on the checking reader before its ``quick_check`` (all read the very snapshot the copy
    is of)."""
    result = None
    try:
        result = _frozen_copy(db_path, temp, during_copy, before_check, after_first)
    except (OSError, sqlite3.OperationalError):  # busy, or a locked byte range (Windows) while copying
        result = None
    if result is None:
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
        result = Snapshot(False)
    try:
        _mark_rollback_journal(temp)
        _drop_statistics(temp)
    except BaseException:
        result.close()
        raise
    return result


def _drop_statistics(temp: Path) -> None:
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


def _frozen_copy(db_path: Path, temp: Path, during_copy=None, before_check=None, after_first=None) -> Snapshot | None:
    """Copy the database file while no checkpoint can change it; None when it cannot be frozen now.

    With every WAL frame already in the file (a passive checkpoint completes while we hold the write
    lock, so nothing new arrives), readers that start then read the file alone (WAL read lock 0, shared),
    and as long as one holds that lock no checkpoint may write into the file (SQLite takes read lock 0
    exclusively to backfill). Writers go on appending to the WAL meanwhile: the app is not blocked
    beyond the checkpoint. The copy is then exactly the readers' snapshot. Two readers start under the
    write lock, so both see that one snapshot: one runs ``quick_check`` over it in a thread of its own
    (:class:`_Checker`), the other ``during_copy`` here, while a third thread copies the file (the kernel
    copies and SQLite checks outside the GIL). The check may outlive this call: a damaged snapshot is
    refused by :meth:`Snapshot.wait_check`, before the export file is checked, let alone renamed into place.
    """
    writer, reader, checking = connect(db_path), connect(db_path), connect_shared(db_path)
    checker = snap = None
    try:
        writer.execute("BEGIN IMMEDIATE")
        try:
            busy, frames, done = reader.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if busy or frames != done:  # another reader still needs frames: the backup API instead
                return None
            for connection in (reader, checking):
                connection.execute("BEGIN")
                connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            writer.execute("ROLLBACK")
        copier = _Copier(db_path, temp)
        copier.start()
        checker = _Checker(checking, before_check, after_first)
        checker.start()
        try:
            rows = during_copy(reader, checker.first) if during_copy else None
        except sqlite3.DatabaseError:  # a damaged database is refused with what the check found
            waiting, checker = checker, None
            waiting.finish()
            raise
        finally:
            copier.join()
        if copier.error is not None:
            raise copier.error
        reader.execute("ROLLBACK")
        snap, checker = Snapshot(True, rows, checker), None
        return snap
    finally:
        if checker is not None:  # not handed over: stop it, keep no thread reading
            checking.interrupt()
            checker.join()
        if snap is None:
            checking.close()
        reader.close()
        writer.close()


def connect_shared(path) -> sqlite3.Connection:
    """A connection that a thread of its own uses (and the opening thread closes)."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA busy_timeout=10000")
    return connection


class _Checker(threading.Thread):
    """``before_check(reader)``, ``after_first(reader)`` and then ``quick_check`` on a reader that holds the
    export's snapshot (work the main thread needs late goes second: the first result is published sooner)."""

    def __init__(self, reader: sqlite3.Connection, before_check=None, after_first=None):
        super().__init__(name="export-check", daemon=True)
        self.reader, self.before_check, self.after_first = reader, before_check, after_first
        self.first_result, self.first_done = None, threading.Event()
        self.second_result, self.second_done = None, threading.Event()
        self.problem: str | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            if self.before_check:
                try:
                    self.first_result = self.before_check(self.reader)
                except sqlite3.DatabaseError:
                    self.first_result = None  # the caller takes the path that does not need it; the check decides
            self.first_done.set()
            if self.after_first:
                try:
                    self.second_result = self.after_first(self.reader)
                except sqlite3.DatabaseError:
                    self.second_result = None  # the caller computes it on the copy; the check decides
            self.second_done.set()
            self.problem = quick_check_problem(self.reader)
        except sqlite3.OperationalError as exc:  # interrupted, out of memory, ...: not a verdict on the file
            self.error = exc
        except sqlite3.DatabaseError as exc:  # "database disk image is malformed": the check met the damage itself
            self.problem = str(exc)
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that waits
            self.error = exc
        finally:
            self.first_done.set()
            self.second_done.set()
            try:
                self.reader.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def first(self):
        """Wait for what ``before_check`` returned (None when it failed)."""
        self.first_done.wait()
        return self.first_result

    def second(self):
        """Wait for what ``after_first`` returned (None when it failed)."""
        self.second_done.wait()
        return self.second_result

    def finish(self) -> None:
        """Join, close the reader, and refuse a damaged snapshot (or raise what the check met)."""
        self.join()
        self.reader.close()
        if self.error is not None:
            raise self.error
        if self.problem:
            raise UserError(f"本机数据库已损坏（SQLite 完整性检查：{self.problem}），未导出：请先在“检查数据库”中查看，"
                            "或从备份恢复后再导出。")


class _Copier(threading.Thread):
    """Copies the file in the background (``shutil.copyfile``: the kernel's copy) and flushes the copy to the
    disk at once, while the main thread still digests the snapshot: the export's final fsync (after its few
    writes into the copy) then has little left to write. Keeps the error it met."""

    def __init__(self, source: Path, target: Path):
        super().__init__(name="export-copy", daemon=True)
        self.source, self.target, self.error = source, target, None

    def run(self) -> None:
        import shutil

        try:
            shutil.copyfile(self.source, self.target)
            fsync_file(self.target)
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
    # SQLite's default page cache (2 MiB): the check reads every page once, and a 64 MiB cache only made it
    # slower (1.48 GB file: 0.97 -> 0.77 s CPU) and the process 64 MB bigger
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
