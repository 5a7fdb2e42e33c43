"""A demo into a data directory that has no database yet: a new file, built to the side, moved in when complete.

Made by the project's own migrations (so its schema is a migrated one), under a temporary name
beside the database that :func:`~inspector.core.common.outputs.remove_leftovers` removes at the next
start if this process dies. Nobody else can see the file while it is built, so it is written the
fast way: no journal, no fsync per commit, foreign keys not checked row by row (the generator
writes parents first; ``tests/core/demo`` runs ``foreign_key_check`` on the result), a page cache
for the pages written again and again, and the secondary indexes of the big tables dropped before the load and created again after
it with their very SQL from ``sqlite_master`` (one sort instead of half a million random inserts).
The photo tables keep theirs: ``photo(jpeg_sha256)`` lies behind the JPEG in the row, so building it
afterwards would read every photo again.

The answered items go into a side file of their own (the finding table only, another temporary name,
removed in any case) by a second connection on its own thread, beside the photos going into the new
file, and are copied in by SQLite's transfer optimisation (:meth:`NewDatabase.take_side`).

Then the file is fsynced and linked into place under the database's name, which fails if a database
appeared there meanwhile (a database is never replaced). Any failure before that removes the
temporary file: the data directory is as it was.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from inspector.core.common.outputs import DATABASE_COMPANIONS, fsync_file, fsync_folder, remove_sqlite_temp, temp_path_for
from inspector.db.ids import new_device_id

#: Page cache of the loading connection, KiB: the pages written again and again (the primary-key indexes, the
#: tables' last pages) stay in memory; the rest is written once and spilled (1 GB took 0.8 GB more memory and
#: ~0.5 s more system time faulting it in, for pages never read again).
LOAD_CACHE_KIB = 256 * 1024
#: Sorter threads and run size (KiB) while the dropped indexes are created (:func:`_create_indexes`).
SORT_THREADS = 2
SORT_RUN_KIB = 32 * 1024
#: Tables whose secondary indexes are created after the load (by far the most rows).
REINDEXED = ("hazard_event", "reinspection_item", "inspection", "reinspection")
#: The table a second connection loads into a side file on its own thread (the answered items: half of the
#: SQLite work, a fifth of the bytes), copied in by SQLite's transfer optimisation (:meth:`NewDatabase.take_side`).
SIDE_TABLE = "finding"
SIDE_CACHE_KIB = 64 * 1024  # its primary-key index (~27 MB for 500,000 rows) stays in memory


def can_build_new(database: Path) -> bool:
    """Neither the database nor any file SQLite would take for its journal exists (a stray ``-wal`` would
    be replayed into the new file)."""
    return not any(Path(str(database) + suffix).exists() for suffix in ("", *DATABASE_COMPANIONS))


class NewDatabase:
    """The loading connection of a database under construction and the device id its rows carry."""

    def __init__(self, connection: sqlite3.Connection, device_id: str, path: Path, side: "NewDatabase | None" = None,
                 thread_name: str = "demo-writer"):
        self.connection, self.device_id, self.path, self.thread_name = connection, device_id, path, thread_name
        self.side = side  # the side file of SIDE_TABLE, loaded by its own writer thread (submit_side)
        self._side_used = False
        self._flusher: threading.Thread | None = None
        self._flush_error: OSError | None = None
        self._writer = None  # a one-thread executor: SQLite's work on the connection while Python goes on
        self._jobs: list = []

    def submit(self, job: Callable[[], object]) -> None:
        """Run ``job`` (which uses :attr:`connection`) on the writer thread, after the jobs submitted before it.
        Until :meth:`wait` returns, only jobs may use the connection: sqlite3 releases the GIL while a statement
        steps, so the generator's Python runs on meanwhile (2 cores: about half the write is SQLite's own)."""
        if self._writer is None:
            from concurrent.futures import ThreadPoolExecutor

            self._writer = ThreadPoolExecutor(1, thread_name_prefix=self.thread_name)
        self._jobs.append(self._writer.submit(job))

    def submit_side(self, job: Callable[[sqlite3.Connection], object]) -> None:
        """Run ``job(connection)`` on the side file's writer thread (rows of :data:`SIDE_TABLE` only), in order,
        beside this file's writer: two connections, two files, both cores busy with SQLite's own work."""
        side = self.side
        if not self._side_used:
            self._side_used = True
            side.submit(lambda: side.connection.execute("BEGIN"))
        side.submit(lambda: job(side.connection))

    def submit_take_side(self) -> None:
        """:meth:`take_side` as this file's next job: the copy runs on the writer thread, once the side file's
        jobs are done, while the generator goes on (the closed loop, today's scenes). Nothing may go into
        :data:`SIDE_TABLE` until it has run: not the side file (its last job is in), nor this file."""
        if self.side is not None and self._side_used:
            self.submit(self.take_side)

    def take_side(self) -> int:
        """The side file's rows into this file's :data:`SIDE_TABLE`, which must be empty so far (then SQLite copies
        the rows and their primary-key index as they are, in order: `INSERT … SELECT *` with the transfer
        optimisation, which needs the table without triggers for the statement: they are dropped and created
        again with their very SQL around it). Call it between this file's jobs (after :meth:`wait`) and before
        anything else goes into the table; returns the rows copied. Raises the side jobs' first error."""
        if self.side is None or not self._side_used:
            return 0
        side = self.side
        side.wait()
        side.connection.execute("COMMIT")
        side.connection.close()
        self._side_used = False
        connection = self.connection
        connection.execute("COMMIT")
        connection.execute("ATTACH DATABASE ? AS demo_side", (str(side.path),))
        try:
            connection.execute("BEGIN")
            triggers = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
                                          "ORDER BY rowid", (SIDE_TABLE,)).fetchall()
            for name, _ in triggers:
                connection.execute(f'DROP TRIGGER "{name}"')
            copied = connection.execute(f"INSERT INTO main.{SIDE_TABLE} SELECT * FROM demo_side.{SIDE_TABLE}").rowcount
            for _, sql in triggers:
                connection.execute(sql)
            connection.execute("COMMIT")
        finally:
            connection.execute("DETACH DATABASE demo_side")
        connection.execute("BEGIN")
        return copied

    def wait(self) -> None:
        """Wait for the submitted jobs; raises the first one's error (the later ones are cancelled)."""
        jobs, self._jobs = self._jobs, []
        try:
            for job in jobs:
                job.result()
        except BaseException:
            for job in jobs:
                job.cancel()
            for job in jobs:
                if not job.cancelled():
                    job.exception()  # finished either way: the connection is free again
            raise

    def shutdown(self) -> None:
        """Stop the writer thread once every job has ended (their errors were raised by :meth:`wait`, or are moot)."""
        if self._writer is not None:
            for job in self._jobs:
                job.cancel()
            self._writer.shutdown(wait=True)
            self._writer = None

    def flush_in_background(self) -> None:
        """Start writing what is committed so far to the disk while the load goes on (photos first: most bytes)."""
        if self._flusher is None:
            self._flusher = threading.Thread(target=self._flush, name="demo-fsync", daemon=True)
            self._flusher.start()

    def _flush(self) -> None:
        try:
            fsync_file(self.path)
        except OSError as exc:  # raised by wait_for_flush, in the loading thread
            self._flush_error = exc

    def wait_for_flush(self) -> None:
        if self._flusher is not None:
            self._flusher.join()
            self._flusher = None
        error, self._flush_error = self._flush_error, None
        if error is not None:
            raise error


