"""Helpers for the server merge tests: the merged state of a server and of an SQLite office file, comparable."""

from __future__ import annotations

import json
import sqlite3

from sqlalchemy import text

from inspector.core.sync.rows import SYNC_ORDER
from inspector.core.sync.server_rows import ServerTable
from tests.core.sync.test_sync_support import stamp


def _columns(table: str) -> list[str]:
    from inspector.db import models  # noqa: F401
    from sqlmodel import SQLModel

    return sorted(column.name for column in SQLModel.metadata.tables[table].columns)


def server_state(db) -> dict:
    """Every synced row (SQLite form), the history, the conflicts and the claims of a server database."""
    state = {}
    with db.engine.connect() as connection:
        for table in SYNC_ORDER:
            columns = _columns(table)
            server = ServerTable(table, columns)
            rows = connection.execute(text(f"SELECT {server.select_list(columns)} FROM {table} AS t"))
            state[table] = {r[columns.index("id")]: dict(zip(columns, server.to_sqlite(columns, r))) for r in rows}
        state["sync_version"] = sorted(tuple(r) for r in connection.execute(
            text("SELECT table_name, row_id, version, seen_seq FROM sync_version")))
        state["sync_conflict"] = sorted(
            (t, r, json.dumps(json.loads(k), sort_keys=True), json.dumps(json.loads(o), sort_keys=True), s)
            for t, r, k, o, s in connection.execute(text(
                "SELECT table_name, row_id, CAST(kept AS TEXT), CAST(other AS TEXT), source FROM sync_conflict")))
    return state


def file_state(path) -> dict:
    state = {}
    connection = sqlite3.connect(path)
    try:
        for table in SYNC_ORDER:
            columns = _columns(table)
            names = ", ".join(f'"{c}"' for c in columns)
            state[table] = {r[columns.index("id")]: dict(zip(columns, r))
                            for r in connection.execute(f"SELECT {names} FROM {table}")}
        state["sync_version"] = sorted(connection.execute("SELECT table_name, row_id, version, seen_seq FROM sync_version"))
        state["sync_conflict"] = sorted(
            (t, r, json.dumps(json.loads(k), sort_keys=True), json.dumps(json.loads(o), sort_keys=True), s)
            for t, r, k, o, s in connection.execute("SELECT table_name, row_id, kept, other, source FROM sync_conflict"))
    finally:
        connection.close()
    return state


def claims(db) -> list[tuple]:
    with db.engine.connect() as connection:
        return sorted(tuple(r) for r in connection.execute(text("SELECT kind, prefix, year, seq, block_id FROM number_claim")))


class OfficePair:
    """The same office twice: an SQLite file (merged by the laptop code) and a server database."""

    def __init__(self, device, db):
        self.file, self.db = device, db

    def merge(self, *files, dry_run: bool = False):
        from inspector.core.sync.server_merge import merge_into_server

        on_file = self.file.merge(*files, dry_run=dry_run)
        on_server = merge_into_server(self.db, list(files), dry_run=dry_run)
        return on_file, on_server

    def update(self, table: str, row_id: str, at: int, **fields) -> None:
        """The same edit on both, as the app makes it (``rev`` + 1, a new ``updated_at``)."""
        self.file.update(table, row_id, at, **fields)
        sets = ", ".join(f"{name} = :{name}" for name in fields)
        with self.db.engine.begin() as connection:
            connection.execute(text(f"UPDATE {table} SET {sets}, updated_at = :at, rev = rev + 1 WHERE id = :id"),
                               fields | {"at": stamp(at), "id": row_id})

    def assert_same(self) -> dict:
        expected, actual = file_state(self.file.path), server_state(self.db)
        for key in expected:
            assert actual[key] == expected[key], key
        return actual
