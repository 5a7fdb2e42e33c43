"""Which rows an export carries, and their copy into the new file — the laptop's partial export and the office
database's export (which runs them on its SQLite snapshot) share them."""

from __future__ import annotations

import sqlite3

from inspector.core.sync import history
from inspector.core.sync.rows import HISTORY_TABLE, SYNC_ORDER
from inspector.core.sync.selection import close_over_parents, create_selection, keep_changed, sel, select_filtered


def select_for_export(connection: sqlite3.Connection, options, watermark: int, schema: str) -> bool:
    """Fill the selection tables from the rows in ``schema`` as ``options`` (an :class:`~.export.ExportOptions`)
    choose; False means everything is exported
    (the laptop's export and the office database's, which runs it on its SQLite snapshot)."""
    if not options.filter.active and not options.since_last:
        return False
    create_selection(connection)
    connection.execute(f"CREATE INDEX IF NOT EXISTS temp.ix_sync_current ON {history.CURRENT.split('.')[1]} "
                       "(table_name, row_id)")
    if options.filter.active:
        select_filtered(connection, options.filter, schema)
    if options.since_last:
        history.stage_changed(connection, watermark, schema)
        history.drop_known_by_target(connection, options.target, schema)
        keep_changed(connection, history.CHANGED, options.filter.active)
    close_over_parents(connection, schema)
    return True


def copy_rows(connection: sqlite3.Connection, specs, selected: bool, schema: str, step=None) -> dict[str, int]:
    """Copy the rows (the selection's, or all) and their history from ``schema`` into ``out``; counts per table
    (the laptop's export and the office database's, which runs it on its SQLite snapshot)."""
    counts = {}
    for table in SYNC_ORDER:
        columns = ", ".join(f'"{name}"' for name in specs[table].columns)
        where = f" WHERE id IN (SELECT id FROM {sel(table)})" if selected else ""
        cursor = connection.execute(f"INSERT INTO out.{table} ({columns}) SELECT {columns} FROM {schema}.{table}{where}")
        counts[table] = cursor.rowcount
        if selected:
            for source in (f"{schema}.{HISTORY_TABLE}", history.CURRENT):
                connection.execute(f"INSERT OR IGNORE INTO out.{HISTORY_TABLE} SELECT table_name, row_id, version, 0 "
                                   f"FROM {source} WHERE table_name = ? AND row_id IN (SELECT id FROM {sel(table)})",
                                   (table,))
        if step:
            step()
    if not selected:  # the whole history and every current version
        for source in (f"{schema}.{HISTORY_TABLE}", history.CURRENT):
            connection.execute(f"INSERT OR IGNORE INTO out.{HISTORY_TABLE} SELECT table_name, row_id, version, 0 FROM {source}")
    counts[HISTORY_TABLE] = connection.execute(f"SELECT count(*) FROM out.{HISTORY_TABLE}").fetchone()[0]
    return counts
