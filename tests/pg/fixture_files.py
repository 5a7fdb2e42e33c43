"""Office server fixtures: one plain-SQL file per released server schema version (tests/fixtures/pg/).

A fixture ``schema_vN.sql`` is a populated office database at schema version N as text: the DDL the
server chain ran to reach N (``schema_version``, the baseline, each step up to N, as they were when the
fixture was made), the stamp, then one ``INSERT`` per row, tables parents first, rows by primary key.
Binary columns are ``decode('…', 'base64')``; booleans ``TRUE``/``FALSE``; everything else a plain
string literal the column's type converts (dates, JSON text kept verbatim). No ``SET``, no ``COPY``,
nothing tied to one server version: ``psql -f`` or one ``execute`` loads it.

Its rows are those of the newest SQLite fixture at or below N (``tests/fixtures/schema_vK.db``), brought
to N by the SQLite chain, made an office's: a fixed office device id in ``local_meta`` and the laptop's
folder binding and signing key left out (a laptop's own, never on a server); ``sync_stamp`` and
``local_change`` stay empty (the server keeps no stamps: docs/office-postgresql.md, step 7).
Made by ``tests/fixtures/make_pg_fixtures.py``; read back by ``tests/pg/test_server_fixtures.py``.
"""

from __future__ import annotations

import base64
import re
import shutil
import sqlite3
import uuid
from pathlib import Path

from inspector.db import migrations, server
from tests.helpers import FIXTURES

PG_FIXTURES = FIXTURES / "pg"
OFFICE_DEVICE_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "inspector/tests/fixtures/pg/office"))
LAPTOP_ONLY_META = ("device_binding", "signing_key")  # a laptop's folder binding and private key
EMPTY_ON_SERVER = ("sync_stamp", "local_change")  # kept by SQLite triggers only
STAMP_TABLE = ("CREATE TABLE schema_version (application VARCHAR(32) NOT NULL, version INTEGER NOT NULL, "
               "PRIMARY KEY (application))")  # as server._create_baseline makes it
_VERSION = re.compile(r"schema_v(\d+)\.(?:sql|db)$")


def version_of(path: Path) -> int:
    return int(_VERSION.search(path.name)[1])


def server_fixtures() -> list[Path]:
    return sorted(PG_FIXTURES.glob("schema_v*.sql"), key=version_of)


def released_server_versions() -> list[int]:
    return list(range(server.baseline()[0], migrations.latest_version() + 1))


def sqlite_source(version: int) -> Path:
    """The newest SQLite fixture at or below ``version``: the content of the server fixture."""
    found = [p for p in FIXTURES.glob("schema_v*.db") if version_of(p) <= version]
    if not found:
        raise RuntimeError(f"no SQLite fixture at or below version {version}")
    return max(found, key=version_of)


def sqlite_at(version: int, target: Path) -> Path:
    """A copy of the source SQLite fixture brought to ``version`` by the SQLite chain, made an office's."""
    shutil.copy(sqlite_source(version), target)
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        start = connection.execute("PRAGMA user_version").fetchone()[0]
        for step in migrations.discover_steps()[start:version]:
            migrations._run_step(connection, step, target)
        as_office(connection)
    finally:
        connection.close()
    return target


def as_office(connection: sqlite3.Connection) -> None:
    """The office's device id; a laptop's binding and signing key dropped (the same on both backends)."""
    connection.execute("UPDATE local_meta SET value = ? WHERE key = 'device_id'", (OFFICE_DEVICE_ID,))
    connection.execute(f"DELETE FROM local_meta WHERE key IN {LAPTOP_ONLY_META!r}")


def schema_statements(version: int) -> list[str]:
    """The statements the server chain runs to reach ``version`` (what a server at ``version`` has run)."""
    base, sql = server.baseline()
    statements = [STAMP_TABLE, *migrations.split_sql(sql)]
    for step_version, _, step_sql in server.server_steps():
        if step_version <= version:
            statements += migrations.split_sql(step_sql)
    return statements


def build_server_at(url: str, version: int) -> None:
    """A server database made by the chain itself (baseline, then each step) up to ``version``."""
    engine = server.make_server_engine(url)
    try:
        with engine.begin() as connection:
            server._create_baseline(connection)
        for step_version, name, sql in server.server_steps():
            if step_version <= version:
                server._run_server_step(engine, step_version, name, sql)
    finally:
        engine.dispose()


