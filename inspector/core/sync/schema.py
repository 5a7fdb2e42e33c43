"""The app's schema exactly: every table, index, view and trigger, as the migrations create them.

An export holds the app's schema plus its manifest table, nothing else: an extra trigger would
run inside the local database's transaction if anything ever copied it, an extra column or table
would travel unchecked, a missing index would change nothing but speed and still means the file
was not made by this app. :func:`schema_differences` lists every difference in Chinese.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache

from inspector.core.sync.manifest import MANIFEST_TABLE

KIND_NAMES = {"table": "表", "index": "索引", "view": "视图", "trigger": "触发器"}


def migrated_memory_database() -> sqlite3.Connection:
    """An in-memory database with every migration step run (autocommit connection)."""
    from inspector.db import migrations

    connection = sqlite3.connect(":memory:", isolation_level=None)
    for step in migrations.discover_steps():
        connection.execute("BEGIN")
        step.apply(connection)
        connection.execute("COMMIT")
    return connection


@lru_cache(maxsize=1)
def expected_schema() -> frozenset[tuple[str, str, str, str]]:
    """(type, name, table, SQL) of every schema object of a database migrated to the latest version."""
    connection = migrated_memory_database()
    try:
        return frozenset(schema_objects(connection))
    finally:
        connection.close()


def schema_objects(connection: sqlite3.Connection, schema: str = "main") -> list[tuple[str, str, str, str]]:
    """Schema objects, except SQLite's automatic indexes (they follow from the table definitions)."""
    rows = connection.execute(f"SELECT type, name, tbl_name, coalesce(sql, '') FROM {schema}.sqlite_master")
    return [row for row in rows if not (row[0] == "index" and row[1].startswith("sqlite_autoindex_"))]


def schema_differences(connection: sqlite3.Connection, schema: str = "main", *, export: bool = True) -> list[str]:
    """What differs from the app's schema (plus the manifest table for an export), one line each."""
    found = set(schema_objects(connection, schema))
    expected = set(expected_schema())
    if export:
        manifest = {row for row in found if row[0] == "table" and row[1] == MANIFEST_TABLE}
        found -= manifest
    extra = sorted(found - expected)
    missing_names = {(t, n) for t, n, _, _ in expected - found}
    extra_names = {(t, n) for t, n, _, _ in extra}
    lines = []
    for kind, name, table, _ in extra:
        what = KIND_NAMES.get(kind, kind)
        if (kind, name) in missing_names:
            lines.append(f"{what} {name} 的定义与本程序不同")
        else:
            lines.append(f"多出{what} {name}")
    for kind, name in sorted(missing_names - extra_names):
        lines.append(f"缺少{KIND_NAMES.get(kind, kind)} {name}")
    return lines
