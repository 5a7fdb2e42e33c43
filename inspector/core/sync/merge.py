"""Merge export files into the local database: verified, and written in one transaction that journals what it writes.

1. Every file's header, identity, schema and manifest are checked first; one bad file refuses the whole
   merge and the local database is not touched at all.
2. A dry run verifies every file (:func:`verify_all`), plans the merge in a read transaction and returns
   the preview.
3. Otherwise (:mod:`~inspector.core.sync.merge_pipeline`) one ``BEGIN IMMEDIATE`` transaction starts while
   the rows and blobs of the files are still being verified on other threads: the files are attached
   read-only, and the rows new everywhere are written by ``INSERT … SELECT`` (:mod:`.new_rows`); then the
   rest is planned and checked, and every row about to be written is journaled first in ``merge_undo``
   (:mod:`~inspector.core.sync.undo`: its content before the merge, blobs included, or that the merge
   adds it); winners are upserted by UUID straight from the attached files (``INSERT … SELECT … ON
   CONFLICT``), duplicate photos are tombstoned, conflicts are stored in ``sync_conflict``, the history
   and ``sync_log`` are written, and it commits only once every file has passed every check. A refusal
   rolls it back: nothing unverified is ever committed or seen by another connection. Killed at any point
   before the commit, SQLite rolls the transaction back, journal included: the database is as it was, or
   fully merged and undoable (``inspector backup undo``, or "合并前" in the backups window). The journal
   grows with the merge, not with the database; the whole-file copy made before each merge up to schema
   v7 is gone (the scheduled and manual backups remain). ``keep_backups`` journals are kept.

Before the planned rows are written, rows whose parents exist nowhere and documents voided outside the
void flow are refused (:mod:`~inspector.core.sync.guards`; the parents of the rows new everywhere are
SQLite's deferred foreign keys at COMMIT, the row then named by :func:`.merge_write.refuse_missing_parents`). All the
files of one merge are one transaction: all are merged or none, and a message that says 数据库未改动
is true. SQLite attaches at most ten databases to a connection (and cannot detach one inside a
transaction that read it), so one merge takes at most :data:`MAX_FILES` files; more are refused
up front with a message asking for batches.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from inspector.core.sync import dedup
from inspector.core.sync.merge_write import (LIMIT, Progress, Writing, _check_unchanged, _numbering,  # noqa: F401
                                             _refuse_unsound, attach, connect, sqlite_refusals, verify_all, write)
from inspector.core.sync.plan import FilePlan, conflict_items, plan_files
from inspector.core.sync.report import MergeReport
from inspector.core.sync.rows import table_specs
from inspector.core.sync.verify import VerifiedExport
from inspector.errors import UserError

MAX_FILES = 10  # one transaction attaches every file; SQLite attaches at most ten databases


def merge_files(db_path: Path, files: list[Path], *, backups_dir: Path | None = None, dry_run: bool = False,
                keep_backups: int = 10, progress: Progress | None = None) -> MergeReport:
    files = list(dict.fromkeys(Path(f).resolve() for f in files))
    if not files:
        raise UserError("请指定要合并的导出文件。")
    if any(f == Path(db_path).resolve() for f in files):
        raise UserError("不能把本机数据库合并到它自己。")
    if len(files) > MAX_FILES:
        raise UserError(f"一次最多合并 {MAX_FILES} 个文件（共选了 {len(files)} 个），请分批合并；每批要么全部合并，要么全部不合并。")
    if not dry_run:
        from inspector.core.sync.merge_pipeline import merge_verifying

        return merge_verifying(Path(db_path), files, max(keep_backups, 1), progress)
    exports = verify_all(files, progress)
    return _run(Path(db_path), exports, None)


def _run(db_path: Path, exports: list[VerifiedExport], keep: int | None) -> MergeReport:
    """Every file in one transaction: all of them are merged, or none (nothing changed then).
    ``keep``: undo journals kept (this merge's included); None for a preview."""
    dry_run = keep is None
    report = MergeReport(dry_run=dry_run, files=[])
    with sqlite_refusals(db_path):
        connection = connect(db_path)
        try:
            _check_unchanged(exports)
            connection.execute("BEGIN" if dry_run else "BEGIN IMMEDIATE")
            try:
                _merge_in_transaction(connection, exports, keep, report)
                connection.execute("ROLLBACK" if dry_run else "COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        finally:
            connection.close()
    return report


def _merge_in_transaction(connection: sqlite3.Connection, exports: list[VerifiedExport], keep: int | None,
                          report: MergeReport) -> None:
    """Attach, plan, check, journal and write: the caller commits (or rolls back a preview)."""
    aliases = attach(connection, [export.path for export in exports])
    if keep is None:
        specs = table_specs(connection)
        plans = plan_files(connection, exports, aliases, specs)
        _refuse_unsound(connection, plans, aliases)
        conflict_items(connection, plans, specs)
        report.files += [plan.report for plan in plans]
        _preview_consequences(connection, plans, report)
        return
    write(connection, exports, aliases, Writing(connection), keep, report)


def _preview_consequences(connection: sqlite3.Connection, plans: list[FilePlan], report: MergeReport) -> None:
    """Photo duplicates and numbering as they would be after the merge (local rows overlaid by winners)."""
    photos = dedup.photo_keys(connection)
    for plan in plans:
        ids = plan.upserts.get("photo", [])
        if ids:
            incoming = dedup.photo_keys(connection, plan.alias)
            photos.update({i: incoming[i] for i in ids})
    report.photos_deduplicated += len(dedup.duplicates(photos.values()))
    report.numbering = _numbering(connection, plans)
    from inspector.core.sync.claims import claim_merged_blocks

    report.block_collisions = claim_merged_blocks(connection, plans)
