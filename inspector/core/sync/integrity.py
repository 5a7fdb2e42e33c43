"""Integrity check of a database file: SQLite's own checks, references and photo hashes."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def check_database(path: Path) -> list[str]:
    """Problems found, in Chinese, one per line; an empty list means the database is sound."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        problems = _sqlite_checks(connection)
        if problems:
            return problems  # further reads of a damaged file are not to be trusted
        return _foreign_keys(connection) + _photo_hashes(connection)
    except sqlite3.DatabaseError as exc:
        return [f"数据库无法读取：{exc}"]
    finally:
        connection.close()


def _sqlite_checks(connection: sqlite3.Connection) -> list[str]:
    rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else [f"SQLite 完整性检查：{row}" for row in rows]


def _foreign_keys(connection: sqlite3.Connection) -> list[str]:
    return [
        f"表 {table} 的记录（rowid {rowid}）引用了不存在的 {parent} 记录"
        for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check")
    ]


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
