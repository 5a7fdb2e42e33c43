"""The writing half of a merge, shared by the sequential merge (:mod:`.merge`, a preview's planning too) and
the one that writes while it verifies (:mod:`.merge_pipeline`): the connection, attaching the files, the undo
journal and operation number, planning, the checks before writing, upserts, duplicates, conflicts, claims,
stamps, history and the log. The caller holds the transaction and commits it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Callable

from inspector.core.sync import dedup, history, numbering, stamps, undo
from inspector.core.sync.labels import row_json
from inspector.core.sync.plan import FilePlan, conflict_items, plan_files
from inspector.core.sync.report import MergeReport
from inspector.core.sync.rows import HISTORY_TABLE, SYNC_ORDER, new_row_id, now_text, table_specs, versions
from inspector.core.sync.verify import ExportRefused, VerifiedExport, read_only_uri, verify_export
from inspector.errors import UserError

Progress = Callable[[int, int], None]
LIMIT = 10_000  # document rule violations looked at per rule
#: Page cache of the merge's connection to the local database, in KiB (SQLite's negative cache_size; allocated
#: as pages are used, freed when the merge closes it): most pages a merge writes stay in memory until COMMIT
#: writes them to the WAL in one pass, instead of being spilled one at a time while the rows are inserted and
#: read back (photo INSERT + COMMIT CPU 0.82 -> 0.74 s at 1,000 inspections; docs/performance.md, merge
#: "Round 6"). 128 MB, not the demo's 256 MB: the merge's peak RSS at 1,000 inspections is 223 MB (91 MB with
#: SQLite's 2 MB), and the 100,000-inspection merge's must stay under 400 MB.
CACHE_KIB = 128 * 1024

def verify_all(files: list[Path], progress: Progress | None = None) -> list[VerifiedExport]:
    """Verify every file; refuse them all, naming each bad one, if any is bad."""
    verified, refusals = [], []
    for index, path in enumerate(files):
        try:
            verified.append(verify_export(path))
        except ExportRefused as exc:
            refusals.append(exc.message)
        if progress:
            progress(index + 1, len(files))
    if refusals:
        raise ExportRefused("；".join(refusals) + ("" if len(files) == 1 else "（所有文件均未合并）"))
    return verified

def connect(db_path: Path, check_same_thread: bool = True) -> sqlite3.Connection:
    connection = sqlite3.connect(db_path, isolation_level=None, uri=False, check_same_thread=check_same_thread)
    connection.execute("PRAGMA busy_timeout=10000")
    connection.execute("PRAGMA foreign_keys=ON")
    if CACHE_KIB:
        connection.execute(f"PRAGMA main.cache_size=-{CACHE_KIB}")
    return connection


class sqlite_refusals:
    """SQLite's errors during a merge become one sentence saying the database was not changed."""

    def __init__(self, db_path: Path):
        self.db_path = db_path

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, traceback):
        if isinstance(exc, sqlite3.IntegrityError):
            raise UserError(f"合并失败，数据库未改动：导出文件中的记录引用了本机没有的记录（{exc}）。"
                            "请让对方做一次完整导出（不勾选“仅导出变更”）。") from exc
        if isinstance(exc, sqlite3.Error):
            from inspector.db.database import describe_sqlite_error

            raise UserError("合并失败，数据库未改动：" + describe_sqlite_error(exc, self.db_path)) from exc
        return False


class Writing:
    """What the writing part of a merge carries: its journal, operation number and whether stamps are kept."""

    def __init__(self, connection: sqlite3.Connection):
        self.journal = _start_journal(connection)  # everything below is journaled before it is written
        self.seq = history.allocate_seq(connection)
        assert self.seq == self.journal.seq
        self.keeps_stamps = stamps.available(connection)
        if self.keeps_stamps:  # the triggers skip the rows applied below: their verified versions are stored instead
            stamps.set_applying(connection, True)


