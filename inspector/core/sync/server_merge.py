"""Merge laptop export files into the office's PostgreSQL database, with the laptop merge's guarantees.

:func:`merge_into_server` is :func:`inspector.core.sync.merge.merge_files` for a
:class:`~inspector.db.database.ServerDatabase`, and returns the same
:class:`~inspector.core.sync.report.MergeReport`:

1. Every file is verified (:func:`~inspector.core.sync.server_verify.verified`: the laptop's
   :func:`~inspector.core.sync.merge.verify_all`, big files side by side in processes: schema, integrity,
   manifest, content SHA-256, every row against the table rules); one bad file refuses them all, and
   nothing is written before every file passed.
2. One server transaction, begun before verification: while the files are verified, a thread
   (:mod:`~inspector.core.sync.server_prefetch`) takes the office database's write lock (the
   ``device_id`` row of ``local_meta``, ``SELECT … FOR UPDATE``: the lock that issuing a number and
   adding a block take), so two office PCs merging at once run one after the other and the second
   plans against what the first committed; nothing is lost. A preview runs in a read-only
   REPEATABLE READ snapshot and takes no lock.
3. In the same thread, the server rows the files touch are copied, locked, into a temporary SQLite shadow
   (:mod:`~inspector.core.sync.server_shadow`) with the files attached; it is used only once every file
   passed, unchanged since. The laptop's own planner, reference guard and conflict reader run there
   unchanged: same winners, same conflicts, issued notices and their numbers frozen
   (:data:`~inspector.core.sync.rows.FROZEN`).
4. The document rules (voiding only through the void flow) are checked over the server's notices and
   numbers overlaid by the winners; a violation the server already had is not the files' fault.
5. Winners are written (:mod:`~inspector.core.sync.server_apply`), then conflicts, history, the
   photo de-duplication, number claims of merged blocks (:mod:`~inspector.core.sync.server_claims`)
   and ``sync_log``; then COMMIT. Any error before it rolls everything back: the server is as it was.

No file backup is made (there is no file); back the server up with the office's server backups.
"""

from __future__ import annotations

import os
from itertools import chain
from pathlib import Path
from typing import Iterator

from inspector.core.common.collector import collector_paused
from inspector.core.sync import numbering, server_verify
from inspector.core.sync.merge import LIMIT, MAX_FILES, Progress
from inspector.core.sync.plan import FilePlan, conflict_items, later_files, plan_files
from inspector.core.sync.report import MergeReport, TABLE_NAMES
from inspector.core.sync.rows import SYNC_ORDER, TRUSTED_BLOBS
from inspector.core.sync.verify import ExportRefused, VerifiedExport
from inspector.errors import UserError


def merge_into_server(db, files: list[Path], *, dry_run: bool = False, progress: Progress | None = None) -> MergeReport:
    files = list(dict.fromkeys(Path(f).resolve() for f in files))
    if not files:
        raise UserError("请指定要合并的导出文件。")
    if len(files) > MAX_FILES:
        raise UserError(f"一次最多合并 {MAX_FILES} 个文件（共选了 {len(files)} 个），请分批合并；每批要么全部合并，要么全部不合并。")
    with collector_paused():
        return _in_transaction(db, files, progress, dry_run)


def _in_transaction(db, files: list[Path], progress: Progress | None, dry_run: bool) -> MergeReport:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError, IntegrityError

    from inspector.core.sync.server_prefetch import Prefetch

    try:
        with db.engine.connect() as server:
            transaction = server.begin()
            try:
                if dry_run:
                    server.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
                _lookup_memory(server)
                # the write lock and the shadow's lookups while merge.verify_all runs, the files side by side in
                # processes (their versions kept on disk until the merge ends): nothing written before all pass
                prefetch = Prefetch(server, files, lock=not dry_run, background=server_verify.uses_workers(files))
                try:
                    with server_verify.verified(files, progress) as exports:
                        shadow, specs, tables = prefetch.result(exports)
                        if not dry_run:
                            _ensure_seq_row(db.engine)
                        report = _merge(server, db.device_id, exports, dry_run, shadow, specs, tables)
                finally:
                    prefetch.close(server)
                if dry_run:
                    transaction.rollback()
                else:
                    _test_hook("before_commit")
                    transaction.commit()
            except BaseException:
                if transaction.is_active:
                    transaction.rollback()
                raise
    except IntegrityError as exc:
        raise UserError(f"合并失败，办公室数据库未改动：导出文件中的记录与办公室数据库冲突（{_first_line(exc)}）。"
                        "请让对方做一次完整导出（不勾选“仅导出变更”）后重试。") from exc
    except DBAPIError as exc:
        raise UserError("合并失败，办公室数据库未改动：" + db.describe_error(exc)) from exc
    return report


