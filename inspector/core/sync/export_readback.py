"""The read-back of a written export: which rows its check rehashes, and the check itself run in two threads.

:func:`samples` picks the rows (both the full and the partial export); :func:`verify_copy` is
:func:`~.verify.verify_written` with the ``quick_check`` of the b-trees the export wrote on a thread of its own.
"""

from __future__ import annotations

import sqlite3

from inspector.core.sync import stamps
from inspector.core.sync.rows import SYNC_ORDER


def samples(connection: sqlite3.Connection, per_table: int = 40, versions: str | None = None) -> list[tuple[str, str, str]]:
    """Rows whose stamps the check of the written file rehashes: the most recently written and some at random.
    Their versions come from the copy's own stamps, or from ``versions`` (a table of ``table_name, row_id,
    version``, e.g. the staged current versions of a partial export)."""
    source = versions or f"out.{stamps.STAMPS}"
    picked = []
    for table in SYNC_ORDER:
        recent = "" if table == "checklist_snapshot" else "ORDER BY t.updated_at DESC"
        # a window at a random place of the table (by rowid: a random UUID as the start of an id range sorts
        # after nearly every time-ordered id, and that window came back empty)
        window = (f"WHERE t.rowid >= (SELECT min(rowid) + abs(random()) % max(1, max(rowid) - min(rowid) - ? + 2) "
                  f"FROM out.{table})")
        for where, order in (("", recent), (window, "ORDER BY t.rowid")):
            start = (per_table,) if where else ()
            picked += connection.execute(
                f"SELECT ?, t.id, s.version FROM out.{table} AS t LEFT JOIN {source} AS s "
                f"ON s.table_name = ? AND s.row_id = t.id {where} {order} LIMIT ?",
                (table, table, *start, per_table)).fetchall()
    return list(dict.fromkeys(picked))


def verify_copy(path, manifest, samples, manifest_text: str, written: tuple[str, ...],
                verify_written=None) -> None:
    """:func:`~.verify.verify_written` of a full export, with ``quick_check`` of the b-trees it wrote (``written``)
    run by a thread and reader of its own beside the other checks (both read the page cache outside the GIL;
    the history's b-tree alone is 0.57 s CPU at 100,000 inspections): the same checks, the same refusals."""
    import threading

    from inspector.core.sync import verify

    verify_written = verify_written or verify.verify_written  # the caller's (export's own name for it)
    ExportRefused, open_readonly = verify.ExportRefused, verify.open_readonly

    errors: list[BaseException] = []

    def trees() -> None:
        try:
            connection = open_readonly(path)
            try:
                verify._check_written_trees(connection, path, written)
            finally:
                connection.close()
        except sqlite3.DatabaseError as exc:
            errors.append(ExportRefused(f"{path.name} 写入后无法读取（{exc}）。"))
        except BaseException as exc:  # noqa: BLE001 - raised by the waiting thread
            errors.append(exc)

    checker = threading.Thread(target=trees, name="export-trees", daemon=True)
    checker.start()
    try:
        verify_written(path, manifest, samples, manifest_text, written=())  # every check but the trees'
    finally:
        checker.join()
    if errors:
        raise errors[0]