def attach(connection: sqlite3.Connection, paths: list[Path]) -> list[str]:
    connection.execute("PRAGMA defer_foreign_keys=ON")
    aliases = [f"inc{i}" for i in range(len(paths))]
    for path, alias in zip(paths, aliases):
        connection.execute("ATTACH DATABASE ? AS " + alias, (read_only_uri(path),))
    return aliases


def write(connection: sqlite3.Connection, exports: list[VerifiedExport], aliases: list[str], writing: Writing,
          keep: int, report: MergeReport, written: list[dict[str, set[str]]] | None = None) -> list[FilePlan]:
    """Plan, check and write (``written``: rows new everywhere written already, :mod:`.new_rows`; their parents
    are checked by SQLite at COMMIT: on a failure there, :func:`refuse_missing_parents` names the row)."""
    specs = table_specs(connection)
    plans = plan_files(connection, exports, aliases, specs, written)
    _refuse_unsound(connection, plans, aliases, parents_of_written=not written)
    conflicts = conflict_items(connection, plans, specs)
    report.files += [plan.report for plan in plans]
    seq, keeps_stamps, journal = writing.seq, writing.keeps_stamps, writing.journal
    for plan in plans:
        _apply(connection, plan, specs, seq, keeps_stamps, journal)
    _store_conflicts(connection, conflicts, journal)
    _finish(connection, plans, specs, seq, report, keeps_stamps, journal)
    journal.prune(keep)
    report.undo_seq = seq
    return plans


def _start_journal(connection: sqlite3.Connection) -> undo.Journal:
    """The undo journal of this merge, with the operation counter and the flag (``local_meta``) it writes; the
    local changes it settles and the stamps settling adds are journaled by :func:`.stamps.settle`."""
    from inspector.core.sync.history import SEQ_KEY

    journal = undo.Journal(connection, undo.next_seq(connection))
    journal.touch("local_meta", "SELECT ? AS key UNION ALL SELECT ?", (SEQ_KEY, stamps.APPLYING))
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS merge_ids (id TEXT PRIMARY KEY) WITHOUT ROWID")
    return journal


def _journal_ids(journal: undo.Journal, table: str, ids, keeps_stamps: bool) -> None:
    """Journal rows of ``table`` (and their stamps) by id, before they are written; ids in temp.merge_ids."""
    connection = journal.connection
    connection.execute("DELETE FROM temp.merge_ids")
    connection.executemany("INSERT OR IGNORE INTO temp.merge_ids VALUES (?)", ((i,) for i in ids))
    journal.touch(table, "SELECT id FROM temp.merge_ids")
    if keeps_stamps:  # the stamps there are; undo deletes each journaled row first, and its delete trigger its stamp
        journal.save(stamps.STAMPS, f"SELECT table_name, row_id FROM main.{stamps.STAMPS} WHERE table_name = ? "
                     "AND row_id IN (SELECT id FROM temp.merge_ids)", (table,))


def _refuse_unsound(connection: sqlite3.Connection, plans: list[FilePlan], aliases: list[str],
                    parents_of_written: bool = True) -> None:
    """Refuse, before anything is written, rows whose parents exist nowhere and documents voided
    outside the void flow (:mod:`~inspector.core.sync.guards`). ``parents_of_written=False``: the rows new
    everywhere, written already, are left to SQLite's deferred foreign keys at COMMIT
    (:func:`refuse_missing_parents` names the row then)."""
    from inspector.core.sync.guards import document_violations, merged_documents

    refuse_missing_parents(connection, plans, aliases, parents_of_written)
    merged_documents(connection, [(plan.alias, plan.upserts) for plan in plans])
    already = set(document_violations(connection, "main.notice", "main.document_number", limit=LIMIT))
    violations = [v for v in document_violations(connection, "temp.final_notice", "temp.final_number", limit=LIMIT)
                  if v not in already]  # a problem the local database already had is `check`'s to report
    if violations:
        names = "、".join(plan.export.path.name for plan in plans)
        raise ExportRefused(f"合并 {names} 后，{violations[0].sentence()}，所有文件均未合并。")