#: ``work_mem`` for the merge's own transaction on PostgreSQL (``SET LOCAL``: it ends with the transaction). The
#: shadow's lookups join every id of the files (696,000 for ten big files) with the server's tables by hash;
#: with the default 4 MB the hash of 543,000 finding ids is split in 8 batches and the whole finding table
#: (1.8 M rows) goes through temporary files. Measured on the 100,000-inspection server: that lookup 5.4 s ->
#: 2.2 s of server CPU, the history join 4.1 s -> 3.2 s. One merge at a time holds the office's write lock.
MERGE_WORK_MEM = "64MB"


def _lookup_memory(server) -> None:
    from sqlalchemy import text

    if server.dialect.name == "postgresql":
        server.execute(text(f"SET LOCAL work_mem = '{MERGE_WORK_MEM}'"))


def _ensure_seq_row(engine) -> None:
    """The ``sync_seq`` counter row, made once in its own transaction (two PCs may race to make it)."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    try:
        with engine.begin() as connection:
            if connection.execute(text("SELECT 1 FROM local_meta WHERE key = 'sync_seq'")).first() is None:
                connection.execute(text("INSERT INTO local_meta (key, value) VALUES ('sync_seq', '0')"))
    except IntegrityError:
        pass  # made by the other PC just now


def _merge(server, device_id: str, exports: list[VerifiedExport], dry_run: bool, shadow, specs, tables) -> MergeReport:
    """The merge on the filled ``shadow`` (:mod:`server_prefetch`; closed by the caller)."""
    report = MergeReport(dry_run=dry_run, files=[])
    _check_unchanged(exports)
    later = later_files(shadow.connection, shadow.aliases, SYNC_ORDER)  # rows in more than one file
    plans = plan_files(shadow.connection, exports, shadow.aliases, specs, later=later)
    _refuse_unsound(server, shadow, plans)
    for table in TRUSTED_BLOBS:
        shadow.fill_blobs(server, table, [c.row_id for plan in plans for c in plan.conflicts
                                          if c.table == table and c.local_source == "main"])
    conflicts = conflict_items(shadow.connection, plans, specs)
    report.files += [plan.report for plan in plans]
    if dry_run:
        _preview(server, shadow, plans, report)
    else:
        _write(server, shadow, plans, specs, tables, conflicts, device_id, report, later)
    return report


def _write(server, shadow, plans: list[FilePlan], specs, tables, conflicts, device_id: str, report: MergeReport,
           later: dict[str, dict[str, int]]) -> None:
    from inspector.core.sync import server_apply, server_claims

    seq = server_apply.allocate_seq(server)
    server_apply.apply_winners(server, shadow, plans, specs, tables)
    server_apply.store_conflicts(server, conflicts)
    known = shadow.known_history(later)
    for plan in plans:
        entries = chain(server_apply.file_history(shadow, plan), _version_entries(plan.export), plan.losers)
        server_apply.record_history(server, entries, seq, known)
    server_apply.flush_history(server)  # before anything reads sync_version again (the photos' de-duplication)
    report.photos_deduplicated += server_apply.deduplicate_photos(server, specs["photo"], tables["photo"], seq, known)
    report.block_collisions = server_claims.claim_blocks(server, server_claims.merged_blocks(shadow, plans), write=True)
    report.numbering = _numbering(server, shadow, [])
    for plan in plans:
        server_apply.log_merge(server, plan, seq, device_id)


def _version_entries(export: VerifiedExport) -> Iterator[tuple[str, str, str]]:
    """(table, row id, digest) of every version of the file, streamed (from its store when it has one)."""
    from inspector.core.sync.server_versions import StoredVersions

    for table, rows in export.versions.items():
        pairs = rows.digests() if isinstance(rows, StoredVersions) else ((i, v.digest) for i, v in rows.items())
        for row_id, digest in pairs:
            yield table, row_id, digest


def _check_unchanged(exports: list[VerifiedExport]) -> None:
    for export in exports:
        if export.path.stat().st_mtime_ns != export.stat[0] or export.path.stat().st_size != export.stat[1]:
            raise ExportRefused(f"{export.path.name} 在校验后被改动，已停止合并，办公室数据库未改动。")


# --- checks before the first write ------------------------------------------------------------

def _refuse_unsound(server, shadow, plans: list[FilePlan]) -> None:
    """The laptop's reference guard over the shadow, and the document rules over the server's documents."""
    from inspector.core.sync.guards import document_violations, missing_parents

    for plan in plans:
        missing = missing_parents(shadow.connection, plan.alias, plan.upserts, shadow.aliases)
        if missing:
            table, row_id, parent, parent_id = missing
            raise ExportRefused(
                f"{plan.export.path.name} 中{TABLE_NAMES.get(table, table)}表的记录 {row_id} 引用的"
                f"{TABLE_NAMES.get(parent, parent)}表记录 {parent_id} 在办公室数据库和所有导出文件中都不存在，"
                "所有文件均未合并：请让对方做一次完整导出（不勾选“仅导出变更”）。")
    _server_documents(server, shadow, plans)
    already = set(document_violations(shadow.connection, "temp.server_notice", "temp.server_number", limit=LIMIT))
    violations = [v for v in document_violations(shadow.connection, "temp.final_notice", "temp.final_number", limit=LIMIT)
                  if v not in already]
    if violations:
        names = "、".join(plan.export.path.name for plan in plans)
        raise ExportRefused(f"合并 {names} 后，{violations[0].sentence()}，所有文件均未合并。")


def _server_documents(server, shadow, plans: list[FilePlan]) -> None:
    """``temp.server_*``: the server's notices and numbers (the rule columns); ``temp.final_*``: overlaid by
    the winners, as :func:`inspector.core.sync.guards.merged_documents` builds them on a laptop."""
    from sqlalchemy import text

    from inspector.core.sync.guards import NOTICE_COLUMNS, NUMBER_COLUMNS

    connection = shadow.connection
    for table, name, columns in (("notice", "notice", NOTICE_COLUMNS), ("document_number", "number", NUMBER_COLUMNS)):
        names = ", ".join(columns)
        for prefix in ("server", "final"):
            connection.execute(f"DROP TABLE IF EXISTS temp.{prefix}_{name}")
            connection.execute(f"CREATE TEMP TABLE {prefix}_{name} ({names})")
            connection.execute(f"CREATE UNIQUE INDEX temp.{prefix}_{name}_id ON {prefix}_{name} (id)")
        rows = [tuple(row) for row in server.execute(text(f"SELECT {names} FROM {table}"))]
        marks = ", ".join("?" * len(columns))
        for prefix in ("server", "final"):
            connection.executemany(f"INSERT INTO temp.{prefix}_{name} VALUES ({marks})", rows)
        for plan in plans:
            chosen = plan.upserts.get(table)
            if chosen:
                connection.execute("CREATE TEMP TABLE IF NOT EXISTS server_guard_ids (id TEXT PRIMARY KEY)")
                connection.execute("DELETE FROM temp.server_guard_ids")
                connection.executemany("INSERT OR IGNORE INTO temp.server_guard_ids VALUES (?)", ((i,) for i in chosen))
                connection.execute(f"INSERT OR REPLACE INTO temp.final_{name} ({names}) SELECT {names} "
                                   f"FROM {plan.alias}.{table} WHERE id IN (SELECT id FROM temp.server_guard_ids)")


# --- what the report says -------------------------------------------------------------------

def _preview(server, shadow, plans: list[FilePlan], report: MergeReport) -> None:
    """Photo duplicates, numbering and block collisions as they would be after the merge."""
    from inspector.core.sync import dedup, server_claims
    from inspector.core.sync.server_apply import server_photo_keys

    incoming: dict[str, dict] = {}
    for plan in plans:
        ids = plan.upserts.get("photo", [])
        if ids:
            rows = dedup.photo_keys(shadow.connection, plan.alias)
            incoming.update({i: rows[i] for i in ids})
    photos = server_photo_keys(server, {row["finding_id"] for row in incoming.values()})
    photos.update(incoming)
    report.photos_deduplicated += len(dedup.duplicates(photos.values()))
    report.numbering = _numbering(server, shadow, plans)
    report.block_collisions = server_claims.claim_blocks(server, server_claims.merged_blocks(shadow, plans), write=False)


def _numbering(server, shadow, plans: list[FilePlan]):
    from sqlalchemy import text

    final = {}
    for table, columns in (("document_number", numbering.NUMBER_COLUMNS), ("number_block", numbering.BLOCK_COLUMNS)):
        names = ", ".join(f'"{c}"' for c in columns)
        rows = {row[0]: dict(zip(columns, row)) for row in server.execute(text(f"SELECT {names} FROM {table}"))}
        for plan in plans:
            ids = plan.upserts.get(table, [])
            if ids:
                incoming = numbering.read_rows(shadow.connection, table, columns, plan.alias)
                rows.update({i: incoming[i] for i in ids})
        final[table] = rows.values()
    return numbering.check_numbers(final["document_number"], final["number_block"])


def _first_line(exc: BaseException) -> str:
    lines = str(getattr(exc, "orig", exc)).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _test_hook(point: str) -> None:
    """Tests kill the process here (``INSPECTOR_TEST_KILL_MERGE=<point>``) to prove the merge is atomic."""
    if os.environ.get("INSPECTOR_TEST_KILL_MERGE") == point:
        os._exit(86)
