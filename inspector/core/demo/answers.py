"""The demo's answered items that did not fail (95 % of its findings), kept compact and written by SQLite itself.

Such a finding copies everything but its id and its result from its list's item and its inspection, and
is never edited again (only hazards are). So the batch keeps, per inspection and list, one string of
result letters (``p`` 合格, ``n`` 不适用, ``f`` a hazard, written elsewhere as a full row) and the
item columns once per list; :func:`insert` hands both to two temporary tables and one
``INSERT … SELECT`` builds the rows in C: no Python tuple and no bound parameter per finding (the
10,000-inspection demo writes ~509,000 of them), and the statement runs without the GIL, so the
generator may go on meanwhile (:meth:`~inspector.core.demo.generate._Batch.write_new`).

The rows equal what the walk-through stores for an answered item: ``seq`` numbers the items in
walk-through order across the inspection's lists, ``created_at = updated_at`` = the inspection's time,
rev 1, the hazard columns empty (level ``general``), status ``pending``. Ids are the batch's time-ordered
version-7 UUIDs of the inspection's time (:class:`~inspector.core.demo.ids.TimeOrderedIds`), one per item in
walk-through order, handed over 36 characters per item (a failed item's is its hazard's id): inspections
are made in time order, so the rows go in at the end of the primary-key index.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from inspector.db.bulk import insert_tuples

#: Result letters of :attr:`Answers.rows` and the result each stands for.
LETTERS = {"pass": "p", "na": "n", "fail": "f"}
#: The finding columns the statement writes, in its order.
COLUMNS = ("id", "seq", "result", "inspection_id", "created_at", "updated_at", "device_id", "rev", "deleted_at",
           "snapshot_id", "item_id", "item_text", "status", "closed_at", "description", "location", "level",
           "major_clause", "requirement", "basis", "deadline", "responsible_person")
_INSERT = (
    f"INSERT INTO finding ({', '.join(COLUMNS)}) "
    "SELECT substr(a.ids, 36 * i.pos + 1, 36), a.first + i.pos + 1, CASE substr(a.results, i.pos + 1, 1) WHEN 'p' THEN 'pass' ELSE 'na' END, "
    "a.inspection_id, a.at, a.at, :device, 1, NULL, i.snapshot_id, i.item_id, i.item_text, 'pending', NULL, "
    "'', '', 'general', '', '', '', NULL, '' "
    "FROM temp.demo_answer AS a CROSS JOIN temp.demo_answer_item AS i ON i.list = a.list AND i.pos < length(a.results) "
    "WHERE substr(a.results, i.pos + 1, 1) <> 'f' ORDER BY a.rowid, i.pos")


class Answers:
    """The answered items of a batch that did not fail: :attr:`count` findings in :attr:`rows`."""

    def __init__(self):
        self._lists: dict[str, int] = {}  # snapshot id -> list key
        self.items: list[tuple] = []  # (list key, position, snapshot id, item id, item text)
        self.rows: list[tuple] = []  # (inspection id, created_at as stored, list key, items before the list, letters, ids)
        self.count = 0
        self._drained = self._pending = 0

    def add(self, inspection_id: str, at: str, snapshot_id: str, checklist, before: int, letters: str,
            ids: str) -> None:
        """The results of the first ``len(letters)`` items of ``checklist`` in an inspection stamped ``at``;
        ``before``: the items of the inspection's earlier lists (its seq numbers continue after them); ``ids``:
        the findings' ids, 36 characters per letter (a failed item's is its hazard's, written elsewhere)."""
        key = self._lists.get(snapshot_id)
        if key is None:
            key = self._lists[snapshot_id] = len(self._lists)
            self.items += [(key, pos, snapshot_id, item.id, item.text) for pos, item in enumerate(checklist.items)]
        self.rows.append((inspection_id, at, key, before, letters, ids))
        written = len(letters) - letters.count("f")
        self.count += written
        self._pending += written

    def drain(self) -> "Chunk":
        """The rows added since the last call, to write (the items as they are now: a copy)."""
        chunk = Chunk(self.items[:], self.rows[self._drained:], self._pending)
        self._drained, self._pending = len(self.rows), 0
        return chunk


@dataclass(frozen=True)
class Chunk:
    items: list[tuple]
    rows: list[tuple]
    count: int  # findings it makes


def finding_rows(answers: Answers, device_id: str):
    """The findings :func:`insert` writes, as tuples in :data:`COLUMNS` order, made in Python (for a database
    that is not SQLite, and for the tests: the two must agree)."""
    items: dict[int, list[tuple]] = {}
    for key, _, snapshot_id, item_id, text in answers.items:
        items.setdefault(key, []).append((snapshot_id, item_id, text))
    results = {letter: result for result, letter in LETTERS.items()}
    for inspection_id, at, key, before, letters, ids in answers.rows:
        for pos, ((snapshot_id, item_id, text), letter) in enumerate(zip(items[key], letters)):
            if letter != "f":
                yield (ids[36 * pos:36 * pos + 36], before + pos + 1, results[letter], inspection_id, at, at, device_id,
                       1, None, snapshot_id, item_id, text, "pending", None, "", "", "general", "", "", "", None, "")


def letters_of(results: list[str]) -> str:
    return "".join([LETTERS[result] for result in results])


def insert(connection: sqlite3.Connection, answers: "Chunk", device_id: str) -> int:
    """Write the findings of a chunk of :class:`Answers` in the caller's transaction (in inspection then
    walk-through order)."""
    if not answers.rows:
        return 0
    connection.execute("CREATE TEMP TABLE demo_answer_item (list INTEGER NOT NULL, pos INTEGER NOT NULL, "
                       "snapshot_id TEXT, item_id TEXT, item_text TEXT, PRIMARY KEY (list, pos)) WITHOUT ROWID")
    connection.execute("CREATE TEMP TABLE demo_answer (inspection_id TEXT, at TEXT, list INTEGER, first INTEGER, "
                       "results TEXT, ids TEXT)")
    try:
        insert_tuples(connection, "temp.demo_answer_item", answers.items, 5)  # no GIL per row (insert_tuples)
        insert_tuples(connection, "temp.demo_answer", answers.rows, 6)
        written = connection.execute(_INSERT, {"device": device_id}).rowcount
    finally:
        connection.execute("DROP TABLE temp.demo_answer")
        connection.execute("DROP TABLE temp.demo_answer_item")
    if written != answers.count:
        raise RuntimeError(f"demo answers: {written} findings written, {answers.count} expected")
    return written