# --- writing ---------------------------------------------------------------------------------

def literal(value, kind: str) -> str:
    if value is None:
        return "NULL"
    if kind == "bytea":
        return f"decode('{base64.b64encode(bytes(value)).decode('ascii')}', 'base64')"
    if kind == "boolean":
        return "TRUE" if value else "FALSE"
    if kind in ("integer", "bigint", "smallint") and isinstance(value, int):
        return str(value)
    text = str(value)
    if re.search(r"[\\\x00-\x1f]", text):  # one row per line: escape newlines (and backslashes) E'…'
        escaped = text.replace("\\", "\\\\").replace("'", "''")
        escaped = re.sub(r"[\x00-\x1f]", lambda m: f"\\x{ord(m[0]):02x}", escaped)
        return f"E'{escaped}'"
    return "'" + text.replace("'", "''") + "'"


def server_columns(url: str) -> dict[str, list[tuple[str, str]]]:
    """table -> [(column, data type)] in the server's column order, tables parents first."""
    from sqlalchemy import MetaData, create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            metadata = MetaData()
            metadata.reflect(connection)
            kinds = {}
            for table, column, kind in connection.execute(text(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position")):
                kinds.setdefault(table, []).append((column, kind))
    finally:
        engine.dispose()
    return {t.name: kinds[t.name] for t in metadata.sorted_tables if t.name != "schema_version"}


def insert_lines(source: Path, columns: dict[str, list[tuple[str, str]]]) -> list[str]:
    """One INSERT per row of the SQLite file, for the server's tables (parents first, rows by key)."""
    connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    lines = []
    try:
        for table, typed in columns.items():
            if table in EMPTY_ON_SERVER:
                continue
            names = [name for name, _ in typed]
            keys = [r[1] for r in sorted(connection.execute(f"PRAGMA table_info({table})"), key=lambda r: r[5]) if r[5]]
            quoted = ", ".join(f'"{n}"' for n in names)
            order = ", ".join(f'"{k}"' for k in keys or names)
            for row in connection.execute(f"SELECT {quoted} FROM {table} ORDER BY {order}"):
                values = ", ".join(literal(v, kind) for v, (_, kind) in zip(row, typed))
                lines.append(f"INSERT INTO {table} ({quoted}) VALUES ({values});")
    finally:
        connection.close()
    return lines


def fixture_text(version: int, scratch_url: str, workdir: Path) -> str:
    """The fixture of ``version``; ``scratch_url`` is an empty server database the schema is built in."""
    source = sqlite_at(version, workdir / f"source_v{version}.db")
    statements = schema_statements(version)
    load_script(scratch_url, "\n".join(f"{s};" if not s.rstrip().endswith(";") else s for s in statements))
    columns = server_columns(scratch_url)
    header = [
        f"-- Inspector office database (PostgreSQL) at schema version {version}: a test fixture.",
        f"-- Rows: tests/fixtures/{sqlite_source(version).name} brought to version {version} by the SQLite chain,",
        f"-- office device id {OFFICE_DEVICE_ID}, no laptop binding or signing key, no stamps (server: none).",
        "-- Made by tests/fixtures/make_pg_fixtures.py (see tests/fixtures/README.md). Released: never edit.",
        "-- Load: psql -v ON_ERROR_STOP=1 -d EMPTY_DATABASE -f THIS_FILE",
        "",
        "BEGIN;",
        "",
        "-- Schema: the statements the server chain ran to reach this version.",
    ]
    schema = [s if s.rstrip().endswith(";") else f"{s};" for s in statements]
    stamp = [f"INSERT INTO schema_version (application, version) VALUES ('{server.APPLICATION}', {version});"]
    return "\n".join([*header, *schema, "", "-- Data.", *stamp, *insert_lines(source, columns), "", "COMMIT;", ""])


# --- reading ---------------------------------------------------------------------------------

def load_script(url: str, script: str) -> None:
    """Run a whole SQL script (no parameters: psycopg sends it as one simple query)."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    with psycopg.connect(dbname=parsed.database, user=parsed.username, host=parsed.query.get("host"),
                         port=parsed.query.get("port"), autocommit=True) as connection:
        connection.execute(script.encode("utf-8"))


def load_fixture(url: str, path: Path) -> None:
    load_script(url, path.read_text(encoding="utf-8"))
