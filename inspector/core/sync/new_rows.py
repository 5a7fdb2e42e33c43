"""Rows new everywhere, written by ``INSERT … SELECT`` before the planner compares the rest.

A row of an incoming file whose id is neither in the local table nor in any other file of the merge is
"added" whatever its version: nothing to compare, no conflict, no overlay. Most rows of a merge are such
rows, so the merge writes them first, straight from the attached file, as the plain ``INSERT … SELECT``
baseline does, while the rows are still being checked and hashed on another thread (the transaction
commits only after every check has passed; a refusal rolls it back). Only the rows known on both sides
go through :func:`~inspector.core.sync.plan.plan_files` and the upserts.

Documents, numbers and number blocks are left to the planner: the document rules compare the local
state before the merge with the merged one, and number claims follow the plan.

The ids are found in the file's id index (not past a photo's blobs), the rows are written from a scan of its
table (``NOT INDEXED``), as the verification reads them: a row is written only if its own id was found, and
a count that disagrees (an index that lists a row the table lacks) refuses the file; a row the index misses
is planned like any other (:func:`~inspector.core.sync.merge.write` counts its upserts too).
"""

from __future__ import annotations

import sqlite3

from inspector.core.sync.rows import SYNC_ORDER

TEMP = "temp.merge_new"
#: Tables whose new rows are written ahead of the plan.
TABLES = tuple(t for t in SYNC_ORDER if t not in ("notice", "document_number", "number_block"))


def find(connection: sqlite3.Connection, aliases: list[str]) -> None:
    """Fill :data:`TEMP` with (table, id, file index) of every row found in one file only and not locally."""
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS merge_new (table_name TEXT NOT NULL, id TEXT NOT NULL, "
                       "file INTEGER NOT NULL, PRIMARY KEY (table_name, id)) WITHOUT ROWID")
    connection.execute(f"DELETE FROM {TEMP}")
    for number, alias in enumerate(aliases):
        for table in TABLES:
            connection.execute(
                f"INSERT INTO {TEMP} (table_name, id, file) SELECT ?, i.id, ? FROM {alias}.{table} AS i "
                f"WHERE NOT EXISTS (SELECT 1 FROM main.{table} AS m WHERE m.id = i.id) "
                "ON CONFLICT (table_name, id) DO UPDATE SET file = -1", (table, number))
    connection.execute(f"DELETE FROM {TEMP} WHERE file = -1")  # in two files (or twice in one): planned


def ids_sql(table: str, number: int) -> str:
    return f"SELECT id FROM {TEMP} WHERE table_name = '{table}' AND file = {int(number)}"


def write(connection: sqlite3.Connection, aliases: list[str], columns: dict[str, list[str]], journal,
          keeps_stamps: bool, names: list[str], after_table=lambda table: None,
          stopped=lambda: False) -> list[dict[str, set[str]]]:
    """Journal (as added) and insert the rows :func:`find` listed; returns, per file, table -> ids written.
    ``names``: the files' names for messages; ``stopped``: checked between statements."""
    from inspector.core.sync import stamps
    from inspector.core.sync.verify import ExportRefused

    for table in TABLES:
        listed = ", ".join(f'"{c}"' for c in columns[table])
        for number, alias in enumerate(aliases):
            if stopped():
                return []
            keys = ids_sql(table, number)
            journal.added(table, keys)
            if keeps_stamps:  # none, unless a stamp outlived its row: undo puts back exactly what was
                journal.save(stamps.STAMPS, f"SELECT table_name, id AS row_id FROM {TEMP} "
                             f"WHERE table_name = '{table}' AND file = {number}")
            expected = connection.execute(f"SELECT count(*) FROM ({keys})").fetchone()[0]
            if not expected:
                continue
            try:
                written = connection.execute(
                    f"INSERT INTO main.{table} ({listed}) SELECT {listed} FROM {alias}.{table} AS i NOT INDEXED "
                    f"WHERE i.id IN ({keys})").rowcount
            except sqlite3.IntegrityError as exc:
                raise ExportRefused(f"{names[number]} 中{table}表的记录无法写入（{exc}），所有文件均未合并，数据库未改动。") from exc
            if written != expected:
                raise ExportRefused(f"{names[number]} 中{table}表的记录重复或索引已损坏，所有文件均未合并，数据库未改动。")
        after_table(table)
    written: list[dict[str, set[str]]] = [{} for _ in aliases]
    for table, row_id, number in connection.execute(f"SELECT table_name, id, file FROM {TEMP}"):
        written[number].setdefault(table, set()).add(row_id)
    return written
