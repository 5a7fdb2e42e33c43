"""Numbered schema migrations.

Each step is a file ``NNNN_name.sql`` (statements) or ``NNNN_name.py`` (a module with
``upgrade(connection)``) in this folder. The schema version lives in
``PRAGMA user_version``; our databases are marked with ``PRAGMA application_id``.
Every step runs in its own transaction, after a backup of the file when it holds data.
A database newer than the app, or one that is not ours, is refused untouched.
"""

from __future__ import annotations

import importlib
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable

from inspector.errors import DatabaseError

APPLICATION_ID = 0x494E5350  # "INSP"
SQLITE_HEADER = b"SQLite format 3\x00"
#: Page size of a database this creates (SQLite's default is 4 KiB). A demo photo row (a ~11 KB JPEG and its
#: thumbnail) then takes one page instead of four, a real photo's overflow chain a quarter as many: the 10,000-inspection demo
#: 10.0-10.5 s -> 8.6-8.8 s wall, system time 3.3 -> 2.0 s, the file 1.33 -> 1.34 GB (three alternating pairs;
#: 32 KiB: 20 % more file for no further gain; docs/demo-data.md). An existing file keeps its own: SQLite
#: changes a page size only by rewriting the whole file (VACUUM), and both sizes work the same everywhere.
PAGE_SIZE = 16384
#: What reading a damaged or forged file raises: SQLite's errors, and UnicodeDecodeError for text that is not
#: UTF-8 (sqlite3 decodes every text value, and SQLite's own messages, which quote a damaged schema name).
UNREADABLE = (sqlite3.DatabaseError, UnicodeDecodeError)
_STEP_NAME = re.compile(r"^(\d{4})_(\w+)\.(sql|py)$")


@dataclass(frozen=True)
class Step:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def split_sql(script: str) -> list[str]:
    """Split a script into complete statements (no implicit COMMIT as executescript does)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        if not pending and line.strip().startswith("--"):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError("incomplete SQL statement at the end of a migration")
    return statements


def _sql_step(text: str) -> Callable[[sqlite3.Connection], None]:
    def apply(connection: sqlite3.Connection) -> None:
        for statement in split_sql(text):
            connection.execute(statement)

    return apply


def discover_steps() -> list[Step]:
    steps = []
    for entry in resources.files(__name__).iterdir():
        match = _STEP_NAME.match(entry.name)
        if not match:
            continue
        version, name, kind = int(match[1]), match[2], match[3]
        if kind == "sql":
            apply = _sql_step(entry.read_text(encoding="utf-8"))
        else:
            apply = importlib.import_module(f"{__name__}.{entry.name[:-3]}").upgrade
        steps.append(Step(version, name, apply))
    steps.sort(key=lambda step: step.version)
    if [step.version for step in steps] != list(range(1, len(steps) + 1)):
        raise RuntimeError("migration numbers must run 1, 2, 3... without gaps")
    return steps


def latest_version() -> int:
    return len(discover_steps())


def check_header(path: Path) -> None:
    """Refuse a file that is not an SQLite database before SQLite touches it."""
    with open(path, "rb") as handle:
        header = handle.read(16)
    if header != SQLITE_HEADER:
        raise DatabaseError(f"{path.name} 不是本程序的数据库文件（不是 SQLite 格式）。")


def read_identity(connection: sqlite3.Connection, path: Path) -> tuple[int, int, int]:
    """(application_id, user_version, number of tables); damage surfaces here."""
    try:
        app_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = connection.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
    except UNREADABLE as exc:
        raise DatabaseError(f"数据库文件 {path.name} 已损坏，无法读取（{unreadable_reason(exc)}）。") from exc
    return app_id, version, tables


def unreadable_reason(exc: Exception) -> str:
    """SQLite's reason, or for text that is not UTF-8 (:data:`UNREADABLE`) one sentence instead of the codec's."""
    return "其中的文本不是有效的 UTF-8 编码" if isinstance(exc, UnicodeDecodeError) else str(exc)


def check_ours(path: Path, app_id: int, version: int, tables: int) -> None:
    if app_id != APPLICATION_ID and (app_id != 0 or tables > 0):
        raise DatabaseError(f"{path.name} 是其他程序的数据库，不是本程序的数据文件。")
    newest = latest_version()
    if version > newest:
        raise DatabaseError(
            f"{path.name} 由更新版本的程序创建（数据结构版本 {version}，本程序最高支持 {newest}），请先升级程序。"
        )


def backup_file(connection: sqlite3.Connection, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(target) as copy:
        connection.backup(copy)
    copy.close()


def upgrade(path: Path, backups_dir: Path, stamp: str) -> int:
    """Bring the database at ``path`` to the latest schema; returns the version reached."""
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        check_header(path)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        app_id, version, tables = read_identity(connection, path)
        check_ours(path, app_id, version, tables)
        steps = discover_steps()
        if version == 0 and tables == 0:
            connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # before the first page is written
        if version < len(steps) and tables > 0:
            backup_file(connection, backups_dir / f"before-schema-v{version + 1}-{stamp}.db")
        for step in steps[version:]:
            _run_step(connection, step, path)
        return len(steps)
    finally:
        connection.close()


def _run_step(connection: sqlite3.Connection, step: Step, path: Path) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        step.apply(connection)
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version = {step.version}")
        connection.execute("COMMIT")
    except Exception as exc:
        from inspector.errors import known_io_text

        if connection.in_transaction:  # a full disk may have ended the transaction already
            connection.execute("ROLLBACK")
        raise DatabaseError(f"升级数据库 {path.name} 到版本 {step.version} 失败，数据未改动"
                            f"（{known_io_text(exc) or exc}）。") from exc
