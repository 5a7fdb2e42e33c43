"""Row versions: what a synced table looks like to the sync, how a row version is hashed and ordered.

A *version* of a row is identified by the SHA-256 of its content (:func:`TableSpec.digest`).
Its *body* hash leaves out ``deleted_at`` so that a tombstone made by the merge itself (photo
de-duplication) sorts right above the version it deletes and below every other version.

Versions of one row are totally ordered by :meth:`TableSpec.order_key`:
``(rank, updated_at, rev, device_id, body hash, deleted_at)`` where ``rank`` lets a voided or
superseded notice, and a voided document number, win over the issued one. The merge keeps the
greatest version, so merging is a "max" per row: idempotent, commutative and associative.

Large blobs with a hash column of their own (``photo.jpeg`` → ``jpeg_sha256``, ``notice.pdf`` →
``pdf_sha256``) are represented in the hash by that column; the blobs themselves are checked
against it when a file is exported and again before it is merged.

The hash covers the table's column names: a migration that adds a column to a synced table
changes every version hash of that table. Both sides of a merge are always at the same schema
version, so content still converges; but versions seen before the upgrade no longer match, so a
row edited on one side before the upgrade can be reported once as a conflict. Such a migration
should add the new hash of each row's current version to ``sync_version`` next to the old one
(``sync_rehash:<table>``, :mod:`.rehash`, which also rewrites the table's stamps in ``sync_stamp``:
since schema v7 every row's current version is kept there, see :mod:`.stamps`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from operator import itemgetter
from datetime import datetime, timezone
from typing import Any, Iterator, NamedTuple

#: Synced tables in an order that satisfies every foreign key (parents first).
SYNC_ORDER = (
    "enterprise", "inspector", "checklist_snapshot", "inspection", "finding", "reinspection", "photo",
    "reinspection_item", "hazard_event", "notice", "document_number", "number_block",
)
#: Content-addressed, never edited: copies of one row differ only in when a device first stored it.
IMMUTABLE = frozenset({"checklist_snapshot"})
#: Blob columns represented in the hash by their own SHA-256 column.
TRUSTED_BLOBS = {"photo": ("jpeg", "jpeg_sha256"), "notice": ("pdf", "pdf_sha256")}
#: What an issued notice is: a merge never changes these columns of a notice that exists locally.
NOTICE_FROZEN = (
    "kind", "enterprise_id", "inspection_id", "reinspection_id", "finding_ids", "number_id", "number_text",
    "issued_at", "template_family", "pdf_sha256", "content_sha256", "supersedes_id", "correction_reason",
    "created_at", "deleted_at", "issued_on", "backdate_reason", "printed_deadlines",
)
#: What a drawn document number is: a merge never changes these columns of a number that exists locally
#: (an export could otherwise turn an issued notice's number 1 into 77 and leave a gap of 76).
NUMBER_FROZEN = ("kind", "prefix", "year", "seq", "notice_id", "created_at", "deleted_at")
#: Tables whose rows keep, once they exist locally, the columns above (:attr:`Version.frozen`).
FROZEN = {"notice": NOTICE_FROZEN, "document_number": NUMBER_FROZEN}
HISTORY_TABLE = "sync_version"
sha256 = hashlib.sha256
CHUNK = 2000


class Version(NamedTuple):
    """One version of one row: its identity (digest) and its place in the order of versions."""

    id: str
    digest: str
    key: tuple
    deleted: bool
    frozen: str = ""  # notices and numbers: SHA-256 of the columns they never change (:data:`FROZEN`)


class TableSpec:
    """Column layout of one synced table as found in a given database schema.

    Rows are read as tuples in :attr:`digest_columns` order (the trusted blob left out: it can be
    large); :meth:`version_of` turns one into a :class:`Version`. The body hash is the SHA-256 of
    the JSON ``[table, [column names in name order]]`` followed by the JSON array of the values in
    that order (NULL as ``null``, a blob as ``["b", its SHA-256]``): a canonical form any
    implementation can reproduce, computed in C for speed (it runs over every row of every export).
    """

    def __init__(self, table: str, columns: list[str], blobs: set[str] | frozenset = frozenset()):
        self.table = table
        self.columns = columns
        self.index = {name: i for i, name in enumerate(columns)}
        blob = TRUSTED_BLOBS.get(table, (None,))[0]
        self.digest_columns = [name for name in columns if name != blob]
        position = {name: i for i, name in enumerate(self.digest_columns)}
        self.hashed = [(name, position[name]) for name in sorted(self.digest_columns) if name != "deleted_at"]
        self.synced_row = "updated_at" in position
        self._at = {name: position.get(name) for name in
                    ("id", "created_at", "updated_at", "rev", "device_id", "deleted_at", "status", "voided_at")}
        self._frozen = [position.get(name) for name in FROZEN[table]] if table in FROZEN else None
        self._pick = itemgetter(*[i for _, i in self.hashed]) if len(self.hashed) > 1 else (lambda v: (v[self.hashed[0][1]],))
        self._blob_slots = [j for j, (name, _) in enumerate(self.hashed) if name in blobs]
        self._prefix = sha256(_dumps([table, [name for name, _ in self.hashed]]).encode("ascii"))

    @classmethod
    def read(cls, connection: sqlite3.Connection, table: str, schema: str = "main") -> "TableSpec":
        info = connection.execute(f"PRAGMA {schema}.table_info({table})").fetchall()
        if not info:
            raise LookupError(f"{schema}.{table} does not exist")
        return cls(table, [row[1] for row in info], {row[1] for row in info if "BLOB" in (row[2] or "").upper()})

    def values(self, row: dict[str, Any]) -> tuple:
        return tuple(row.get(name) for name in self.digest_columns)

    def body_of(self, values: tuple) -> str:
        """SHA-256 over the table, its column names and the JSON array of the values in name order."""
        picked = self._pick(values)
        if self._blob_slots:
            picked = list(picked)
            for j in self._blob_slots:
                if picked[j].__class__ is bytes:
                    picked[j] = ["b", sha256(picked[j]).hexdigest()]
        try:
            payload = _dumps(picked)
        except TypeError:  # a blob where none is declared: same canonical form, the slow way
            payload = _dumps([["b", sha256(v).hexdigest()] if isinstance(v, bytes) else v for v in picked])
        digest = self._prefix.copy()
        digest.update(payload.encode("ascii"))
        return digest.hexdigest()

    def version_of(self, values: tuple) -> Version:
        at = self._at
        body = self.body_of(values)
        if not self.synced_row:  # content-addressed: the copy first made (earliest created_at) wins
            created = values[at["created_at"]] or ""
            return Version(values[at["id"]], body, (0, tuple(-ord(ch) for ch in created), 0, "", body, ""), False)
        deleted = values[at["deleted_at"]] or ""
        digest = sha256(f"{body}|{deleted}".encode("ascii", "replace")).hexdigest() if deleted else body
        key = (self._rank(values), values[at["updated_at"]] or "", int(values[at["rev"]] or 0),
               values[at["device_id"]] or "", body, deleted)
        frozen = ""
        if self._frozen is not None:
            frozen = sha256(_dumps([None if i is None else values[i] for i in self._frozen]).encode("ascii")).hexdigest()
        return Version(values[at["id"]], digest, key, bool(deleted), frozen)

    def _rank(self, values: tuple) -> int:
        """Life-cycle steps that can never be undone win over any edit of the earlier state."""
        if self.table == "notice":
            return 0 if values[self._at["status"]] == "issued" else 1
        if self.table == "document_number":
            return 1 if values[self._at["voided_at"]] else 0
        return 0

    # dict-based conveniences (tests, single rows)
    def body_digest(self, row: dict[str, Any]) -> str:
        return self.body_of(self.values(row))

    def version(self, row: dict[str, Any]) -> Version:
        return self.version_of(self.values(row))


def _not_serializable(value):
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _json_dumper():
    """``json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode`` of a list, byte for byte, without
    building the C encoder again for every row (1.7 µs instead of 6.3 µs a row: it runs over every row of
    every export and merge)."""
    from json.encoder import c_make_encoder, encode_basestring_ascii

    if c_make_encoder is None:
        return json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode
    chunks = c_make_encoder(None, _not_serializable, encode_basestring_ascii, None, ":", ",", False, False, True)
    return lambda values: "".join(chunks(values, 0))


_dumps = _json_dumper()


def now_text() -> str:
    """The current UTC time as the database stores it (``inspector.db.types.to_utc_text``), without
    importing SQLAlchemy: the sync core stays quick to load in the CLI."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_row_id() -> str:
    from inspector.db.ids import new_id  # time-ordered (version 7), as every new record id

    return new_id()