def refuse_missing_parents(connection: sqlite3.Connection, plans: list[FilePlan], aliases: list[str],
                           written: bool = True) -> None:
    """Refuse the first row to be written (``written``: or written already) whose parent exists nowhere."""
    from inspector.core.sync.guards import missing_parents
    from inspector.core.sync.report import TABLE_NAMES

    for plan in plans:
        upserts = plan.upserts
        if not written and plan.written:
            upserts = {table: [i for i in ids if i not in plan.written.get(table, ())] for table, ids in upserts.items()}
        missing = missing_parents(connection, plan.alias, upserts, aliases)
        if missing:
            table, row_id, parent, parent_id = missing
            raise ExportRefused(
                f"{plan.export.path.name} 中{TABLE_NAMES.get(table, table)}表的记录 {row_id} 引用的"
                f"{TABLE_NAMES.get(parent, parent)}表记录 {parent_id} 在本机和所有导出文件中都不存在，"
                "所有文件均未合并：请让对方做一次完整导出（不勾选“仅导出变更”）。")


def _finish(connection: sqlite3.Connection, plans: list[FilePlan], specs, seq: int, report: MergeReport,
            keeps_stamps: bool, journal: undo.Journal) -> None:
    report.photos_deduplicated += _dedup(connection, specs, seq, keeps_stamps, journal)
    from inspector.core.sync.claims import claim_merged_blocks

    report.block_collisions = claim_merged_blocks(connection, plans, journal)
    if keeps_stamps:
        stamps.set_applying(connection, False)
        stamps.settle(connection, specs, journal=journal)  # local changes whose version this merge brought are sent already
    report.numbering = _numbering(connection, [])
    me = connection.execute("SELECT value FROM main.local_meta WHERE key = 'device_id'").fetchone()
    for plan in plans:
        manifest = plan.export.manifest
        acknowledged = sorted({e.get("target", "") for e in manifest.merged_exports if me and e.get("device_id") == me[0]})
        history.log_operation(connection, kind="merge", at=now_text(), peer_device_id=manifest.device_id,
                              path=str(plan.export.path), watermark=manifest.exported_at,
                              details={"seq": seq, "export_id": manifest.export_id, "target": manifest.target,
                                       "acknowledged_targets": acknowledged, "summary": _summary(plan)})
    journal.added("sync_log", "SELECT id FROM main.sync_log WHERE kind = 'merge' AND json_extract(details, '$.seq') = ?",
                  (seq,))
    _test_hook("before_commit")


def _check_unchanged(exports: list[VerifiedExport]) -> None:
    for export in exports:
        if export.path.stat().st_mtime_ns != export.stat[0] or export.path.stat().st_size != export.stat[1]:
            raise ExportRefused(f"{export.path.name} 在校验后被改动，已停止合并，数据库未改动。")


def _apply(connection: sqlite3.Connection, plan: FilePlan, specs, seq: int, keeps_stamps: bool,
           journal: undo.Journal) -> None:
    for table in SYNC_ORDER:
        planned = plan.upserts.get(table)
        if not planned:
            continue
        written = plan.written.get(table)
        ids = [i for i in planned if i not in written] if written else planned
        if ids:
            _upsert(connection, plan, specs[table], ids, keeps_stamps, journal)
        if keeps_stamps:  # after the journal kept the stamps there were
            incoming = plan.export.versions[table]
            stamps.put(connection, ((table, i, incoming[i].digest) for i in planned))
        if ids:
            _test_hook(f"after_{table}")
    connection.execute(f"INSERT OR IGNORE INTO main.{HISTORY_TABLE} (table_name, row_id, version, seen_seq) "
                       f"SELECT table_name, row_id, version, ? FROM {plan.alias}.{HISTORY_TABLE}", (seq,))
    unlisted = plan.export.unlisted  # the versions the history just copied lacks (normally none)
    if unlisted is None:
        unlisted = ((table, row_id, v.digest) for table, rows in plan.export.versions.items() for row_id, v in rows.items())
    history.record(connection, unlisted, seq)
    history.record(connection, plan.losers, seq)


