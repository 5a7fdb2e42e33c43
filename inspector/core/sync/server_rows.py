"""Rows of the office server in the form an SQLite export file holds them, and back.

The sync layer hashes row values as SQLite stores them: JSON as its text, dates as ``YYYY-MM-DD``
text, booleans as 0/1, blobs as bytes. PostgreSQL keeps JSON columns as ``json`` (which keeps the
text verbatim: ``CAST(x AS TEXT)`` gives it back byte for byte), dates as ``date`` and booleans as
``boolean``. :class:`ServerTable` reads server rows into the SQLite form, so
:meth:`inspector.core.sync.rows.TableSpec.version_of` gives the same version hash on both sides,
and turns SQLite values into parameters the server takes (a date or JSON text is sent untyped
and the column's type converts it; a boolean must be a real boolean).

Portable SQL only (``text()`` with named parameters, ``IN`` lists in batches): see
docs/office-postgresql.md.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any, Iterable, Iterator, Sequence

BATCH = 1000  # ids per IN list (well below every server's parameter limit)
INT_RANGE = (-(2**31), 2**31 - 1)  # the server's INTEGER columns are 32-bit (SQLite's are 64-bit)


def batches(items: Sequence, size: int = BATCH) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@lru_cache(maxsize=256)
def sql(statement: str):
    """``text(statement)``, made once: parsing a statement with a thousand ``:names`` takes milliseconds."""
    from sqlalchemy import text

    return text(statement)


def in_list(name: str, count: int) -> tuple[str, list[str]]:
    """``IN (:name0, :name1, …)`` and the parameter names, for a batch of ``count`` values."""
    names = [f"{name}{i}" for i in range(count)]
    return "(" + ", ".join(f":{n}" for n in names) + ")", names


class ServerTable:
    """One synced table's columns as the server types them (from the SQLModel metadata)."""

    def __init__(self, table: str, columns: list[str]):
        from sqlalchemy import JSON, Boolean, Date, Integer, LargeBinary

        sa_columns = _metadata_columns(table)
        self.table = table
        self.columns = columns
        kinds = {}
        for name in columns:
            kind = sa_columns[name].type
            kinds[name] = ("json" if isinstance(kind, JSON) else "bool" if isinstance(kind, Boolean)
                           else "date" if isinstance(kind, Date) else "int" if isinstance(kind, Integer)
                           else "blob" if isinstance(kind, LargeBinary) else "text")
        self.kinds = kinds
        self._bools = [i for i, name in enumerate(columns) if kinds[name] == "bool"]
        self._dates = [i for i, name in enumerate(columns) if kinds[name] == "date"]
        self.ints = [name for name in columns if kinds[name] == "int"]
        self._int_slots = [(name, columns.index(name)) for name in self.ints]

    def select_list(self, columns: Iterable[str], alias: str = "t") -> str:
        parts = []
        for name in columns:
            column = f'{alias}."{name}"'
            parts.append(f"CAST({column} AS TEXT)" if self.kinds[name] == "json" else column)
        return ", ".join(parts)

    def to_sqlite(self, columns: list[str], row: Sequence[Any]) -> tuple:
        """A server row (``columns`` in order) as SQLite holds it: booleans 0/1, dates as text."""
        values = list(row)
        for i, name in enumerate(columns):
            value = values[i]
            if value is None:
                continue
            kind = self.kinds[name]
            if kind == "bool":
                values[i] = int(value)
            elif kind == "date" and isinstance(value, date):
                values[i] = value.isoformat()
            elif kind == "blob" and not isinstance(value, bytes):
                values[i] = bytes(value)
        return tuple(values)

    def to_server(self, row: Sequence[Any]) -> dict[str, Any]:
        """An SQLite row (all :attr:`columns` in order) as named parameters for the server."""
        params = {f"c{i}": value for i, value in enumerate(row)}
        for i in self._bools:
            if row[i] is not None:
                params[f"c{i}"] = bool(row[i])
        return params

    def insert_sql(self) -> str:
        names = ", ".join(f'"{c}"' for c in self.columns)
        marks = ", ".join(f":c{i}" for i in range(len(self.columns)))
        return f"INSERT INTO {self.table} ({names}) VALUES ({marks})"

    def update_sql(self) -> str:
        sets = ", ".join(f'"{c}" = :c{i}' for i, c in enumerate(self.columns) if c != "id")
        return f'UPDATE {self.table} SET {sets} WHERE id = :c{self.columns.index("id")}'


