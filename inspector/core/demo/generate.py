"""Realistic demo data: enterprises in the park, inspectors, inspections with findings and photos.

The entry points (:func:`build_demo` into a database in use, :func:`build_demo_in_new_database` into a data
directory without one) and the batch's writing. The rows themselves are made in memory by
:class:`~inspector.core.demo.batch_rows.BatchRows` (industries, lists, answers, hazards, photos), the closed loop
by :mod:`inspector.core.demo.closed_loop`, and with ``living_office=True`` (the CLI's and the GUI's demo) a
present day on top: cases dated from today, number blocks and issued documents (:mod:`inspector.core.demo.office`).

Rows are written with plain sqlite3 bulk inserts (:mod:`inspector.db.bulk`) in one transaction; into a new
file, what is final goes to its writer threads as it is made (:meth:`_Batch.stream_answers`). Each run adds a
new batch; the seed makes a batch reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from inspector.core.common.collector import collector_paused
from inspector.core.demo.answers import COLUMNS as ANSWER_COLUMNS
from inspector.core.demo.answers import insert as insert_answers
from inspector.core.demo.batch_rows import BatchRows
from inspector.core.demo.changes import TriggerlessBatch
from inspector.core.demo.photos import PhotoRows, make_pool
from inspector.core.records.checklists import Checklist
from inspector.db.bulk import bulk_connection, insert_rows, stored_rows
from inspector.db.database import Database
from inspector.db.models import Enterprise, Finding, Inspection, Inspector, Photo  # noqa: F401 - Enterprise, Inspector: tests

ANSWER_CHUNK = 1000  # inspections whose answers the writer thread takes at once (a new file)
FINDING_COLUMNS = ANSWER_COLUMNS  # the finding columns the demo writes (a hazard's dict has the same keys)


@dataclass(frozen=True)
class DemoResult:
    enterprises: int
    inspectors: int
    inspections: int
    findings: int
    hazards: int
    photos: int
    documents: int = 0


def build_demo(db: Database, checklists: list[Checklist], *, seed: int = 1, inspections: int = 8,
               enterprises: int | None = None, photos_per_hazard: int = 1, living_office: bool = False,
               config=None, now: datetime | None = None, progress=None) -> DemoResult:
    """Add one demo batch. ``living_office`` adds today's cases, number blocks and documents
    (``config``: the document configuration to number and render them with); ``now`` fixes
    the clock (tests); ``progress(done, total)`` is called as the steps finish."""
    plan = _Plan(checklists, seed, inspections, enterprises, photos_per_hazard, living_office, now, progress)
    with collector_paused():
        builder, staged = plan.prepare(db.device_id)
        builder.write(db.raw())
        result = plan.finish(db, builder, staged, config)
        del builder, staged  # freed by reference counting (no cycles), before the collector is back on
    return result


def build_demo_in_new_database(database: Path, backups: Path, open_database, checklists: list[Checklist], *,
                               seed: int = 1, inspections: int = 8, enterprises: int | None = None,
                               photos_per_hazard: int = 1, living_office: bool = False, config=None,
                               now: datetime | None = None, progress=None) -> DemoResult:
    """:func:`build_demo` into a data directory without a database (:func:`new_file.can_build_new`): the
    batch is loaded into a new file built to the side (:mod:`inspector.core.demo.new_file`), which then
    becomes ``database``; ``open_database()`` opens it for the present day's documents."""
    from inspector.core.demo.new_file import new_database

    plan = _Plan(checklists, seed, inspections, enterprises, photos_per_hazard, living_office, now, progress)
    with collector_paused():
        with new_database(database, backups) as new:
            builder, staged = plan.prepare(new.device_id, new)
            if living_office:  # while the writer thread catches up
                from inspector.core.demo.office import warm_up_documents

                warm_up_documents(config)
            builder.write_new(new)
        result = plan.finish(open_database(), builder, staged, config)
        del builder, staged  # (as in build_demo)
    return result


