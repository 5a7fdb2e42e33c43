"""Integrity check of a database file: SQLite's own checks, the schema, references, the row rules
of every synced table (:mod:`~inspector.core.sync.rules`, the same rules a merge applies), the
void rules of documents (:mod:`~inspector.core.sync.guards`) and photo hashes.

A database poisoned before a merge validated its rows is reported here, not called sound.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from inspector.core.sync.rows import CHUNK, HISTORY_TABLE, SYNC_ORDER

PROBLEMS_PER_TABLE = 20


def check_database(path: Path) -> list[str]:
    """Problems found, in Chinese, one per line; an empty list means the database is sound."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        problems = _sqlite_checks(connection)
        if problems:
            return problems  # further reads of a damaged file are not to be trusted
        basic = _foreign_keys(connection) + _photo_hashes(connection)
        if not _current(connection):
            return basic  # an older database is upgraded when the app opens it; its rows are judged then
        problems = _schema(connection)
        if problems:
            return problems + basic  # rows of an unknown layout cannot be judged by our rules
        return basic + _rows(connection) + _documents(connection)
    except sqlite3.DatabaseError as exc:
        return [f"数据库无法读取：{exc}"]
    finally:
        connection.close()


def _sqlite_checks(connection: sqlite3.Connection) -> list[str]:
    rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else [f"SQLite 完整性检查：{row}" for row in rows]


def _current(connection: sqlite3.Connection) -> bool:
    from inspector.db import migrations

    return connection.execute("PRAGMA user_version").fetchone()[0] == migrations.latest_version()


def _schema(connection: sqlite3.Connection) -> list[str]:
    from inspector.core.sync.schema import schema_differences

    return [f"数据结构与本程序不同：{line}" for line in schema_differences(connection, export=False)]


def _foreign_keys(connection: sqlite3.Connection) -> list[str]:
    return [
        f"表 {table} 的记录（rowid {rowid}）引用了不存在的 {parent} 记录"
        for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check")
    ]


def _rows(connection: sqlite3.Connection) -> list[str]:
    """Every row against its table's rules; clock stamps may not be later than now (plus the skew)."""
    from inspector.core.sync.rules import Bounds

    bounds, lines = Bounds.now(), []
    for table in (*SYNC_ORDER, HISTORY_TABLE):
        columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")
                   if row[1] not in ("jpeg", "pdf")]  # blobs are checked against their hashes below
        select = ", ".join(f'"{name}"' for name in columns)
        cursor = connection.execute(f"SELECT {select} FROM {table}")
        lines += rule_problem_lines(table, columns, iter(lambda: cursor.fetchmany(CHUNK), []), bounds)
    return lines


def rule_problem_lines(table: str, columns: list[str], batches, bounds) -> list[str]:
    """The first ``PROBLEMS_PER_TABLE`` rule violations of a table's rows as sentences, and how many more."""
    from inspector.core.sync.rules import problems_in

    lines, found = [], 0
    for batch in batches:
        for problem in problems_in(table, columns, batch, bounds):
            found += 1
            if found <= PROBLEMS_PER_TABLE:
                lines.append(problem.sentence())
    if found > PROBLEMS_PER_TABLE:
        lines.append(f"表 {table} 另有 {found - PROBLEMS_PER_TABLE} 处不符合规则的字段")
    return lines


def _documents(connection: sqlite3.Connection) -> list[str]:
    from inspector.core.sync.guards import document_violations

    return [v.sentence() for v in document_violations(connection, "main.notice", "main.document_number")]


def _photo_hashes(connection: sqlite3.Connection) -> list[str]:
    problems = []
    for photo_id, jpeg, expected in connection.execute("SELECT id, jpeg, jpeg_sha256 FROM photo"):
        try:
            actual = hashlib.sha256(jpeg).hexdigest()
        except TypeError:
            actual = None
        if actual != expected:
            problems.append(f"照片 {photo_id} 的内容与登记的 SHA-256 不符（照片数据已损坏）")
    return problems