def _upsert(connection: sqlite3.Connection, plan: FilePlan, spec, ids: list[str], keeps_stamps: bool,
            journal: undo.Journal) -> None:
    table = spec.table
    _journal_ids(journal, table, ids, keeps_stamps)  # leaves the ids in temp.merge_ids
    names = ", ".join(f'"{c}"' for c in spec.columns)
    update = ", ".join(f'"{c}" = excluded."{c}"' for c in spec.columns if c != "id")
    cursor = connection.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM {plan.alias}.{table} "
                                f"WHERE id IN (SELECT id FROM temp.merge_ids) ON CONFLICT(id) DO UPDATE SET {update}")
    if cursor.rowcount != len(set(ids)):  # the file's id index disagrees with its rows (quick_check does not look)
        raise ExportRefused(f"{plan.export.path.name} 中{table}表的索引已损坏，所有文件均未合并，数据库未改动。")


def _dedup(connection: sqlite3.Connection, specs, seq: int, keeps_stamps: bool, journal: undo.Journal) -> int:
    """Tombstone the live duplicates of every group (also those written here: every laptop derives the same
    tombstones whatever the order of merges); the groups are found in the covering index of schema v8."""
    ids = dedup.duplicates(dedup.photo_keys(connection, where=dedup.candidate_groups_sql()).values())
    if not ids:
        return 0
    _journal_ids(journal, "photo", ids, keeps_stamps)
    spec = specs["photo"]
    marks = ",".join("?" * len(ids))
    before = versions(connection, spec, f"WHERE t.id IN ({marks})", tuple(ids))
    dedup.tombstone(connection, ids)
    after = versions(connection, spec, f"WHERE t.id IN ({marks})", tuple(ids))
    history.record(connection, [("photo", i, v.digest) for i, v in before.items()] +
                   [("photo", i, v.digest) for i, v in after.items()], seq)
    if keeps_stamps:
        stamps.put(connection, (("photo", i, v.digest) for i, v in after.items()))
    return len(ids)


def _numbering(connection: sqlite3.Connection, plans: list[FilePlan]):
    final = {}
    for table, columns in (("document_number", numbering.NUMBER_COLUMNS), ("number_block", numbering.BLOCK_COLUMNS)):
        rows = numbering.read_rows(connection, table, columns)
        for plan in plans:
            ids = plan.upserts.get(table, [])
            if ids:
                incoming = numbering.read_rows(connection, table, columns, plan.alias)
                rows.update({i: incoming[i] for i in ids})
        final[table] = rows.values()
    return numbering.check_numbers(final["document_number"], final["number_block"])


def _store_conflicts(connection: sqlite3.Connection, conflicts, journal: undo.Journal) -> None:
    detected = now_text()
    rows = [(new_row_id(), item.table, item.row_id, json.dumps(row_json(kept, kept), ensure_ascii=False),
             json.dumps(row_json(lost, kept) | {"_reason": item.reason, "_kept": item.kept}, ensure_ascii=False),
             detected, f"{item.source} ({plan.export.manifest.device_id})") for plan, item, kept, lost in conflicts]
    if not rows:
        return
    connection.executemany(
        "INSERT INTO main.sync_conflict (id, table_name, row_id, kept, other, detected_at, source, resolved_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, NULL)", rows)
    connection.execute("DELETE FROM temp.merge_ids")
    connection.executemany("INSERT INTO temp.merge_ids VALUES (?)", ((row[0],) for row in rows))
    journal.added("sync_conflict", "SELECT id FROM temp.merge_ids")


def _summary(plan: FilePlan) -> dict:
    report = plan.report
    return {"added": report.total("added"), "updated": report.total("updated"),
            "unchanged": report.total("unchanged"), "conflicts": len(report.conflicts)}


def _test_hook(point: str) -> None:
    """Tests kill the process here (``INSPECTOR_TEST_KILL_MERGE=<point>``) to prove the merge is atomic."""
    import os

    if os.environ.get("INSPECTOR_TEST_KILL_MERGE") == point:
        os._exit(86)