@contextmanager
def new_database(target: Path, backups: Path) -> Iterator[NewDatabase]:
    """Yield a :class:`NewDatabase` to load; on a clean exit it becomes ``target`` (which must not exist)."""
    from inspector.errors import DatabaseError, UserError, describe_io_error

    target = Path(target)
    temp, side_path = temp_path_for(target), temp_path_for(target)
    database = connection = side = None
    try:
        _create(temp, target, backups)
        connection = sqlite3.connect(temp, isolation_level=None, check_same_thread=False)  # NewDatabase.submit
        device_id = new_device_id()
        connection.execute("INSERT INTO local_meta (key, value) VALUES ('device_id', ?)", (device_id,))
        _load_settings(connection)
        side = _side_database(side_path, connection, device_id)
        database = NewDatabase(connection, device_id, temp, side)
        indexes = _drop_indexes(connection)
        yield database
        database.wait()
        database.take_side()  # (when the caller has not: the table is no longer empty then, a plain copy)
        database.wait_for_flush()
        database.flush_in_background()  # the rows written since the photos, while the indexes are made
        _create_indexes(connection, indexes)
        database.wait_for_flush()
        connection.close()
        fsync_file(temp)
        _link_into_place(temp, target)
    except sqlite3.Error as exc:
        from inspector.db.database import describe_sqlite_error

        raise DatabaseError(describe_sqlite_error(exc, target)) from exc
    except OSError as exc:
        raise UserError(describe_io_error(exc, target, "写入")) from None
    finally:
        if side is not None:
            side.shutdown()
            side.connection.close()
        if database is not None:
            database.shutdown()
            if database._flusher is not None:
                database._flusher.join()
        if connection is not None:
            connection.close()
        remove_sqlite_temp(temp)
        remove_sqlite_temp(side_path)


