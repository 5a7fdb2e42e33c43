"""The office server's rows in the laptop's form: what a laptop's SQLite file would hold for them.

Sync hashes rows as SQLite returns them (:class:`~inspector.core.sync.rows.TableSpec`), and the
row rules (:mod:`~inspector.core.sync.rules`) judge SQLite values. PostgreSQL returns some columns
differently, so every read from the server goes through :func:`server_batches`, which gives the
values a laptop stores: ``BOOLEAN`` as 0/1, ``DATE`` as ``YYYY-MM-DD`` text, ``JSON`` as its text
exactly as written (``CAST(… AS TEXT)``: PostgreSQL's ``json`` type keeps the input text), ``BYTEA``
as bytes. Then the same row has the same version hash on the server and on every laptop.

:func:`copy_snapshot` fills an SQLite scratch database (the laptop's schema, from the same
numbered migrations) with the server's synced rows, its version history and sync log, so the
laptop's own selection and history SQL (:mod:`~inspector.core.sync.selection`,
:mod:`~inspector.core.sync.history`) run on it unchanged. The large blobs (photo JPEGs, notice
PDFs) are left empty there; an export reads those of the rows it carries from the server.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from functools import lru_cache
from typing import Iterator, Sequence

from sqlalchemy import text

from inspector.core.sync.rows import CHUNK, HISTORY_TABLE, SYNC_ORDER, TRUSTED_BLOBS

#: Local tables the scratch copy needs besides the synced ones (history, watermarks, device id).
BOOKKEEPING = (HISTORY_TABLE, "sync_log", "local_meta")
BIG_BLOBS = {table: blob for table, (blob, _) in TRUSTED_BLOBS.items()}


def create_laptop_schema(connection: sqlite3.Connection, schema: str = "main") -> None:
    """The laptop's schema at the app's version, through the same numbered steps (``schema`` must be main
    of ``connection``: the steps name no schema)."""
    from inspector.db import migrations

    for step in migrations.discover_steps():
        connection.execute("BEGIN")
        step.apply(connection)
        connection.execute("COMMIT")
    connection.execute(f"PRAGMA {schema}.application_id = {int(migrations.APPLICATION_ID)}")
    connection.execute(f"PRAGMA {schema}.user_version = {int(migrations.latest_version())}")


def laptop_columns(connection: sqlite3.Connection, table: str, schema: str = "main") -> list[str]:
    return [row[1] for row in connection.execute(f"PRAGMA {schema}.table_info({table})")]


@lru_cache(maxsize=None)
def column_kinds(table: str) -> dict[str, str]:
    """``json`` / ``bool`` / ``date`` / ``blob`` for the columns whose server values differ from SQLite's."""
    from sqlalchemy import JSON, Boolean, Date, LargeBinary

    from inspector.db import models  # noqa: F401  (registers every table)
    from sqlmodel import SQLModel

    kinds = {}
    for column in SQLModel.metadata.tables[table].columns:
        for kind, types in (("json", JSON), ("bool", Boolean), ("date", Date), ("blob", LargeBinary)):
            if isinstance(column.type, types):
                kinds[column.name] = kind
    return kinds


def _to_int(value):
    return None if value is None else int(value)


def _to_iso(value):
    return value.isoformat() if isinstance(value, date) else value


def _to_bytes(value):
    return value.tobytes() if isinstance(value, memoryview) else value


_CONVERTERS = {"bool": _to_int, "date": _to_iso, "blob": _to_bytes}


@lru_cache(maxsize=None)
def _converters(table: str, columns: tuple[str, ...]) -> tuple[tuple[int, object], ...]:
    kinds = column_kinds(table)
    return tuple((i, _CONVERTERS[kinds[name]]) for i, name in enumerate(columns) if kinds.get(name) in _CONVERTERS)


def select_sql(table: str, columns: Sequence[str], *, empty: Sequence[str] = (), where: str = "") -> str:
    """A SELECT of ``columns`` in the laptop's form; ``empty`` columns come back as NULL (not read)."""
    kinds = column_kinds(table)
    parts = []
    for name in columns:
        if name in empty:
            parts.append(f'NULL AS "{name}"')
        elif kinds.get(name) == "json":
            parts.append(f'CAST("{name}" AS TEXT) AS "{name}"')
        else:
            parts.append(f'"{name}"')
    return f'SELECT {", ".join(parts)} FROM "{table}"' + (f" WHERE {where}" if where else "")


def laptop_values(table: str, columns: Sequence[str], row: Sequence) -> tuple:
    converters = _converters(table, tuple(columns))
    if not converters:
        return tuple(row)
    values = list(row)
    for i, convert in converters:
        values[i] = convert(values[i])
    return tuple(values)


def server_batches(connection, table: str, columns: Sequence[str], *, empty: Sequence[str] = (), where: str = "",
                   params: dict | None = None, size: int = CHUNK) -> Iterator[list[tuple]]:
    """The rows of a server table in batches, each row a tuple of laptop values in ``columns`` order."""
    result = connection.execution_options(stream_results=True, yield_per=size).execute(
        text(select_sql(table, columns, empty=empty, where=where)), params or {})
    converters = _converters(table, tuple(columns))
    for partition in result.partitions(size):
        if not converters:
            yield [tuple(row) for row in partition]
            continue
        batch = []
        for row in partition:
            values = list(row)
            for i, convert in converters:
                values[i] = convert(values[i])
            batch.append(tuple(values))
        yield batch


def copy_snapshot(server, scratch: sqlite3.Connection, progress=None) -> dict[str, int]:
    """Every synced row (big blobs empty) and the bookkeeping tables from the server into ``scratch``."""
    counts = {}
    tables = (*SYNC_ORDER, *BOOKKEEPING)
    scratch.execute("BEGIN")
    for step, table in enumerate(tables):
        columns = laptop_columns(scratch, table)
        empty = (BIG_BLOBS[table],) if table in BIG_BLOBS else ()
        marks = ", ".join("?" * len(columns))
        names = ", ".join(f'"{name}"' for name in columns)
        blob_at = [columns.index(name) for name in empty]
        counts[table] = 0
        for batch in server_batches(server, table, columns, empty=empty):
            if blob_at:
                batch = [tuple(b"" if i in blob_at else v for i, v in enumerate(row)) for row in batch]
            scratch.executemany(f"INSERT INTO main.{table} ({names}) VALUES ({marks})", batch)
            counts[table] += len(batch)
        if progress:
            progress(step + 1, len(tables))
    scratch.execute("COMMIT")
    return counts


def snapshot_transaction(engine):
    """A read-only connection whose every read sees one moment of the server (REPEATABLE READ)."""
    connection = engine.connect().execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    connection.begin()
    return connection
