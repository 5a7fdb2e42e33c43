"""A merge that writes while its files are still being verified, and commits only once every check passed.

Two threads work at once (SQLite and SHA-256 release Python's lock; the laptops have two cores or more):

* on a thread of its own, the write transaction starts (``BEGIN IMMEDIATE``, the files attached, the undo
  journal begun) and the rows new everywhere are written by ``INSERT … SELECT``
  (:mod:`~inspector.core.sync.new_rows`), most of a merge's writing, with the stamp triggers' INSERT half set
  aside in the transaction (:mod:`~inspector.core.sync.merge_triggers`: with the merge's flag raised they do
  nothing, but cost a sub-program per row); then, most often before the rows are checked, it runs each file's
  SQLite ``quick_check`` on a connection of its own (the caller's thread runs it if it gets there first);
* on the caller's thread, every row of every file is checked against the rules and hashed, the photos' JPEGs
  and thumbnails with their rows, and the counts and content SHA-256 compared with the manifest
  (:meth:`.verify.Verification.check_rows`), then the PDFs (:mod:`~inspector.core.sync.verify_blobs`).

Then the caller's thread plans and writes the rest in the same transaction (:func:`.merge_write.write`: rows known
on both sides, conflicts, duplicates, history, claims) and collects the blobs' verdicts; it commits only when
every file passed every check and the triggers are as it found them. Any refusal, a failed write or a crash
rolls the transaction back: nothing unverified is ever committed or seen by another connection, and the
database holds what it held (journal and triggers included). The refusals are the same sentences as from
:func:`.merge_write.verify_all`, one per bad file; a cheap check failing (header, identity, schema, manifest)
refuses before anything starts.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from inspector.core.sync import merge_triggers, new_rows
from inspector.core.sync.merge_write import (Progress, Writing, _check_unchanged, _test_hook, attach, connect,
                                             refuse_missing_parents, sqlite_refusals, verify_all, write)
from inspector.core.sync.report import MergeReport
from inspector.core.sync.rows import table_specs
from inspector.core.sync.verify import ExportRefused, Verification, start_verification


def merge_verifying(db_path: Path, files: list[Path], keep: int, progress: Progress | None = None) -> MergeReport:
    from inspector.core.common.collector import collector_paused

    with collector_paused():  # tens of thousands of row versions held: collections would traverse them (−10 % CPU)
        return _merge_verifying(db_path, files, keep, progress)


def _merge_verifying(db_path: Path, files: list[Path], keep: int, progress: Progress | None) -> MergeReport:
    verifications = _start(files, progress)
    connection = connect(db_path, check_same_thread=False)
    writer = _Writer(connection, verifications)
    try:
        with sqlite_refusals(db_path):
            return _merge(connection, writer, verifications, keep, progress)
    finally:
        writer.stop()
        for verification in verifications:
            verification.close()
        if connection.in_transaction:
            try:
                connection.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # closing rolls back too
        connection.close()


def _start(files: list[Path], progress: Progress | None) -> list[Verification]:
    """Every file's cheap checks; a refusal among them is reported as :func:`verify_all` reports it."""
    started: list[Verification] = []
    try:
        for path in files:
            started.append(start_verification(path, blobs_in_thread=False))  # the writer has the other core
    except ExportRefused as first:
        for verification in started:
            verification.close()
        verify_all(files, progress)  # names every bad file, as before
        raise first
    return started


def _merge(connection: sqlite3.Connection, writer: "_Writer", verifications: list[Verification], keep: int,
           progress: Progress | None) -> MergeReport:
    _check_unchanged(verifications)
    writer.start()
    exports, refusals = [], []
    for index, verification in enumerate(verifications):
        try:
            exports.append(verification.check_rows())
        except ExportRefused as exc:
            refusals.append((index, exc.message))
        if progress:
            progress(index + 1, len(verifications))
    if refusals:
        writer.stop()
        _refuse(verifications, refusals)
    writer.join()
    if writer.error is not None:
        _refuse(verifications, [])  # a refusal names the cause better than the write that met it
        raise writer.error
    report = MergeReport(dry_run=False, files=[])
    plans = write(connection, exports, writer.aliases, writer.writing, keep, report, writer.written)
    _refuse(verifications, [])  # the blobs: nothing is committed before they have passed
    _check_unchanged(exports)
    merge_triggers.same(connection, writer.triggers)  # the stamp triggers set aside for the writer are back
    try:
        connection.execute("COMMIT")
    except sqlite3.IntegrityError:  # a deferred foreign key: the transaction is still open, name the row
        refuse_missing_parents(connection, plans, writer.aliases)
        raise
    return report


def _refuse(verifications: list[Verification], refusals: list[tuple[int, str]]) -> None:
    """Wait for the blobs of every file whose rows passed; raise every refusal, in file order, if any."""
    refused = dict(refusals)
    for index, verification in enumerate(verifications):
        if index in refused:
            continue
        try:
            verification.finish()
        except ExportRefused as exc:
            refused[index] = exc.message
    if refused:
        messages = [refused[index] for index in sorted(refused)]
        raise ExportRefused("；".join(messages) + ("" if len(verifications) == 1 else "（所有文件均未合并）"))


class _Writer:
    """The start of the write transaction and the rows new everywhere, on a thread of its own."""

    def __init__(self, connection: sqlite3.Connection, verifications: list[Verification]):
        self.connection, self.verifications, self.paths = connection, verifications, [v.path for v in verifications]
        self.error: BaseException | None = None
        self.aliases: list[str] = []
        self.writing: Writing | None = None
        self.written: list[dict[str, set[str]]] = []
        self.triggers: merge_triggers.Triggers | None = None  # the local triggers when the writing began
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="merge-writer", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        try:
            connection = self.connection
            connection.execute("BEGIN IMMEDIATE")
            self.aliases = attach(connection, self.paths)
            self.writing = Writing(connection)
            specs = table_specs(connection)
            new_rows.find(connection, self.aliases)
            self.triggers = merge_triggers.snapshot(connection)
            aside = merge_triggers.set_aside(connection, new_rows.TABLES, self.triggers) if self.writing.keeps_stamps else []
            self.written = new_rows.write(
                connection, self.aliases, {table: specs[table].columns for table in new_rows.TABLES},
                self.writing.journal, self.writing.keeps_stamps, [p.name for p in self.paths],
                after_table=lambda table: _test_hook(f"after_{table}"), stopped=self.stopping.is_set)
            merge_triggers.put_back(connection, aside)  # the same transaction: before anything else is written
            for verification in self.verifications:  # done before the row check, most often: its quick_check here
                if not self.stopping.is_set():
                    verification.check_integrity_aside()
        except BaseException as exc:  # handed to the caller's thread after join()
            self.error = exc

    def join(self) -> None:
        if self.thread.ident is not None:
            self.thread.join()

    def stop(self) -> None:
        """Abandon the writing (a refusal or a crash on the caller's thread): interrupt SQLite, wait."""
        if self.thread.is_alive():
            self.stopping.set()
            try:
                self.connection.interrupt()
            except sqlite3.Error:
                pass
        self.join()
