"""New rows into the server by binary ``COPY … FROM STDIN``: measured faster than ``executemany`` INSERT.

Measured with ``benchmarks/bench_pg_merge.py`` (200 inspections, 2,000 findings, 1,000 photos): the
merge's inserts through ``executemany`` took about as long as a plain executemany load (1.3× a
binary COPY of the same rows), and the whole merge came to 2.0× COPY; with the inserts sent by COPY
it is measured in docs/office-postgresql.md. Text-format COPY is slower than executemany here (every
JPEG goes hex-encoded), so this is the binary form, with each column's server type given.

COPY is what PostgreSQL (and KingbaseES and openGauss, which derive from it) offer for bulk loads,
but it is a driver feature, not SQL: :func:`copy_rows` returns False for any connection that is not
psycopg on PostgreSQL, and the caller falls back to ``executemany`` INSERT. It runs inside the
merge's transaction like any statement (a failed COPY aborts the merge, nothing is kept).
"""

from __future__ import annotations

from datetime import date

#: The server type of each kind of column (``ServerTable.kinds``), as the baseline declares them.
SERVER_TYPES = {"text": "varchar", "int": "int4", "bool": "bool", "date": "date", "json": "json", "blob": "bytea"}


def _verbatim(text: str) -> str:
    return text


def copy_rows(server, server_table, rows: list[tuple]) -> bool:
    """COPY SQLite-form ``rows`` (all columns, in ``server_table.columns`` order); False if COPY is unavailable."""
    if server.dialect.name != "postgresql" or server.dialect.driver != "psycopg":
        return False
    from psycopg.types.json import Json

    raw = server.connection.driver_connection
    columns = server_table.columns
    kinds = [server_table.kinds[name] for name in columns]
    names = ", ".join(f'"{name}"' for name in columns)
    with raw.cursor() as cursor, cursor.copy(f"COPY {server_table.table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types([SERVER_TYPES[kind] for kind in kinds])
        converted = [(i, kind) for i, kind in enumerate(kinds) if kind in ("bool", "date", "json")]
        for row in rows:
            values = list(row)
            for i, kind in converted:
                value = values[i]
                if value is None:
                    continue
                if kind == "bool":
                    values[i] = bool(value)
                elif kind == "date":
                    values[i] = date.fromisoformat(value)
                else:  # JSON exactly as the file holds it: the version hash is over this text
                    values[i] = Json(value, dumps=_verbatim)
            copy.write_row(values)
    return True
