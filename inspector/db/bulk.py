"""Fast bulk inserts through plain sqlite3 (ORM bulk paths are 4-40x slower, see stack notes).

Values are converted exactly as the SQLModel column types store them, so rows written
here read back through the ORM unchanged. Only the columns whose type needs it are converted
(timestamps, dates, booleans, JSON: read from the models' table metadata), each timestamp text
made once per distinct value: the demo writes half a million rows sharing a few thousand times.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timezone
from itertools import chain
from operator import itemgetter
from typing import Any, Callable, Iterable, Sequence

from inspector.db.types import to_utc_text

#: Page cache of a bulk connection, in KiB (SQLite's negative cache_size): the indexes of a big batch stay
#: in memory instead of being written, evicted and read again (2x faster for the 10,000-inspection demo).
BULK_CACHE_KIB = 256 * 1024


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _utc_text(value: datetime) -> str:
    """:func:`to_utc_text` through ``isoformat`` (C, 10x faster than strftime); the same text for years >= 1000."""
    if value.tzinfo is timezone.utc and value.year >= 1000:
        return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    return to_utc_text(value)


_CONVERTERS = {datetime: _utc_text, date: date.isoformat, bool: int, list: _json, dict: _json}


def to_sql_value(value: Any) -> Any:
    """The stored form of ``value`` (one dict lookup on its exact type)."""
    converter = _CONVERTERS.get(type(value))
    return value if converter is None else converter(value)


def bulk_connection(connection: sqlite3.Connection) -> sqlite3.Connection:
    """Give a connection about to write a big batch a page cache large enough for its indexes."""
    connection.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    return connection


def insert_rows(connection: sqlite3.Connection, table: str, rows: Sequence[dict | tuple], *, or_ignore: bool = False,
                columns: Sequence[str] | None = None) -> int:
    """Insert dict rows (all with the keys of the first, or of ``columns``) in one executemany; the caller owns
    the transaction. With ``columns``, a row may also be a tuple of stored values in that order (SQL-ready:
    timestamps as text, booleans as ints), which goes in as it is."""
    if not rows:
        return 0
    columns = list(columns or rows[0])
    verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
    sql = f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    connection.executemany(sql, _values(rows, columns, _converted_columns(table, columns)))
    return len(rows)


#: Value types that travel through JSON to SQLite unchanged (json_extract gives back the same integer, text or
#: NULL the driver would bind; a float's decimal text might round differently, and bytes have no JSON form).
_JSON_EXACT = frozenset((str, int, bool, type(None)))


def insert_tuples(connection: sqlite3.Connection, table: str, rows: Sequence[tuple], width: int) -> int:
    """``rows`` (tuples of ``width`` values, in the table's column order) into ``table``, in this order; the
    caller owns the transaction. Rows of text, integers and NULLs go in by **one statement** over one JSON text
    (``json_each``): sqlite3's ``executemany`` takes the GIL back after every row's step, and beside a thread busy
    in Python each row waits for it (the demo's writer threads: 3,000 small rows 1.0-2.1 s instead of
    ~0.02 s, measured). Other rows (bytes, floats) go by ``executemany``."""
    if not rows:
        return 0
    if any(len(row) != width for row in rows):  # json_extract would give NULL for a missing value
        raise ValueError(f"{table}: every row must have {width} values")
    if not set(map(type, chain.from_iterable(rows))) <= _JSON_EXACT:
        connection.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * width)})", rows)
        return len(rows)
    picks = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(width))
    text = json.dumps(rows, ensure_ascii=False, check_circular=False, separators=(",", ":"))
    written = connection.execute(f"INSERT INTO {table} SELECT {picks} FROM json_each(?) ORDER BY key", (text,)).rowcount
    if written != len(rows):
        raise RuntimeError(f"{table}: {written} rows written, {len(rows)} expected")
    return written


def stored_rows(table: str, rows: Sequence[dict], columns: Sequence[str] | None = None) -> tuple[list[str], list[tuple]]:
    """The columns and the tuples of stored values :func:`insert_rows` would bind for dict rows (all with the keys
    of the first, or of ``columns``): made ahead, e.g. while another thread writes, they go in as they are."""
    columns = list(columns or (rows[0] if rows else ()))
    if not rows:
        return columns, []
    return columns, [row if type(row) is tuple else tuple(row) for row in
                     _values(rows, columns, _converted_columns(table, columns))]


def _converted_columns(table: str, columns: list[str]) -> list[int] | None:
    """Positions of the columns whose stored form differs from the Python value; None: convert every value
    (a table the models do not describe)."""
    from sqlalchemy import JSON, Boolean, Date, DateTime

    from inspector.db import models  # noqa: F401 - registers the tables in the metadata
    from inspector.db.types import UTCDateTime
    from sqlmodel import SQLModel

    described = SQLModel.metadata.tables.get(table)
    if described is None or any(name not in described.columns for name in columns):
        return None
    kinds = (UTCDateTime, DateTime, Date, Boolean, JSON)
    return [n for n, name in enumerate(columns) if isinstance(described.columns[name].type, kinds)]


def _values(rows: Iterable[dict | tuple], columns: list[str], converted: list[int] | None):
    if converted is None:
        for row in rows:
            yield row if type(row) is tuple else tuple([to_sql_value(row[column]) for column in columns])
        return
    pick: Callable = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
    texts: list[dict[Any, Any]] = [{} for _ in converted]  # per column, value -> stored form: times repeat
    for row in rows:
        if type(row) is tuple:
            yield row
            continue
        values = list(pick(row))
        for n, seen in zip(converted, texts):
            value = values[n]
            if value is None:
                continue
            if type(value) in (list, dict):
                values[n] = _json(value)
                continue
            stored = seen.get(value)
            if stored is None:
                stored = seen[value] = to_sql_value(value)
            values[n] = stored
        yield values
