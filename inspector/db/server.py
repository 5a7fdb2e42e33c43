"""The office database on a PostgreSQL server (psycopg 3 through SQLAlchemy).

The schema comes from the same definition as the laptops' SQLite files: a baseline
(``migrations/postgresql/NNNN_baseline.sql``, the SQLModel metadata compiled for PostgreSQL at
that version) and then every numbered step after it, each in its own transaction. A step's
``.sql`` file is used as is when it is portable SQL; ``migrations/postgresql/NNNN_name.sql``
replaces it where SQLite and PostgreSQL must differ. The version is stamped in the table
``schema_version``; a database newer than the app, or one that is not ours, is refused untouched.
Portable SQL only (no extensions), so KingbaseES and openGauss can follow; see docs/office-postgresql.md.
The database object itself is ``inspector.db.database.ServerDatabase`` (opened by ``Database.open_url``).
"""

from __future__ import annotations

import re
from importlib import resources

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, ProgrammingError

from inspector.db import migrations
from inspector.errors import DatabaseError

APPLICATION = "inspector"
SERVER_SCHEMES = ("postgresql+psycopg",)
_OVERRIDE = re.compile(r"^(\d{4})_(\w+)\.sql$")


def make_server_engine(url: str, password: str | None = None) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"数据库地址无效：{safe_url(url)}") from exc
    if parsed.drivername not in SERVER_SCHEMES:
        raise DatabaseError(f"不支持的数据库地址“{parsed.drivername}”，请使用 postgresql+psycopg://… 或 sqlite:///…")
    connect_args = {"connect_timeout": 10} | ({"password": password} if password else {})
    return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)


def safe_url(url: str) -> str:
    """The URL with any password masked: what messages and logs may show."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"://([^:/@]*):[^@]*@", r"://\1:***@", url)


def describe_server_error(exc: BaseException, url: str) -> str:
    """One sentence: the server's first line of the error (libpq never echoes the password)."""
    lines = str(getattr(exc, "orig", exc)).strip().splitlines()
    first = lines[0] if lines else type(exc).__name__
    if isinstance(exc, DBAPIError) and exc.connection_invalidated or "connection" in first.lower():
        return f"无法连接办公室数据库（{safe_url(url)}）：{first}"
    return f"办公室数据库读写失败：{first}"


# --- schema --------------------------------------------------------------------------------

def baseline() -> tuple[int, str]:
    """(version, SQL) of the PostgreSQL baseline."""
    folder = resources.files(migrations.__name__).joinpath("postgresql")
    found = sorted(entry for entry in folder.iterdir() if entry.name.endswith("_baseline.sql"))
    if len(found) != 1:
        raise RuntimeError("exactly one PostgreSQL baseline migration is expected")
    return int(found[0].name[:4]), found[0].read_text(encoding="utf-8")


def server_steps() -> list[tuple[int, str, str]]:
    """(version, name, SQL) of every numbered step after the baseline, PostgreSQL overrides first."""
    base, _ = baseline()
    overrides = {}
    for entry in resources.files(migrations.__name__).joinpath("postgresql").iterdir():
        match = _OVERRIDE.match(entry.name)
        if match and not entry.name.endswith("_baseline.sql"):
            overrides[int(match[1])] = (match[2], entry.read_text(encoding="utf-8"))
    steps = []
    for entry in resources.files(migrations.__name__).iterdir():
        match = re.match(r"^(\d{4})_(\w+)\.(sql|py)$", entry.name)
        if not match or int(match[1]) <= base:
            continue
        version = int(match[1])
        if version in overrides:
            steps.append((version, *overrides[version]))
        elif match[3] == "sql":
            steps.append((version, match[2], entry.read_text(encoding="utf-8")))
        else:
            raise RuntimeError(f"migration {entry.name} needs a PostgreSQL form in migrations/postgresql/")
    return sorted(steps)


def read_server_version(connection: Connection) -> int | None:
    """The stamped version; None for an empty database; DatabaseError for one that is not ours."""
    tables = set(inspect(connection).get_table_names())
    if "schema_version" not in tables:
        if tables:
            raise DatabaseError("该数据库已有其他数据表，不是本程序的办公室数据库，未作任何改动。")
        return None
    row = connection.execute(text("SELECT version FROM schema_version WHERE application = :app FOR UPDATE"),
                             {"app": APPLICATION}).fetchone()
    if row is None:
        raise DatabaseError("该数据库的 schema_version 表不属于本程序，未作任何改动。")
    return int(row[0])


def upgrade_server(engine: Engine, url: str = "") -> int:
    """Bring the server's schema to the latest version; two office PCs starting at once wait for each other."""
    newest = migrations.latest_version()
    for attempt in range(2):
        try:
            with engine.begin() as connection:
                version = read_server_version(connection)
                if version is None:
                    version = _create_baseline(connection)
            break
        except (ProgrammingError, IntegrityError):
            if attempt:  # another PC created the schema at the same moment: read it again once
                raise
    if version > newest:
        raise DatabaseError(f"办公室数据库由更新版本的程序创建（数据结构版本 {version}，"
                            f"本程序最高支持 {newest}），请先升级程序。")
    for step_version, name, sql in server_steps():
        if step_version > version:
            _run_server_step(engine, step_version, name, sql)
    return newest


def _create_baseline(connection: Connection) -> int:
    version, sql = baseline()
    connection.execute(text("CREATE TABLE schema_version (application VARCHAR(32) NOT NULL, "
                            "version INTEGER NOT NULL, PRIMARY KEY (application))"))
    for statement in migrations.split_sql(sql):
        connection.exec_driver_sql(statement)
    connection.execute(text("INSERT INTO schema_version (application, version) VALUES (:app, :v)"),
                       {"app": APPLICATION, "v": version})
    return version


def _run_server_step(engine: Engine, version: int, name: str, sql: str) -> None:
    try:
        with engine.begin() as connection:
            current = read_server_version(connection)  # row lock: one PC runs the step, the other waits
            if current is not None and current >= version:
                return
            for statement in migrations.split_sql(sql):
                connection.exec_driver_sql(statement)
            connection.execute(text("UPDATE schema_version SET version = :v WHERE application = :app"),
                               {"v": version, "app": APPLICATION})
    except DBAPIError as exc:
        raise DatabaseError(f"升级办公室数据库到版本 {version}（{name}）失败，数据未改动（{exc.orig}）。") from exc