def _create(temp: Path, target: Path, backups: Path) -> None:
    """The migrated empty file; a failure is told of the database, not of the temporary name."""
    from inspector.db import migrations
    from inspector.db.types import utcnow
    from inspector.errors import DatabaseError, known_io_text

    try:
        migrations.upgrade(temp, backups, utcnow().strftime("%Y%m%dT%H%M%SZ"))
    except DatabaseError as exc:
        reason = known_io_text(exc.__cause__) if exc.__cause__ is not None else None
        raise DatabaseError(f"无法创建数据库 {target.name}：{reason or exc.message}。") from exc


def _load_settings(connection: sqlite3.Connection, cache_kib: int = LOAD_CACHE_KIB) -> None:
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "foreign_keys=OFF", "temp_store=MEMORY",
                   "locking_mode=EXCLUSIVE", f"cache_size=-{cache_kib}"):
        connection.execute(f"PRAGMA {pragma}")


def _side_database(path: Path, connection: sqlite3.Connection, device_id: str) -> NewDatabase:
    """A side file with :data:`SIDE_TABLE` as the new file has it (its very SQL: the same columns and primary key,
    so :meth:`NewDatabase.take_side` copies it as it is), loaded the same fast way; removed in any case."""
    schema = connection.execute("SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('table', 'index') "
                                "AND sql IS NOT NULL ORDER BY type = 'index', rowid", (SIDE_TABLE,)).fetchall()
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    side = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    side.execute(f"PRAGMA page_size = {page_size}")  # the new file's (migrations.PAGE_SIZE): pages alike
    _load_settings(side, SIDE_CACHE_KIB)
    for (sql,) in schema:
        side.execute(sql)
    return NewDatabase(side, device_id, path, thread_name="demo-side-writer")


def _drop_indexes(connection: sqlite3.Connection) -> list[str]:
    """Drop the explicit indexes of :data:`REINDEXED`; returns their SQL, to create them again after the load."""
    marks = ", ".join("?" * len(REINDEXED))
    found = connection.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                               f"AND tbl_name IN ({marks}) ORDER BY rowid", REINDEXED).fetchall()
    for name, _ in found:
        connection.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def _create_indexes(connection: sqlite3.Connection, indexes: list[str]) -> None:
    """The dropped indexes again, each sorted by :data:`SORT_THREADS` threads (the generator's thread is idle by
    now) in runs of :data:`SORT_RUN_KIB` (SQLite's sorter takes its run size from the page cache's size, and
    sorts in one thread what fits in one run: the 1 GB cache would make one run of every index)."""
    connection.execute(f"PRAGMA threads={SORT_THREADS}")
    connection.execute(f"PRAGMA cache_size=-{SORT_RUN_KIB}")
    for sql in indexes:
        connection.execute(sql)


def _link_into_place(temp: Path, target: Path) -> None:
    """``temp`` becomes ``target`` unless something exists there by now (then a UserError; ``temp`` stays for the caller)."""
    from inspector.errors import UserError

    try:
        if os.name != "posix":
            os.rename(temp, target)  # Windows: refuses an existing target
        else:
            try:
                os.link(temp, target)  # atomic, never replaces
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links (a FAT stick)
                if os.path.lexists(target):
                    raise FileExistsError(target) from None
                os.rename(temp, target)
            else:
                os.unlink(temp)
    except FileExistsError:
        raise UserError(f"生成演示数据期间 {target.name} 已被创建（可能另一个程序打开了数据目录），"
                        "未作改动；请再运行一次 inspector demo 追加演示数据。") from None
    fsync_folder(target.parent)
