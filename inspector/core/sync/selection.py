"""Which rows a partial export contains: a filter, the changes since the last export, and their parents.

Selections live in temporary tables ``temp.sel_<table>`` (one column ``id``) of the export
connection. A filtered export takes its roots (inspections, re-inspections and notices of one
enterprise and/or of a date range) with everything under them. Every partial export is then
closed over parents (:data:`PARENT_RULES`): a finding brings its inspection, enterprise,
checklist snapshot and inspectors, so the file merges into a database that has never seen them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from inspector.core.sync.rows import SYNC_ORDER

# (child table, parent table, SQL yielding parent ids from the selected child rows "c")
PARENT_RULES = (
    ("finding", "inspection", "c.inspection_id"),
    ("finding", "checklist_snapshot", "c.snapshot_id"),
    ("photo", "finding", "c.finding_id"),
    ("photo", "reinspection", "c.reinspection_id"),
    ("hazard_event", "finding", "c.finding_id"),
    ("hazard_event", "reinspection", "c.reinspection_id"),
    ("hazard_event", "notice", "c.notice_id"),
    ("hazard_event", "inspector", "c.inspector_id"),
    ("reinspection_item", "reinspection", "c.reinspection_id"),
    ("reinspection_item", "finding", "c.finding_id"),
    ("inspection", "enterprise", "c.enterprise_id"),
    ("inspection", "inspector", "JSON"),
    ("inspection", "checklist_snapshot", "JSON"),
    ("reinspection", "enterprise", "c.enterprise_id"),
    ("reinspection", "inspector", "JSON"),
    ("notice", "enterprise", "c.enterprise_id"),
    ("notice", "inspection", "c.inspection_id"),
    ("notice", "reinspection", "c.reinspection_id"),
    ("notice", "document_number", "c.number_id"),
    ("notice", "notice", "c.supersedes_id"),
    ("notice", "finding", "JSON"),
    ("document_number", "notice", "c.notice_id"),
)
JSON_COLUMNS = {("inspection", "inspector"): "inspector_ids", ("inspection", "checklist_snapshot"): "snapshot_ids",
                ("reinspection", "inspector"): "inspector_ids", ("notice", "finding"): "finding_ids"}
# Small tables every filtered export carries whole.
REFERENCE_TABLES = ("inspector", "number_block")


@dataclass(frozen=True)
class ExportFilter:
    enterprise_id: str | None = None
    date_from: date | None = None  # China local dates, inclusive
    date_to: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.enterprise_id or self.date_from or self.date_to)

    def describe(self) -> dict[str, str]:
        data = {"enterprise_id": self.enterprise_id, "from": self.date_from, "to": self.date_to}
        return {key: str(value) for key, value in data.items() if value}


def sel(table: str) -> str:
    return f"temp.sel_{table}"


def create_selection(connection: sqlite3.Connection) -> None:
    for table in SYNC_ORDER:
        connection.execute(f"CREATE TABLE IF NOT EXISTS {sel(table)} (id TEXT PRIMARY KEY) WITHOUT ROWID")
        connection.execute(f"DELETE FROM {sel(table)}")


def select_filtered(connection: sqlite3.Connection, export_filter: ExportFilter, src: str) -> None:
    """Roots matching the filter, everything under them, and the reference tables."""
    for table, time_column in (("inspection", "started_at"), ("reinspection", "started_at"), ("notice", "issued_at")):
        where, params = _root_condition(export_filter, time_column)
        connection.execute(f"INSERT OR IGNORE INTO {sel(table)} SELECT id FROM {src}.{table} WHERE {where}", params)
    if export_filter.enterprise_id:
        connection.execute(f"INSERT OR IGNORE INTO {sel('enterprise')} SELECT id FROM {src}.enterprise WHERE id = ?",
                           (export_filter.enterprise_id,))
    children = (
        ("finding", f"inspection_id IN (SELECT id FROM {sel('inspection')})"),
        ("reinspection_item", f"reinspection_id IN (SELECT id FROM {sel('reinspection')})"),
        ("photo", f"finding_id IN (SELECT id FROM {sel('finding')}) OR reinspection_id IN (SELECT id FROM {sel('reinspection')})"),
        ("hazard_event", f"finding_id IN (SELECT id FROM {sel('finding')})"),
        ("document_number", f"notice_id IN (SELECT id FROM {sel('notice')}) "
                            f"OR id IN (SELECT number_id FROM {src}.notice WHERE id IN (SELECT id FROM {sel('notice')}))"),
    )
    for table, where in children:
        connection.execute(f"INSERT OR IGNORE INTO {sel(table)} SELECT id FROM {src}.{table} WHERE {where}")
    for table in REFERENCE_TABLES:
        connection.execute(f"INSERT OR IGNORE INTO {sel(table)} SELECT id FROM {src}.{table}")


def _root_condition(export_filter: ExportFilter, time_column: str) -> tuple[str, tuple]:
    clauses, params = ["1"], []
    if export_filter.enterprise_id:
        clauses.append("enterprise_id = ?")
        params.append(export_filter.enterprise_id)
    if export_filter.date_from:
        clauses.append(f"{time_column} >= ?")
        params.append(_utc_start_of(export_filter.date_from))
    if export_filter.date_to:
        clauses.append(f"{time_column} < ?")
        params.append(_utc_start_of(export_filter.date_to + timedelta(days=1)))
    return " AND ".join(clauses), tuple(params)


def _utc_start_of(day: date) -> str:
    from datetime import timezone

    from inspector.core.common.clock import CHINA_TZ

    return datetime.combine(day, time(0), CHINA_TZ).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def keep_changed(connection: sqlite3.Connection, changed_table: str, filtered: bool) -> None:
    """Since-last: the changed rows (within the filter's selection when there is one)."""
    for table in SYNC_ORDER:
        if filtered:
            connection.execute(f"DELETE FROM {sel(table)} WHERE id NOT IN "
                               f"(SELECT row_id FROM {changed_table} WHERE table_name = ?)", (table,))
        else:
            connection.execute(f"INSERT OR IGNORE INTO {sel(table)} SELECT row_id FROM {changed_table} "
                               "WHERE table_name = ?", (table,))


def close_over_parents(connection: sqlite3.Connection, src: str) -> None:
    """Add the parents of selected rows until nothing more is added."""
    while True:
        before = connection.total_changes
        for child, parent, expression in PARENT_RULES:
            rows = f"{src}.{child} AS c WHERE c.id IN (SELECT id FROM {sel(child)})"
            if expression == "JSON":
                column = JSON_COLUMNS[(child, parent)]
                parents = f"SELECT j.value FROM {rows.replace(' WHERE', f', json_each(c.{column}) AS j WHERE')}"
            else:
                parents = f"SELECT {expression} FROM {rows}"
            connection.execute(f"INSERT OR IGNORE INTO {sel(parent)} SELECT p.id FROM {src}.{parent} AS p "
                               f"WHERE p.id IN ({parents})")
        if connection.total_changes == before:
            return
