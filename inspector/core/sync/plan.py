"""Decide what merging export files does, without changing anything.

For every incoming row the planner compares the incoming version with the local one:

* absent locally: added;
* same version: unchanged;
* otherwise the greater version in the total order of :mod:`inspector.core.sync.rows` wins
  (newer ``updated_at``, then ``rev``, device id and content hash). This alone decides the
  content, so merging is idempotent, commutative and order-independent.

Whether it is a *conflict* is bookkeeping on the side, from the row histories (``sync_version``):
the incoming version descends from the local one when the local version is in its history, and
vice versa. Neither knowing the other means both sides edited the row since they last met; a
descendant losing on time means a laptop clock was wrong. Either way the losing version is
preserved in ``sync_conflict`` and listed in the report. An existing notice never changes what it
was issued as, nor a drawn number its series and sequence (:data:`~inspector.core.sync.rows.FROZEN`):
a differing incoming version is a conflict and the local row is kept.

Several files are planned in order, each against the local state as the earlier files leave it
(an overlay over the database), so the preview of several files is exact.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from inspector.core.sync import history
from inspector.core.sync.report import ConflictItem, FileReport, TableCounts
from inspector.core.sync.rows import FROZEN, IMMUTABLE, SYNC_ORDER, TableSpec, Version, versions
from inspector.core.sync.verify import VerifiedExport

LOCAL = "main"


@dataclass
class PlannedConflict:
    table: str
    row_id: str
    reason: str
    incoming_wins: bool
    local: Version
    local_source: str  # schema holding the local version ("main" or an earlier file)
    incoming: Version
    incoming_source: str


@dataclass
class FilePlan:
    export: VerifiedExport
    alias: str  # schema name the file is attached as
    upserts: dict[str, list[str]] = field(default_factory=dict)  # table -> ids taken from this file
    losers: list[tuple[str, str, str]] = field(default_factory=list)  # local versions replaced (for history)
    conflicts: list[PlannedConflict] = field(default_factory=list)
    report: FileReport | None = None
    written: dict[str, set[str]] = field(default_factory=dict)  # table -> ids already written (new everywhere)


class Overlay:
    """The local state as seen after the files planned so far: version, history and where it lives.

    Only rows that a later file also carries are kept (``later``: table -> id -> the last file's number
    holding it, from :func:`later_files`; None keeps every row): no other row is ever looked up again, and
    holding every row of ten big files was most of a server merge's memory."""

    def __init__(self, later: dict[str, dict[str, int]] | None = None) -> None:
        self.entries: dict[str, dict[str, tuple[Version, set[str], str]]] = {}
        self.later = later
        self.number = 0  # the file being planned

    def keeps_none(self, table: str) -> bool:
        """Whether no row of ``table`` planned from the current file would be kept (no later file carries one)."""
        if self.later is None:
            return False
        return all(last <= self.number for last in self.later.get(table, {}).values())

    def put(self, table: str, row_id: str, version: Version, known: set[str], source: str) -> None:
        if self.later is not None and self.later.get(table, {}).get(row_id, -1) <= self.number:
            return
        self.entries.setdefault(table, {})[row_id] = (version, known, source)

    def local_view(self, connection: sqlite3.Connection, spec: TableSpec, alias: str, incoming_ids, ids_sql: str = ""):
        table = spec.table
        ids_sql = ids_sql or f"SELECT id FROM {alias}.{table}"
        local = local_versions(connection, spec, ids_sql)
        known = history.histories(connection, table, ids_sql)
        view = {row_id: (v, known.get(row_id, set()) | {v.digest}, LOCAL) for row_id, v in local.items()}
        planned = self.entries.get(table, {})
        for row_id in planned:
            if row_id in incoming_ids:
                view[row_id] = planned[row_id]
        return view