def table_specs(connection: sqlite3.Connection, schema: str = "main") -> dict[str, TableSpec]:
    return {table: TableSpec.read(connection, table, schema) for table in SYNC_ORDER}


def iter_rows(connection: sqlite3.Connection, spec: TableSpec, sql_tail: str = "", params: tuple = (),
              schema: str = "main", columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Rows of ``schema.table`` as dicts (digest columns unless ``columns`` is given)."""
    names = columns or spec.digest_columns
    select = ", ".join(f't."{name}"' for name in names)
    cursor = connection.execute(f"SELECT {select} FROM {schema}.{spec.table} AS t {sql_tail}", params)
    while True:
        batch = cursor.fetchmany(CHUNK)
        if not batch:
            return
        for values in batch:
            yield dict(zip(names, values))


def versions(connection: sqlite3.Connection, spec: TableSpec, sql_tail: str = "", params: tuple = (),
             schema: str = "main") -> dict[str, Version]:
    select = ", ".join(f't."{name}"' for name in spec.digest_columns)
    cursor = connection.execute(f"SELECT {select} FROM {schema}.{spec.table} AS t {sql_tail}", params)
    version_of, result = spec.version_of, {}
    while True:
        batch = cursor.fetchmany(CHUNK)
        if not batch:
            return result
        for values in batch:
            version = version_of(values)
            result[version.id] = version


def full_row(connection: sqlite3.Connection, spec: TableSpec, row_id: str, schema: str = "main") -> dict[str, Any] | None:
    rows = list(iter_rows(connection, spec, "WHERE t.id = ?", (row_id,), schema, columns=spec.columns))
    return rows[0] if rows else None