@lru_cache(maxsize=None)
def _metadata_columns(table: str) -> dict:
    from inspector.db import models  # noqa: F401  (registers every table)
    from sqlmodel import SQLModel

    return {column.name: column for column in SQLModel.metadata.tables[table].columns}


LOOKUP = "merge_lookup_ids"  # the session's temporary table of ids to look up (dropped at the transaction's end)
PAIRS = "merge_lookup_pairs"  # the same for (table name, row id) pairs: one history query for every table


def lookup_table(connection, ids: Sequence[str]) -> bool:
    """Put ``ids`` into the temporary table :data:`LOOKUP` (by COPY) so one query can join them; False
    when there are few, when COPY is unavailable or in a read-only transaction (a preview): the caller
    then sends ``IN`` lists of :data:`BATCH`. Measured: a merge of 10 files (82,000 new rows) into a
    10,000-inspection server looked its rows up in 160 ``IN`` lists of 1,000 parameters, ~5 s of 28."""
    return _fill_lookup(connection, LOOKUP, "id VARCHAR(36) NOT NULL", ((value,) for value in ids), len(ids))


def lookup_pairs(connection, pairs: Sequence[tuple[str, str]]) -> bool:
    """:func:`lookup_table` for ``(table_name, row_id)`` pairs, into :data:`PAIRS`: the version history of the
    rows of every table is then one join (one pass over ``sync_version``, instead of one per table: measured
    13.5 s -> 3.5 s for 700,000 rows' histories on a 100,000-inspection server with 3 M history rows)."""
    return _fill_lookup(connection, PAIRS, "table_name VARCHAR NOT NULL, row_id VARCHAR(36) NOT NULL", pairs,
                        len(pairs))


def copy_available(connection) -> bool:
    """Whether ``connection`` takes COPY (psycopg on PostgreSQL) and may write temporary tables (not a preview's
    read-only transaction)."""
    if connection.dialect.name != "postgresql" or connection.dialect.driver != "psycopg":
        return False
    return connection.execute(sql("SHOW transaction_read_only")).scalar() != "on"


def _fill_lookup(connection, name: str, columns: str, rows, count: int) -> bool:
    if count <= BATCH or not copy_available(connection):
        return False
    connection.execute(sql(f"CREATE TEMPORARY TABLE IF NOT EXISTS {name} ({columns}) ON COMMIT DROP"))
    connection.execute(sql(f"TRUNCATE {name}"))
    names = ", ".join(column.split()[0] for column in columns.split(", "))
    with connection.connection.driver_connection.cursor() as cursor, \
            cursor.copy(f"COPY {name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    connection.execute(sql(f"ANALYZE {name}"))  # the planner then knows how many it joins
    return True


def fetch_rows(connection, server: ServerTable, columns: list[str], ids: Sequence[str], *,
               lock: bool = False) -> Iterator[tuple]:
    """Server rows (``columns``, SQLite form) of ``server.table`` whose id is in ``ids``;
    ``lock`` takes each row's lock (``FOR UPDATE``) until the transaction ends."""
    select = server.select_list(columns)
    if lookup_table(connection, ids):
        statement = f"SELECT {select} FROM {server.table} AS t WHERE t.id IN (SELECT id FROM {LOOKUP})"
        for row in connection.execute(sql(statement + (" FOR UPDATE" if lock else ""))).fetchall():
            yield server.to_sqlite(columns, row)
        return
    for batch in batches(list(ids)):
        marks, names = in_list("i", len(batch))
        statement = f"SELECT {select} FROM {server.table} AS t WHERE t.id IN {marks}" + (" FOR UPDATE" if lock else "")
        for row in connection.execute(sql(statement), dict(zip(names, batch))):
            yield server.to_sqlite(columns, row)


def out_of_range(server: ServerTable, row: Sequence[Any]) -> str | None:
    """The first integer column of an SQLite row the server cannot store (32-bit INTEGER), or None."""
    low, high = INT_RANGE
    for name, slot in server._int_slots:
        value = row[slot]
        if value.__class__ is int and not low <= value <= high:
            return name
    return None