def local_versions(connection: sqlite3.Connection, spec: TableSpec, ids_sql: str) -> dict[str, Version]:
    """The local versions of the rows ``ids_sql`` selects, from their stamps (schema v7) where a stamp can stand
    for the row: a live row of a table ordered by time (not a notice or number, whose order and frozen columns
    need more than the hash) whose stamp is there (no write since it was hashed). Only its leading columns
    are read, never a photo's blobs; the other rows are hashed as before."""
    from inspector.core.sync import stamps

    if not spec.synced_row or spec.table in FROZEN or not stamps.available(connection):
        return versions(connection, spec, f"WHERE t.id IN ({ids_sql})")
    rows = connection.execute(
        f"SELECT t.id, t.updated_at, t.rev, t.device_id, s.version FROM main.{spec.table} AS t "
        f"JOIN main.{stamps.STAMPS} AS s ON s.table_name = ? AND s.row_id = t.id "
        f"WHERE t.id IN ({ids_sql}) AND t.deleted_at IS NULL", (spec.table,)).fetchall()
    result = {row_id: Version(row_id, stamp, (0, updated_at or "", int(rev or 0), device_id or "", stamp, ""), False)
              for row_id, updated_at, rev, device_id, stamp in rows}
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS plan_stamped (id TEXT PRIMARY KEY) WITHOUT ROWID")
    connection.execute("DELETE FROM temp.plan_stamped")
    connection.executemany("INSERT INTO temp.plan_stamped VALUES (?)", ((i,) for i in result))
    result.update(versions(connection, spec, f"WHERE t.id IN ({ids_sql}) AND t.id NOT IN (SELECT id FROM temp.plan_stamped)"))
    return result


def plan_files(connection: sqlite3.Connection, exports: list[VerifiedExport], aliases: list[str],
               specs: dict[str, TableSpec], written: list[dict[str, set[str]]] | None = None,
               later: dict[str, dict[str, int]] | None = None) -> list[FilePlan]:
    """``written``: per file, table -> ids of rows new everywhere that the merge has written already
    (:mod:`~inspector.core.sync.new_rows`; listed in :data:`~inspector.core.sync.new_rows.TEMP`): they are
    counted as added and upserted (stamps, history, guards), and left out of every comparison. ``later``:
    :func:`later_files` of the attached files, when the caller has it already."""
    overlay = Overlay(later_files(connection, aliases, SYNC_ORDER) if later is None else later)
    plans = []
    for number, (export, alias) in enumerate(zip(exports, aliases)):
        overlay.number = number
        manifest = export.manifest
        plan = FilePlan(export, alias, report=FileReport(export.path.name, manifest.device_id, manifest.exported_at,
                                                            manifest.kind), written=written[number] if written else {})
        for table in SYNC_ORDER:
            _plan_table(connection, plan, specs[table], overlay, number)
        plans.append(plan)
    return plans


def later_files(connection: sqlite3.Connection, aliases: list[str], tables) -> dict[str, dict[str, int]]:
    """table -> id -> number of the last attached file holding the row, for the ids in more than one file
    (one grouping query per table: ~0.4 s for ten files of 1,000 inspections, 700,000 rows, none shared
    but the checklist snapshots)."""
    if len(aliases) < 2:
        return {}
    result = {}
    for table in tables:
        union = " UNION ALL ".join(f"SELECT id, {n} AS n FROM {alias}.{table}" for n, alias in enumerate(aliases))
        rows = connection.execute(f"SELECT id, max(n) FROM ({union}) GROUP BY id HAVING count(*) > 1").fetchall()
        if rows:
            result[table] = dict(rows)
    return result


