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
against it when a file is exported and again before it is merged. Columns holding NULL are left
out of the hash, so a migration that adds a nullable column does not change existing versions.
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterator

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
    "created_at", "deleted_at",
)
HISTORY_TABLE = "sync_version"
CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Version:
    """One version of one row: its identity (digest) and its place in the order of versions."""

    id: str
    digest: str
    key: tuple
    deleted: bool
    frozen: str = ""  # notices: SHA-256 of the columns an issued notice never changes


class TableSpec:
    """Column layout of one synced table as found in a given database schema."""

    def __init__(self, table: str, columns: list[str]):
        self.table = table
        self.columns = columns
        self.index = {name: i for i, name in enumerate(columns)}
        skip = {"deleted_at"} | ({TRUSTED_BLOBS[table][0]} if table in TRUSTED_BLOBS else set())
        self.hashed = [(name, self.index[name]) for name in sorted(columns) if name not in skip]
        self.synced_row = "updated_at" in self.index

    @classmethod
    def read(cls, connection: sqlite3.Connection, table: str, schema: str = "main") -> "TableSpec":
        columns = [row[1] for row in connection.execute(f"PRAGMA {schema}.table_info({table})")]
        if not columns:
            raise LookupError(f"{schema}.{table} does not exist")
        return cls(table, columns)

    @property
    def digest_columns(self) -> list[str]:
        """Columns to select for :meth:`version` (the trusted blob is left out: it can be large)."""
        blob = TRUSTED_BLOBS.get(self.table, (None,))[0]
        return [name for name in self.columns if name != blob]

    def select_list(self, alias: str = "") -> str:
        prefix = f"{alias}." if alias else ""
        return ", ".join(f'{prefix}"{name}"' for name in self.digest_columns)

    def body_digest(self, row: dict[str, Any]) -> str:
        parts = []
        for name, _ in self.hashed:
            value = row.get(name)
            if value is None:
                continue
            if isinstance(value, bytes):
                text = "b" + hashlib.sha256(value).hexdigest()
            elif isinstance(value, bool):
                text = f"i{int(value)}"
            elif isinstance(value, int):
                text = f"i{value}"
            elif isinstance(value, float):
                text = f"f{value!r}"
            else:
                text = f"s{value}"
            parts.append(f"{name}:{len(text)}:{text}")
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()

    def version(self, row: dict[str, Any]) -> Version:
        body = self.body_digest(row)
        deleted = row.get("deleted_at") or ""
        digest = hashlib.sha256(f"{body}|{deleted}".encode("ascii", "replace")).hexdigest() if self.synced_row else body
        frozen = _frozen_digest(row) if self.table == "notice" else ""
        return Version(row["id"], digest, self.order_key(row, body), bool(deleted), frozen)

    def order_key(self, row: dict[str, Any], body: str) -> tuple:
        if not self.synced_row:  # content-addressed: the copy first made (earliest created_at) wins
            created = row.get("created_at") or ""
            return (0, tuple(-ord(ch) for ch in created), 0, "", body, "")
        return (rank(self.table, row), row["updated_at"] or "", int(row["rev"] or 0), row["device_id"] or "",
                body, row.get("deleted_at") or "")


def _frozen_digest(row: dict[str, Any]) -> str:
    text = "\x1f".join(f"{name}={row.get(name)!r}" for name in NOTICE_FROZEN)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now_text() -> str:
    """The current UTC time as the database stores it (``inspector.db.types.to_utc_text``), without
    importing SQLAlchemy: the sync core stays quick to load in the CLI."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_row_id() -> str:
    return str(uuid.uuid4())


def rank(table: str, row: dict[str, Any]) -> int:
    """Life-cycle steps that can never be undone win over any edit of the earlier state."""
    if table == "notice":
        return 0 if row.get("status") == "issued" else 1
    if table == "document_number":
        return 1 if row.get("voided_at") else 0
    return 0


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
    return {row["id"]: spec.version(row) for row in iter_rows(connection, spec, sql_tail, params, schema)}


def full_row(connection: sqlite3.Connection, spec: TableSpec, row_id: str, schema: str = "main") -> dict[str, Any] | None:
    rows = list(iter_rows(connection, spec, "WHERE t.id = ?", (row_id,), schema, columns=spec.columns))
    return rows[0] if rows else None
