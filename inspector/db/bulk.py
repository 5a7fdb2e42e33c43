"""Fast bulk inserts through plain sqlite3 (ORM bulk paths are 4-40x slower, see stack notes).

Values are converted exactly as the SQLModel column types store them, so rows written
here read back through the ORM unchanged.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from typing import Any, Iterable, Sequence

from inspector.db.types import to_utc_text


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


_CONVERTERS = {datetime: to_utc_text, date: date.isoformat, bool: int, list: _json, dict: _json}


def to_sql_value(value: Any) -> Any:
    """The stored form of ``value`` (one dict lookup on its exact type: this runs millions of times)."""
    converter = _CONVERTERS.get(type(value))
    return value if converter is None else converter(value)


def insert_rows(connection: sqlite3.Connection, table: str, rows: Sequence[dict], *, or_ignore: bool = False) -> int:
    """Insert dict rows (all with the same keys) in one executemany; the caller owns the transaction."""
    if not rows:
        return 0
    columns = list(rows[0])
    verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
    sql = f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    connection.executemany(sql, _values(rows, columns))
    return len(rows)


def _values(rows: Iterable[dict], columns: list[str]):
    convert = to_sql_value
    for row in rows:
        yield tuple([convert(row[column]) for column in columns])
