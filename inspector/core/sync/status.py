"""Read-only questions about the local database: what is not exported yet, and a content fingerprint."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inspector.core.sync import history
from inspector.core.sync.manifest import content_digest
from inspector.core.sync.rows import table_specs, versions


NEVER = 2**62  # a watermark above every operation: "changed" means "in no export and from no merge"


@dataclass(frozen=True)
class Unexported:
    """Local additions and edits that no export has carried yet (rows received by merge are not counted)."""

    records: int  # rows other than photos
    photos: int
    last_export_seq: int

    @property
    def any(self) -> bool:
        return bool(self.records or self.photos)


def unexported(db_path: Path) -> Unexported:
    connection = _reader(db_path)
    try:
        connection.execute("BEGIN")
        history.stage_current(connection, table_specs(connection))
        watermark = history.export_watermark(connection, None)
        counts = history.stage_changed(connection, NEVER)  # versions no export or merge has seen
        connection.execute("ROLLBACK")
    finally:
        connection.close()
    photos = counts.pop("photo", 0)
    counts.pop("checklist_snapshot", None)  # travels with its inspections; not a record a person made
    return Unexported(sum(counts.values()), photos, watermark)


_LAST_COUNT: dict[str, tuple[tuple, Unexported]] = {}


def unexported_if_changed(db_path: Path) -> Unexported:
    """:func:`unexported`, recomputed only when a cheap fingerprint of the database changed.

    The full count hashes every row (seconds on an office database); the fingerprint is a few
    aggregate queries: every table's row count, newest ``updated_at`` and revision total, and the
    sync log. Any edit through the app bumps ``updated_at``/``rev``, and every export or merge
    writes the sync log, so an unchanged fingerprint means an unchanged answer.
    """
    key = str(Path(db_path).resolve())
    fingerprint = change_fingerprint(db_path)
    cached = _LAST_COUNT.get(key)
    if cached and cached[0] == fingerprint:
        return cached[1]
    result = unexported(db_path)
    _LAST_COUNT[key] = (fingerprint, result)
    return result


def change_fingerprint(db_path: Path) -> tuple:
    connection = _reader(db_path)
    try:
        connection.execute("BEGIN")
        parts = []
        for table in table_specs(connection):
            columns = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
            aggregates = "count(*)" + (", max(updated_at), total(rev)" if {"updated_at", "rev"} <= columns else "")
            parts.append((table, *connection.execute(f"SELECT {aggregates} FROM {table}").fetchone()))
        parts.append(tuple(connection.execute("SELECT count(*), max(at) FROM sync_log").fetchone()))
        connection.execute("ROLLBACK")
        return tuple(parts)
    finally:
        connection.close()


def content_fingerprint(db_path: Path) -> str:
    """SHA-256 over every version of every synced row: equal fingerprints mean identical content."""
    connection = _reader(db_path)
    try:
        connection.execute("BEGIN")
        specs = table_specs(connection)
        digest = content_digest({table: versions(connection, spec) for table, spec in specs.items()}, [])
        connection.execute("ROLLBACK")
        return digest
    finally:
        connection.close()


def _reader(db_path: Path):
    import sqlite3

    connection = sqlite3.connect(Path(db_path).resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None)
    connection.execute("PRAGMA busy_timeout=10000")
    return connection
