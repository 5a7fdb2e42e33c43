"""The stamp triggers' INSERT half, set aside inside a merge's transaction while it writes the rows new everywhere.

Migration 0007's ``sync_stamp_<table>_insert`` triggers do nothing while the merge's flag (``local_meta``
:data:`~inspector.core.sync.stamps.APPLYING`) is present, but SQLite still runs each one for every inserted row
to find that out: a sub-program per row, about half the CPU of ``INSERT … SELECT`` of 1,000 inspections'
findings and photos (0.40 → 0.21 s; docs/performance.md, merge "Round 8"). So the merge drops those triggers at
the start of its writing and creates them again, from their own text in ``sqlite_master``, once the rows new
everywhere are in — all inside its one write transaction (SQLite's DDL is transactional): a refusal, a failed
write or a kill rolls the drop back with everything else, and no other connection ever sees the schema
without them (the merge holds the write lock from ``BEGIN IMMEDIATE`` to ``COMMIT``; readers see the last
commit). :func:`same` is checked before COMMIT: the merge commits only with every trigger as it found it.

Only triggers the flag silences are set aside (their text names it): the effect of the rows written meanwhile
is the same as with the flag, nothing. The UPDATE and DELETE triggers stay.
"""

from __future__ import annotations

import sqlite3
from typing import Iterable

from inspector.core.sync.stamps import APPLYING
from inspector.errors import UserError

Triggers = tuple[tuple[str, str, str], ...]  # (name, table, sql) in name order


def snapshot(connection: sqlite3.Connection) -> Triggers:
    """Every trigger of the local database: name, table and text."""
    return tuple(connection.execute(
        "SELECT name, tbl_name, sql FROM main.sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall())


def set_aside(connection: sqlite3.Connection, tables: Iterable[str], triggers: Triggers) -> list[str]:
    """Drop the INSERT stamp triggers of ``tables`` that the merge's flag silences; returns their texts (for
    :func:`put_back`). The caller holds the write transaction and has raised the flag."""
    wanted = {f"sync_stamp_{table}_insert" for table in tables}
    aside = [(name, sql) for name, _, sql in triggers if name in wanted and f"'{APPLYING}'" in sql]
    for name, _ in aside:
        connection.execute(f'DROP TRIGGER main."{name}"')
    return [sql for _, sql in aside]


def put_back(connection: sqlite3.Connection, texts: list[str]) -> None:
    """Create the triggers :func:`set_aside` dropped again, from their own text (each names its table, which
    resolves to the local database's: the attached files are searched after it)."""
    for sql in texts:
        connection.execute(sql)


def same(connection: sqlite3.Connection, before: Triggers) -> None:
    """Raise unless the local database's triggers are exactly ``before`` (checked before COMMIT)."""
    if snapshot(connection) != before:
        raise UserError("合并失败，数据库未改动：合并写入时暂停的版本触发器未能恢复。")
