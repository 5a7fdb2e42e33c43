"""``inspector check`` on the office server: the laptop's checks (:mod:`~inspector.core.sync.integrity`)
with SQL in place of SQLite's PRAGMAs.

* **Schema** (for ``PRAGMA integrity_check`` and the schema comparison): the version stamp is the
  app's, and every table, column, nullability and foreign key of the SQLModel metadata is on the
  server, with no other table (reflected through SQLAlchemy's inspector). PostgreSQL guards its own
  pages; there is no portable page check (``amcheck`` is an extension), so none is made.
* **References** (for ``PRAGMA foreign_key_check``): one orphan query per foreign key of the
  metadata — rows whose reference names no row of the parent table. The server enforces these
  keys, but a restore with triggers disabled, ``session_replication_role = replica`` or a dropped
  constraint lets orphans in; this finds them.
* **Row rules**: every row of every synced table and of the version history against the same
  pydantic rules a merge applies (:mod:`~inspector.core.sync.rules`), over the values in the
  laptop's form (:func:`~inspector.core.sync.server_snapshot.server_batches`); clock stamps no later
  than now plus the skew.
* **Documents**: the void rules of :data:`~inspector.core.sync.guards.DOCUMENT_RULES` (portable SQL)
  run on the server's own tables.
* **Photos**: every JPEG against its SHA-256, streamed in batches.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import inspect, text

from inspector.core.sync.rows import HISTORY_TABLE, SYNC_ORDER

PROBLEMS_PER_TABLE = 20
STAMP_TABLE = "schema_version"


def check_server_database(db) -> list[str]:
    """Problems found, in Chinese, one per line; an empty list means the office database is sound."""
    from sqlalchemy.exc import DBAPIError

    from inspector.core.sync.server_snapshot import snapshot_transaction

    try:
        with snapshot_transaction(db.engine) as connection:  # every check sees one moment of the server
            problems = _version(connection)
            if problems:
                return problems  # an older or newer layout is not judged by this app's rules
            schema = _schema(connection)
            basic = _foreign_keys(connection) + _photo_hashes(connection)
            if schema:
                return schema + basic  # rows of an unknown layout cannot be judged by our rules
            return basic + _rows(connection) + _documents(connection)
    except DBAPIError as exc:
        return [f"办公室数据库无法读取：{db.describe_error(exc)}"]


def _metadata():
    from sqlmodel import SQLModel

    from inspector.db import models  # noqa: F401  (registers every table)

    return SQLModel.metadata


def _version(connection) -> list[str]:
    from inspector.db import migrations

    row = connection.execute(text(f"SELECT version FROM {STAMP_TABLE} WHERE application = 'inspector'")).fetchone()
    if row is None:
        return ["办公室数据库没有本程序的版本标记（schema_version），不是本程序的数据库或已被改动"]
    if int(row[0]) != migrations.latest_version():
        return [f"办公室数据库的数据结构版本为 {row[0]}，本程序为 {migrations.latest_version()}：请用本程序打开一次以升级"]
    return []


def _schema(connection) -> list[str]:
    reflected = inspect(connection)
    expected = _metadata().tables
    found = set(reflected.get_table_names())
    lines = [f"数据结构与本程序不同：多出表 {name}" for name in sorted(found - set(expected) - {STAMP_TABLE})]
    lines += [f"数据结构与本程序不同：缺少表 {name}" for name in sorted(set(expected) - found)]
    for name in sorted(set(expected) & found):
        lines += _table_differences(reflected, expected[name])
    return lines


def _table_differences(reflected, table) -> list[str]:
    columns = {column["name"]: column for column in reflected.get_columns(table.name)}
    lines = []
    for column in table.columns:
        live = columns.pop(column.name, None)
        if live is None:
            lines.append(f"数据结构与本程序不同：表 {table.name} 缺少字段 {column.name}")
        elif bool(live["nullable"]) != bool(column.nullable) and not column.primary_key:
            lines.append(f"数据结构与本程序不同：表 {table.name} 的字段 {column.name} 可否为空与本程序不同")
    lines += [f"数据结构与本程序不同：表 {table.name} 多出字段 {name}" for name in sorted(columns)]
    live_keys = {(tuple(fk["constrained_columns"]), fk["referred_table"]) for fk in reflected.get_foreign_keys(table.name)}
    for key in table.foreign_key_constraints:
        wanted = (tuple(column.name for column in key.columns), key.referred_table.name)
        if wanted not in live_keys:
            lines.append(f"数据结构与本程序不同：表 {table.name} 缺少外键 {', '.join(wanted[0])} → {wanted[1]}")
    return lines


def _foreign_keys(connection) -> list[str]:
    """One query per foreign key of the metadata: child rows naming a parent row that does not exist."""
    lines = []
    for table in _metadata().sorted_tables:
        key_columns = [column.name for column in table.primary_key.columns]
        for key in table.foreign_keys:
            child, parent = key.parent.name, key.column
            sql = (f'SELECT {", ".join(f"c.{name}" for name in key_columns)}, c."{child}" FROM "{table.name}" AS c '
                   f'WHERE c."{child}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "{parent.table.name}" AS p '
                   f'WHERE p."{parent.name}" = c."{child}") ORDER BY 1 LIMIT {PROBLEMS_PER_TABLE}')
            for row in connection.execute(text(sql)):
                row_id = "/".join(str(value) for value in row[:-1])
                lines.append(f"表 {table.name} 的记录（{row_id}）的 {child} 引用了不存在的 "
                             f"{parent.table.name} 记录 {row[-1]}")
    return lines


def _rows(connection) -> list[str]:
    """Every row against its table's rules; clock stamps may not be later than now (plus the skew)."""
    from inspector.core.sync.integrity import rule_problem_lines
    from inspector.core.sync.rules import Bounds
    from inspector.core.sync.server_snapshot import server_batches

    bounds, lines = Bounds.now(), []
    tables = _metadata().tables
    for table in (*SYNC_ORDER, HISTORY_TABLE):
        columns = [c.name for c in tables[table].columns if c.name not in ("jpeg", "pdf")]  # hashed below
        lines += rule_problem_lines(table, columns, server_batches(connection, table, columns), bounds)
    return lines


def _documents(connection) -> list[str]:
    from inspector.core.sync.guards import DOCUMENT_RULES, Violation

    lines = []
    for what, table, sql in DOCUMENT_RULES:
        query = sql.format(notice="notice", number="document_number") + f" LIMIT {PROBLEMS_PER_TABLE}"
        lines += [Violation(table, row[0], what).sentence() for row in connection.execute(text(query))]
    return lines


def _photo_hashes(connection, batch: int = 100) -> list[str]:
    problems = []
    result = connection.execution_options(stream_results=True, yield_per=batch).execute(
        text("SELECT id, jpeg, jpeg_sha256 FROM photo"))
    for photo_id, jpeg, expected in result:
        actual = hashlib.sha256(bytes(jpeg)).hexdigest() if jpeg is not None else None
        if actual != expected:
            problems.append(f"照片 {photo_id} 的内容与登记的 SHA-256 不符（照片数据已损坏）")
    return problems
