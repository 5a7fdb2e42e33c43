"""The inside of a full export: the snapshot copy ``out`` finished from its own stamps, in one pass per table.

The copy holds the live database's ``sync_stamp`` (every synced row's current version, kept on write)
and ``sync_version`` (the history, ``seen_seq`` included) as they were at the snapshot. Nothing row-sized
is staged, and most of the reading is done on the snapshot itself while the kernel copies it
(:func:`~.snapshot.snapshot`: two readers hold it):

1. The checking reader first gives its :class:`Verdict` (:func:`snapshot_verdict`): per table, the stamps
   are one per row (counts, and one merge of the id index with the stamps); and no stamp whose version the
   history lacks is outside ``local_change`` (:func:`unlisted_unrecorded`) — the invariant that lets the
   carried versions be taken from the listed rows. Then the manifest's photo and PDF lists and their JSON
   (:func:`snapshot_blobs`, off the main thread's serial finish), then ``quick_check``.
2. Meanwhile :func:`snapshot_rows_digest` streams the stamps of each table in id order into the content
   digest (lines made by SQLite). With the verdict in, and when the carried versions — those the history
   lacks, from the listed rows — are few, the history part follows, read in key order with the carried
   merged in their places (:func:`_merged_history_digest`): the copy then only gets them added
   (:func:`_add_carried_to_history`, seen at the export's own operation number).
3. Otherwise the copy does the rest: a table whose stamps disagree is repaired from the rows
   (:func:`_reconcile`) and digested there (:func:`_rows_digest`, stamps checked against the ids in the
   same pass); the carried versions come from the listed rows, or, when the verdict found a version they do
   not explain (a bug: logged), from every stamp (:func:`_unrecorded`); then :func:`_history_digest`.
   Either way the digest is exactly :func:`~.manifest.content_digest` over the file's rows and history.

``temp.sync_carried`` is also exactly what :func:`~.export._record` adds to the local history after the
rename, so the file's history is the local history as the export leaves it. ``seen_seq`` stays as the
live file has it: a receiver records its own operation number for everything it merges (docs/performance.md,
"Export, round 5"). Before all this the free pages the copy brought are zeroed
(:func:`~.snapshot.scrub_free_pages`); at the end the samples that :func:`~.verify.verify_written` rehashes
are read from the copy's stamps, then every local table is emptied (:func:`~.snapshot.drop_local_tables`).
The file is then read back by :func:`~.export_readback.verify_copy` (the b-trees it wrote checked in a thread
of their own).
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Mapping

from inspector.core.sync import stamps
from inspector.core.sync.export_readback import samples
from inspector.core.sync.manifest import Manifest, blob_hashes
from inspector.core.sync.rows import HISTORY_TABLE, SYNC_ORDER, TableSpec, table_specs
from inspector.core.sync.snapshot import drop_local_tables, scrub_free_pages

CARRIED = "temp.sync_carried"
BATCH = 5000
FEW = 5000  # carried versions up to which the history part is digested from the snapshot, during the copy
log = logging.getLogger(__name__)


class StampsDisagree(Exception):
    """The stamps of ``table`` in the copy are not one per row (a stamp missing or left over)."""

    def __init__(self, table: str):
        super().__init__(table)
        self.table = table


def build(connection: sqlite3.Connection, seq: int, step=None, rows_digest=None, verdict=None):
    """Finish ``out`` (attached, inside the caller's transaction): returns counts, content digest, samples,
    and the tables whose b-trees this wrote (the history, every local table, the schema table).
    ``rows_digest``: the row part made from the stamps of the snapshot the copy is of (:func:`snapshot_rows_digest`),
    used when ``verdict()`` (:func:`snapshot_verdict` on that snapshot) found them one per row. ``seq``: this
    export's operation number, which the versions it adds to the file's history are seen at (as
    :func:`~.export._record` records them here)."""
    scrub_free_pages(connection)  # before anything here takes a free page
    connection.execute("PRAGMA out.secure_delete=ON")  # what is deleted from now on is zeroed
    specs = table_specs(connection, "out")
    stamps.refresh(connection, specs, "out")
    found = verdict() if verdict and rows_digest else None
    if found is None or found.disagree:  # the stamps checked and repaired in the copy, the digest made there
        rows_digest, found = None, None
    digest, counts = (rows_digest.digest, rows_digest.counts) if rows_digest else _digest_rows(connection, specs)
    if step:
        step(len(SYNC_ORDER))
    if rows_digest and rows_digest.carried is not None:  # the history part too, with these carried
        _add_carried_to_history(connection, seq, rows_digest.carried)
        counts[HISTORY_TABLE] = rows_digest.history
    else:
        _add_current_to_history(connection, seq, found is not None and _listed_suffice(found.unlisted))
        counts[HISTORY_TABLE] = _history_digest(connection, digest)
    picked = samples(connection)  # the rows the read-back rehashes
    local = drop_local_tables(connection)
    if step:
        step(len(SYNC_ORDER))
    return counts, digest.hexdigest(), picked, (HISTORY_TABLE, *local, "sqlite_schema")


def _listed_suffice(found: int) -> bool:
    """The versions the history lacks can be taken from the local changes: none lies outside them."""
    if found:
        log.warning("export: %d current versions are neither in the history nor listed as local changes "
                    "(the stamps' invariant is broken); the export finds them over every stamp instead", found)
    return found == 0


@dataclass(frozen=True)
class Verdict:
    """What the checking reader found in the snapshot before its ``quick_check``: the tables whose stamps are
    not one per row, and how many stamps have a version the history lacks on a row not listed as changed."""
    disagree: tuple[str, ...]
    unlisted: int


def snapshot_verdict(reader: sqlite3.Connection) -> Verdict:
    """:class:`Verdict` of the snapshot, by SQLite's work alone (outside the GIL) while the rows are digested:
    per table, as many stamps as rows and no row without its stamp (one merge of the id index and the stamps);
    and the stamps that :func:`unlisted_unrecorded` counts."""
    disagree = []
    for table in SYNC_ORDER:
        rows = reader.execute(f"SELECT count(*) FROM main.{table}").fetchone()[0]
        stamped = reader.execute(f"SELECT count(*) FROM main.{stamps.STAMPS} WHERE table_name = ?", (table,)).fetchone()[0]
        unstamped = reader.execute(
            f"SELECT count(*) FROM (SELECT id FROM main.{table} EXCEPT SELECT row_id FROM main.{stamps.STAMPS} "
            "WHERE table_name = ? ORDER BY 1)", (table,)).fetchone()[0]
        if rows != stamped or unstamped:
            disagree.append(table)
    return Verdict(tuple(disagree), unlisted_unrecorded(reader))


@dataclass(frozen=True)
class Blobs:
    """The manifest's photo and PDF lists (:func:`~.manifest.blob_hashes`) and their JSON text, as
    :func:`~.verify.manifest_json` writes them inside the manifest (sorted keys)."""
    photos: dict[str, str]
    notices: dict[str, str]
    photos_json: str
    notices_json: str


def snapshot_blobs(reader: sqlite3.Connection) -> Blobs:
    """:class:`Blobs` of the snapshot, read by the checking reader after its verdict and before its ``quick_check``:
    off the main thread, whose finishing steps after the copy are the export's critical path (47,000 photos: the
    lists 0.1–0.14 s CPU, their JSON 0.14–0.2 s). The copy is a byte copy of that snapshot and the export never
    writes the photo or notice tables; :func:`~.verify.verify_written` compares the lists with the written file."""
    photos = blob_hashes(reader, "photo", "jpeg_sha256", "main")
    notices = blob_hashes(reader, "notice", "pdf_sha256", "main")
    return Blobs(photos, notices, _json(photos), _json(notices))


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)  # as verify.manifest_json writes a nested map


def manifest_text(manifest: Manifest, blobs=None) -> str:
    """:func:`~.verify.manifest_json` of ``manifest``, byte for byte; with ``blobs`` (:class:`~.full_export.Blobs`
    of the same lists) their JSON, made beforehand on the checking thread, takes the place of a unique mark."""
    import dataclasses

    from inspector.core.sync.verify import manifest_json

    if blobs is None:
        return manifest_json(manifest)

    marks = {name: f"\x00{name}-{uuid.uuid4()}" for name in ("photos", "notices")}  # escaped: \u0000 in JSON
    text = manifest_json(dataclasses.replace(manifest, **marks))
    for name, made in (("photos", blobs.photos_json), ("notices", blobs.notices_json)):
        mark = _json(marks[name])
        if text.count(mark) != 1:
            return manifest_json(manifest)
        text = text.replace(mark, made)
    return text


def unlisted_unrecorded(reader: sqlite3.Connection) -> int:
    """Stamps of the snapshot whose version the history lacks and whose row is not listed in ``local_change``:
    0 by the invariant that the triggers, merges and migrations keep (only a row written here since an
    export or merge saw it can have a current version the history lacks, and that row is listed)."""
    return reader.execute(
        f"SELECT count(*) FROM ({_unrecorded('main')}) AS m WHERE NOT EXISTS (SELECT 1 FROM main.{stamps.CHANGES} "
        "AS c WHERE c.table_name = m.table_name AND c.row_id = m.row_id)").fetchone()[0]


def _listed_unrecorded(schema: str) -> str:
    """The current versions the history lacks of the rows listed in ``local_change`` (a few index lookups)."""
    return (f"SELECT s.table_name, s.row_id, s.version FROM {schema}.{stamps.CHANGES} AS c "
            f"JOIN {schema}.{stamps.STAMPS} AS s ON s.table_name = c.table_name AND s.row_id = c.row_id "
            f"WHERE NOT EXISTS (SELECT 1 FROM {schema}.{HISTORY_TABLE} AS v WHERE v.table_name = s.table_name "
            "AND v.row_id = s.row_id AND v.version = s.version)")


def _unrecorded(schema: str) -> str:
    """The stamps whose version the history lacks, as one merge of the two in key order: both are WITHOUT ROWID
    tables keyed in that order, so SQLite walks them side by side (``MERGE (EXCEPT)``, no sorting) instead of
    looking every stamp up in the history (10,000 inspections, 698,000 stamps: 0.14 s against 0.35 s CPU)."""
    return (f"SELECT table_name, row_id, version FROM {schema}.{stamps.STAMPS} EXCEPT "
            f"SELECT table_name, row_id, version FROM {schema}.{HISTORY_TABLE} ORDER BY 1, 2, 3")


def _digest_rows(connection: sqlite3.Connection, specs: Mapping[str, TableSpec]):
    """The row part of the content digest; repairs the stamps of a table whose ids they do not match."""
    repaired: set[str] = set()
    while True:
        digest = hashlib.sha256()
        try:
            return digest, {table: _rows_digest(connection, digest, table) for table in SYNC_ORDER}
        except StampsDisagree as exc:
            if exc.table in repaired:  # repaired once and still not one per row: a bug, not a stale stamp
                raise sqlite3.DatabaseError(f"stamps of {exc.table} do not match its rows") from exc
            repaired.add(exc.table)
            _reconcile(connection, specs[exc.table])


@dataclass
class Streamed:
    """What was digested from the snapshot while the kernel copied it: the running digest and the rows per
    table; and, when few versions were carried (``carried`` not None), the history part too (``history``
    entries, the carried versions merged in their place)."""
    digest: object
    counts: dict[str, int]
    carried: list[tuple[str, str, str]] | None = None
    history: int = 0


def snapshot_rows_digest(reader: sqlite3.Connection, verdict=None) -> Streamed:
    """The row part of the digest from the stamps of the live database's snapshot that the file is a copy of
    (run while the kernel copies it) with the stamps per table. It is the digest of the file's rows when the
    stamps are one per row, which :func:`snapshot_verdict` checks meanwhile. When ``verdict()`` finds them so
    and the versions the history lacks are all listed local changes, and few, the history part follows."""
    digest, counts, lines = hashlib.sha256(), {}, _Lines(reader, "main")
    for table in SYNC_ORDER:
        counts[table] = lines.feed(digest, f"SELECT {lines.of('row_id', 'version')} FROM main.{stamps.STAMPS} "
                                           "WHERE table_name = ? ORDER BY row_id", (table,), f"r\t{table}\t")
    streamed = Streamed(digest, counts)
    found = verdict() if verdict else None
    if found is not None and not found.disagree and found.unlisted == 0:
        carried = reader.execute(f"{_listed_unrecorded('main')} ORDER BY 1, 2, 3 LIMIT ?", (FEW + 1,)).fetchall()
        if len(carried) <= FEW:
            streamed.carried, streamed.history = carried, _merged_history_digest(reader, digest, carried, lines)
    return streamed


def _merged_history_digest(reader: sqlite3.Connection, digest, carried, lines: "_Lines", schema: str = "main") -> int:
    """Digest lines of the history of ``schema`` with ``carried`` (sorted, none in the history) in their places:
    the history of the file once they are added; returns the entries. Read table by table (its names found by
    a skip-scan of the key), each in key order between the carried entries of that table (SQLite compares the
    keys: the ORDER BY's own order), and fetched without the ``h``, the table name and the newline, which the
    lines of one table share (:meth:`_Lines.feed`: 698,000 lines 0.85 -> 0.74 s CPU, fewer concatenations)."""
    by_table: dict[str, list] = {}
    for entry in carried:
        by_table.setdefault(entry[0], []).append(entry)
    select = f"SELECT {lines.of('row_id', 'version')} FROM {schema}.{HISTORY_TABLE} WHERE table_name = ?"
    count = 0
    for table in sorted(set(_history_tables(reader, schema)) | by_table.keys()):  # names are ASCII: SQLite's order
        after = None
        for entry in [*by_table.get(table, ()), None]:
            where = " AND (row_id, version) > (?, ?)" * (after is not None) + \
                " AND (row_id, version) < (?, ?)" * (entry is not None)
            params = (table, *(after[1:] if after else ()), *(entry[1:] if entry else ()))
            count += lines.feed(digest, f"{select}{where} ORDER BY row_id, version", params, f"h\t{table}\t")
            if entry is not None:
                digest.update("h\t{}\t{}\t{}\n".format(*entry).encode("utf-8"))
                count += 1
            after = entry
    return count


def _history_tables(connection: sqlite3.Connection, schema: str) -> list[str]:
    """The table names in the history of ``schema``, in key order: one index seek each (a skip-scan)."""
    sql = f"SELECT table_name FROM {schema}.{HISTORY_TABLE}"
    found = connection.execute(f"{sql} ORDER BY table_name LIMIT 1").fetchone()
    names = []
    while found is not None:
        names.append(found[0])
        found = connection.execute(f"{sql} WHERE table_name > ? ORDER BY table_name LIMIT 1", found).fetchone()
    return names


class _Lines:
    """Digest lines made by SQLite, one value per line to fetch: as UTF-8 bytes straight from a UTF-8 database
    (no text decoded and encoded again: 0.55 -> 0.45 s CPU for 698,000 lines), as text otherwise. SQLite makes
    only what differs between the lines of one query (``of``); :meth:`feed` adds their common start and the
    newlines by one ``join`` per batch."""

    def __init__(self, connection: sqlite3.Connection, schema: str):
        self.raw = connection.execute(f"PRAGMA {schema}.encoding").fetchone()[0] == "UTF-8"
        self.connection = connection

    def of(self, *parts: str) -> str:
        line = " || char(9) || ".join(parts)
        return f"CAST({line} AS BLOB)" if self.raw else line

    def feed(self, digest, sql: str, params=(), prefix: str = "") -> int:
        """Digest the lines ``prefix`` + value + newline of the values ``sql`` selects; returns how many."""
        cursor, count = self.connection.execute(sql, params), 0
        head, between, end = prefix, "\n" + prefix, "\n"
        if self.raw:
            head, between, end = head.encode("utf-8"), between.encode("utf-8"), b"\n"
        while batch := cursor.fetchmany(BATCH):
            count += len(batch)
            text = head + between.join([value for (value,) in batch]) + end
            digest.update(text if self.raw else text.encode("utf-8"))
        return count


def _rows_digest(connection: sqlite3.Connection, digest, table: str, schema: str = "out") -> int:
    """Digest lines of ``table``'s stamps, checked one per row; returns the rows."""
    stamped = connection.execute(f"SELECT row_id, version FROM {schema}.{stamps.STAMPS} WHERE table_name = ? "
                                 "ORDER BY row_id", (table,))
    ids = connection.execute(f"SELECT id FROM {schema}.{table} ORDER BY id")  # the id index: BINARY, as the stamps
    prefix, count = f"r\t{table}\t", 0
    while True:
        batch, rows = stamped.fetchmany(BATCH), ids.fetchmany(BATCH)
        if not batch and not rows:
            return count
        count += len(batch)
        if len(batch) != len(rows) or next(zip(*batch)) != next(zip(*rows)):
            raise StampsDisagree(table)
        digest.update("".join(f"{prefix}{row_id}\t{version}\n" for row_id, version in batch).encode("utf-8"))


def _reconcile(connection: sqlite3.Connection, spec: TableSpec) -> None:
    """Stamps of ``spec``'s table in ``out`` made one per row: left-over ones removed, missing ones hashed."""
    table = spec.table
    connection.execute(f"DELETE FROM out.{stamps.STAMPS} WHERE table_name = ? AND row_id NOT IN "
                       f"(SELECT id FROM out.{table})", (table,))
    missing = (f"SELECT c.id FROM out.{table} AS c WHERE NOT EXISTS (SELECT 1 FROM out.{stamps.STAMPS} AS s "
               "WHERE s.table_name = ? AND s.row_id = c.id)")
    for fresh in stamps.hashed_batches(connection, spec, missing, (table,), "out", key="c.id"):  # bounded memory
        stamps.put(connection, ((table, row_id, v.digest) for row_id, v in fresh.items()), "out")


def _add_current_to_history(connection: sqlite3.Connection, seq: int, listed: bool) -> None:
    """The current versions the history lacks into ``temp.sync_carried`` and ``out``'s history, seen at ``seq``.
    ``listed``: take them from the rows listed in ``local_change`` (a few index lookups) instead of over every
    stamp; only when :func:`unlisted_unrecorded` found none outside them, so both give the same versions."""
    connection.execute(f"CREATE TABLE IF NOT EXISTS {CARRIED} (table_name TEXT NOT NULL, row_id TEXT NOT NULL, "
                       "version TEXT NOT NULL)")
    connection.execute(f"DELETE FROM {CARRIED}")
    if listed:
        connection.execute(f"INSERT INTO {CARRIED} {_listed_unrecorded('out')}")
    else:
        connection.execute(f"INSERT INTO {CARRIED} {_unrecorded('out')}")
    connection.execute(f"INSERT OR IGNORE INTO out.{HISTORY_TABLE} SELECT table_name, row_id, version, ? "
                       f"FROM {CARRIED}", (seq,))


def _add_carried_to_history(connection: sqlite3.Connection, seq: int, carried: list[tuple[str, str, str]]) -> None:
    """``carried`` (found in the snapshot, digested already) into ``temp.sync_carried`` and ``out``'s history."""
    connection.execute(f"CREATE TABLE IF NOT EXISTS {CARRIED} (table_name TEXT NOT NULL, row_id TEXT NOT NULL, "
                       "version TEXT NOT NULL)")
    connection.execute(f"DELETE FROM {CARRIED}")
    connection.executemany(f"INSERT INTO {CARRIED} VALUES (?, ?, ?)", carried)
    inserted = connection.execute(f"INSERT OR IGNORE INTO out.{HISTORY_TABLE} SELECT table_name, row_id, version, ? "
                                  f"FROM {CARRIED}", (seq,)).rowcount
    if inserted != len(carried):  # the copy is not the snapshot the digest was made from
        raise sqlite3.DatabaseError("the copy's history differs from the snapshot's")


def _history_digest(connection: sqlite3.Connection, digest) -> int:
    """Digest lines of ``out``'s history; returns the entries."""
    return _merged_history_digest(connection, digest, (), _Lines(connection, "out"), "out")