@dataclass
class _Plan:
    checklists: list[Checklist]
    seed: int
    inspections: int
    enterprises: int | None
    photos_per_hazard: int
    living_office: bool
    now: datetime | None
    progress: object

    def report(self, done: int) -> None:
        if self.progress:
            self.progress(done, self.inspections + 2)

    def prepare(self, device_id: str, new=None) -> tuple["_Batch", list]:
        """The whole batch in memory: enterprises, inspectors, inspections, their closed loop, today's scenes.
        With ``new`` (a :class:`~inspector.core.demo.new_file.NewDatabase`), what is final goes to its writer
        thread as it is made: the answers every :data:`ANSWER_CHUNK` inspections, then the photos."""
        if not self.checklists:
            from inspector.errors import UserError

            raise UserError("没有可用的检查表，无法生成演示数据。")
        rng = random.Random(self.seed)
        builder = _Batch(device_id, rng, self.checklists, self.photos_per_hazard, self.seed, self.now)
        builder.settled = self.living_office  # an office that keeps up: old cases are done, drafts are recent
        builder.add_enterprises(self.enterprises or max(6, min(400, self.inspections // 20)))
        builder.add_inspectors(6)
        first = max(1, ANSWER_CHUNK // 4)  # a small first chunk: the writer thread starts early
        for index, start in enumerate(builder.inspection_starts(self.inspections)):
            builder.add_inspection(start)
            if index % 500 == 499:
                self.report(index + 1)
            if new is not None and (index % ANSWER_CHUNK == ANSWER_CHUNK - 1 or index == first - 1):
                builder.stream_answers(new)
                builder.stream_photos(new)
        if new is not None:
            builder.stream_answers(new)
            builder.stream_photos(new)
            new.submit_take_side()  # the answers copied in while the closed loop is made...
            new.submit(builder.list_answers)  # ...and listed as local changes
        _add_closed_loop(builder)
        if new is not None:
            builder.stream_after_photos(new)
        staged = _stage_present_day(builder, self.seed) if self.living_office else []
        builder.store()  # (a new file: while the writer thread writes what went ahead)
        return builder, staged

    def finish(self, db: Database, builder: "_Batch", staged: list, config) -> DemoResult:
        self.report(self.inspections + 1)
        documents = _finish_present_day(db, staged, config, builder.now) if self.living_office else 0
        self.report(self.inspections + 2)
        return builder.result(documents)


def _stage_present_day(builder: "_Batch", seed: int) -> list:
    from inspector.core.demo.office import add_present_day

    if not builder.pool:
        builder.pool = make_pool(seed)  # today's hazards need their photos to be issued
    return add_present_day(builder)


def _finish_present_day(db: Database, staged: list, config, now: datetime) -> int:
    from inspector.core.demo.office import finish_present_day

    if config is None:
        from inspector.core.documents import load_config

        config = load_config()
    return finish_present_day(db, staged, config, now)


def _add_closed_loop(builder: "_Batch") -> None:
    """Hazard statuses with history, re-inspections and after photos (inspector.core.demo.closed_loop)."""
    from inspector.core.demo.closed_loop import add_closed_loop

    add_closed_loop(builder)


class _Batch(BatchRows):
    """The batch and its writing: into a database in use (:meth:`write`) or a new file (:meth:`write_new`,
    with what is final streamed to its writer thread as it is made)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._changes: TriggerlessBatch | None = None  # a new file: the batch's transaction, opened by a job
        self._photos_written = 0  # photos written ahead (a new file)
        self._stored: list[tuple[str, list[str], list[tuple]]] | None = None  # rows as stored, to write

    def write(self, connection) -> None:
        """Into a database in use: one transaction through plain sqlite3, all of the batch or nothing, the stamp
        triggers skipped and the batch listed as local changes in bulk (:mod:`inspector.core.demo.changes`)."""
        connection = bulk_connection(connection)
        try:
            connection.execute("BEGIN IMMEDIATE")
            changes = TriggerlessBatch(connection)
            changes.begin()
            self._write_tables(connection)
            changes.finish()
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()

    # --- a new file (inspector.core.demo.new_file): jobs on its writer thread while the batch is made ---

    def stream_answers(self, new) -> None:
        """The answers made so far to the writer thread; the first call opens the batch's transaction."""
        if self._changes is None:
            self._changes = TriggerlessBatch(new.connection)  # the writer is idle before its first job
            new.submit(self._begin_new)
        chunk = self.answers.drain()
        new.submit_side(lambda connection: insert_answers(connection, chunk, self.device_id))  # beside the photos

    def stream_photos(self, new) -> None:
        """The hazards' photos made since the last call (final: nothing edits them) to the writer thread, with
        their inspections' answers: most of the file's bytes go in while the generator goes on."""
        photos, self._photos_written = self.rows[Photo][self._photos_written:], len(self.rows[Photo])
        if photos:  # made ready here: the writer thread, the busier, runs one statement (PhotoRows)
            ready = PhotoRows(photos)
            new.submit(lambda: ready.insert(new.connection))

    def stream_after_photos(self, new) -> None:
        """The closed loop's after photos (final too) to the writer thread, then a commit, so the disk writes the
        photos' bytes while today's scenes are made and the rest goes in."""
        rows = [rows for table, rows in self.extra_rows if table == Photo.__tablename__]
        self.extra_rows = [(table, rows) for table, rows in self.extra_rows if table != Photo.__tablename__]
        ready = PhotoRows([photo for part in rows for photo in part])
        new.submit(lambda: self._photos_committed(new, ready))

    def list_answers(self) -> None:
        """A writer job after the side file's copy: the findings so far listed in ``local_change`` (most of the
        batch's rows), so the batch's end lists only what came after."""
        self._changes.list_now(Finding.__tablename__)

    def _begin_new(self) -> None:
        self._changes.connection.execute("BEGIN")
        self._changes.begin()

    def _photos_committed(self, new, photos: PhotoRows) -> None:
        connection = new.connection
        photos.insert(connection)
        connection.execute("COMMIT")
        new.flush_in_background()
        connection.execute("BEGIN")

    def write_new(self, new) -> None:
        """Into a new file nobody sees yet (:class:`~inspector.core.demo.new_file.NewDatabase`): what
        :meth:`stream_answers` and :meth:`stream_photos` have not written, after their jobs."""
        new.wait()
        new.take_side()  # the answers, before the hazards go into the same table
        connection = new.connection
        if self._changes is None:  # nothing went ahead
            self._changes = TriggerlessBatch(connection)
            self._begin_new()
        self._write_tables(connection)
        self._changes.finish()
        connection.execute("COMMIT")

    def store(self) -> None:
        """Every row not written yet as tuples of stored values (:func:`bulk.stored_rows`), parents first."""
        snapshots = [s | {"created_at": self.now} for s in self.snapshots.values()]
        tables = [("checklist_snapshot", snapshots),
                  *((model.__tablename__, self.rows[model]) for model in (Enterprise, Inspector, Inspection, Finding)),
                  (Photo.__tablename__, self.rows[Photo][self._photos_written:]), *self.extra_rows]
        self._stored = [(table, *stored_rows(table, rows, FINDING_COLUMNS if table == Finding.__tablename__ else None))
                        for table, rows in tables]

    def _write_tables(self, connection) -> None:
        """What :meth:`store` made, then the answers not written yet after the inspections."""
        if self._stored is None:
            self.store()
        for table, columns, rows in self._stored:
            insert_rows(connection, table, rows, or_ignore=table == "checklist_snapshot", columns=columns)
            if table == Inspection.__tablename__:
                insert_answers(connection, self.answers.drain(), self.device_id)

    def result(self, documents: int = 0) -> DemoResult:
        return DemoResult(len(self.rows[Enterprise]), len(self.rows[Inspector]), len(self.rows[Inspection]),
                          self.answers.count + len(self.rows[Finding]), len(self.hazards), len(self.rows[Photo]), documents)
