"""Rules across rows, checked before a merge writes anything and by ``check``.

* References: every incoming row that will be written must find the rows its foreign keys name,
  locally or in one of the files being merged (otherwise the transaction would fail at COMMIT).
* Documents: voiding happens only through the void flow, which voids the notice and its number
  together and gives a reason. So, in the state a merge would leave (local rows overlaid by the
  winning incoming ones) and in any sound database: a voided notice has a reason and its number is
  voided too; a voided number has a reason and its notice is no longer valid; a notice has one
  number. An export that voids a number while its notice stays valid is refused.

The document rules are SQL over two tables of (id, status, number_id, void_reason) and
(id, notice_id, voided_at, void_reason, deleted_at), so one declaration serves the merge (over temporary
tables of the merged state) and the integrity check (over the database's own tables).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from inspector.core.sync.rows import SYNC_ORDER

#: (what is wrong, table named in the message, SQL giving the offending row ids).
DOCUMENT_RULES = (
    ("已作废但没有作废原因", "notice",
     "SELECT id FROM {notice} WHERE status = 'voided' AND trim(void_reason) = ''"),
    ("已作废，但其文号未作废（作废须经作废流程）", "notice",
     "SELECT n.id FROM {notice} n JOIN {number} d ON d.id = n.number_id "
     "WHERE n.status = 'voided' AND d.voided_at IS NULL"),
    ("已作废但没有作废原因", "document_number",
     "SELECT id FROM {number} WHERE voided_at IS NOT NULL AND trim(void_reason) = ''"),
    ("已作废，但使用它的文书仍然有效（作废须经作废流程，文书与文号一起作废）", "document_number",
     "SELECT d.id FROM {number} d JOIN {notice} n ON n.id = d.notice_id "
     "WHERE d.voided_at IS NOT NULL AND n.status = 'issued'"),
    ("有不止一个文号（一份文书只取一个号）", "notice",
     "SELECT notice_id FROM {number} WHERE notice_id IS NOT NULL AND deleted_at IS NULL "
     "GROUP BY notice_id HAVING count(*) > 1"),
)
NOTICE_COLUMNS = ("id", "status", "number_id", "void_reason")
NUMBER_COLUMNS = ("id", "notice_id", "voided_at", "void_reason", "deleted_at")


@dataclass(frozen=True)
class Violation:
    table: str
    row_id: str
    what: str

    def sentence(self) -> str:
        from inspector.core.sync.report import TABLE_NAMES

        return f"{TABLE_NAMES.get(self.table, self.table)}表的记录 {self.row_id} {self.what}"


def document_violations(connection: sqlite3.Connection, notice: str, number: str, limit: int = 20) -> list[Violation]:
    found = []
    for what, table, sql in DOCUMENT_RULES:
        rows = connection.execute(sql.format(notice=notice, number=number) + f" LIMIT {int(limit)}").fetchall()
        found += [Violation(table, row[0], what) for row in rows]
    return found


def merged_documents(connection: sqlite3.Connection, upserts: list[tuple[str, dict[str, list[str]]]]) -> None:
    """``temp.final_notice`` / ``temp.final_number``: the document rows as the merge would leave them.

    ``upserts`` lists, in merge order, each attached file's alias and the ids it wins per table.
    """
    for table, final, columns in (("notice", "final_notice", NOTICE_COLUMNS),
                                  ("document_number", "final_number", NUMBER_COLUMNS)):
        names = ", ".join(columns)
        connection.execute(f"DROP TABLE IF EXISTS temp.{final}")
        connection.execute(f"CREATE TEMP TABLE {final} AS SELECT {names} FROM main.{table}")
        connection.execute(f"CREATE UNIQUE INDEX temp.{final}_id ON {final} (id)")
        for alias, ids in upserts:
            chosen = ids.get(table)
            if chosen:
                _fill_ids(connection, chosen)
                connection.execute(f"INSERT OR REPLACE INTO temp.{final} ({names}) SELECT {names} FROM {alias}.{table} "
                                   "WHERE id IN (SELECT id FROM temp.guard_ids)")


def missing_parents(connection: sqlite3.Connection, alias: str, upserts: dict[str, list[str]],
                    aliases: list[str]) -> tuple[str, str, str, str] | None:
    """(table, row id, parent table, missing id) of the first written row whose parent exists nowhere.
    ``upserts``: table -> ids of rows of the file ``alias`` (each once)."""
    for table in SYNC_ORDER:
        ids = upserts.get(table)
        if not ids:
            continue
        keys = connection.execute(f"PRAGMA main.foreign_key_list({table})").fetchall()
        if not keys:
            continue
        # every row of the file's table (most of a full export): no id table to fill and look each row up in
        chosen = ("" if len(ids) == connection.execute(f"SELECT count(*) FROM {alias}.{table}").fetchone()[0]
                  else "c.id IN (SELECT id FROM temp.guard_ids) AND ")
        if chosen:
            _fill_ids(connection, ids)
        # the row's own file first: where its parent mostly is, so the other schemas are rarely probed
        schemas = [alias, *(schema for schema in ["main", *aliases] if schema != alias)]
        for key in keys:
            parent, column, target = key[2], key[3], key[4] or "id"
            found = " AND ".join(f'c."{column}" NOT IN (SELECT "{target}" FROM {schema}.{parent})'
                                 for schema in schemas)
            row = connection.execute(
                f'SELECT c.id, c."{column}" FROM {alias}.{table} c WHERE {chosen}'
                f'c."{column}" IS NOT NULL AND {found} LIMIT 1').fetchone()
            if row:
                return table, row[0], parent, str(row[1])
    return None


def _fill_ids(connection: sqlite3.Connection, ids: list[str]) -> None:
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS guard_ids (id TEXT PRIMARY KEY) WITHOUT ROWID")
    connection.execute("DELETE FROM temp.guard_ids")
    connection.executemany("INSERT OR IGNORE INTO temp.guard_ids VALUES (?)", ((i,) for i in ids))