def _plan_table(connection: sqlite3.Connection, plan: FilePlan, spec: TableSpec, overlay: Overlay,
                number: int = 0) -> None:
    table, alias = spec.table, plan.alias
    incoming = plan.export.versions[table]
    if not incoming:
        return
    counts: TableCounts = plan.report.counts[table]
    upserts = plan.upserts.setdefault(table, [])
    written = plan.written.get(table, set())
    ids_sql = f"SELECT id FROM {alias}.{table}"
    if written:
        from inspector.core.sync import new_rows

        if not written <= incoming.keys():  # written from a scan of the table, as verified: never otherwise
            from inspector.core.sync.verify import ExportRefused

            raise ExportRefused(f"{plan.export.path.name} 中{table}表的记录与校验时读到的不一致，所有文件均未合并，数据库未改动。")
        counts.added += len(written)
        upserts.extend(sorted(written))
        ids_sql += f" WHERE id NOT IN ({new_rows.ids_sql(table, number)})"
        if len(written) == len(incoming):
            return
    local = overlay.local_view(connection, spec, alias, incoming, ids_sql)
    if not local and overlay.keeps_none(table):  # every row new and none looked at again: added, in file order,
        new = [row_id for row_id in incoming if row_id not in written]  # their versions and histories unread
        counts.added += len(new)
        upserts.extend(new)
        return
    incoming_known = history.histories(connection, table, ids_sql, schema=alias)
    for row_id, theirs in incoming.items():
        if row_id in written:
            continue
        their_history = incoming_known.get(row_id, set()) | {theirs.digest}
        if row_id not in local:
            counts.added += 1
            upserts.append(row_id)
            overlay.put(table, row_id, theirs, their_history, alias)
            continue
        mine, my_history, my_source = local[row_id]
        merged_history = my_history | their_history
        if theirs.digest == mine.digest:
            counts.unchanged += 1
            overlay.put(table, row_id, mine, merged_history, my_source)
            continue
        if table in FROZEN and theirs.frozen != mine.frozen:
            counts.local_newer += 1
            if theirs.digest not in my_history:
                plan.conflicts.append(PlannedConflict(table, row_id, "frozen", False, mine, my_source, theirs, alias))
            overlay.put(table, row_id, mine, merged_history, my_source)
            continue
        incoming_wins = theirs.key > mine.key
        reason = "" if table in IMMUTABLE else _conflict_reason(mine, theirs, my_history, their_history, incoming_wins)
        if reason:
            plan.conflicts.append(PlannedConflict(table, row_id, reason, incoming_wins, mine, my_source, theirs, alias))
        if incoming_wins:
            counts.updated += 1
            upserts.append(row_id)
            plan.losers.append((table, row_id, mine.digest))
            overlay.put(table, row_id, theirs, merged_history, alias)
        else:
            counts.local_newer += 1
            overlay.put(table, row_id, mine, merged_history, my_source)


def _conflict_reason(mine: Version, theirs: Version, my_history: set[str], their_history: set[str],
                     incoming_wins: bool) -> str:
    if mine.deleted and theirs.deleted:
        return ""  # deleted on both sides: nothing for a person to choose between
    known = theirs.digest in my_history  # local has seen the incoming version: local is the later edit
    descends = mine.digest in their_history  # the incoming version was edited from the local one
    if not known and not descends:
        return "both_edited"
    if (descends and not known and not incoming_wins) or (known and not descends and incoming_wins):
        return "clock"  # the later edit loses on time: a clock was wrong somewhere
    return ""


def conflict_items(connection: sqlite3.Connection, plans: list[FilePlan], specs: dict[str, TableSpec]) -> list[tuple]:
    """(plan, ConflictItem, kept row, other row) for every planned conflict, rows read in full."""
    from inspector.core.sync.labels import differing_fields, row_label
    from inspector.core.sync.rows import full_row

    result = []
    for plan in plans:
        for conflict in plan.conflicts:
            spec = specs[conflict.table]
            local = full_row(connection, spec, conflict.row_id, conflict.local_source)
            other = full_row(connection, spec, conflict.row_id, conflict.incoming_source)
            kept, lost = (other, local) if conflict.incoming_wins else (local, other)
            item = ConflictItem(
                conflict.table, conflict.row_id, row_label(connection, conflict.table, kept), conflict.reason,
                "incoming" if conflict.incoming_wins else "local", (local or {}).get("updated_at") or "",
                (other or {}).get("updated_at") or "", differing_fields(kept, lost), plan.export.path.name)
            plan.report.conflicts.append(item)
            result.append((plan, item, kept, lost))
    return result
