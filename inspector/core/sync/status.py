"""Read-only questions about the local database: what is not exported yet, and a content fingerprint."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inspector.core.sync import history, stamps
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
    """Schema v7: a GROUP BY over ``local_change`` (milliseconds); before its seed ran, every row rehashed."""
    connection = _reader(db_path)
    try:
        connection.execute("BEGIN")
        watermark = history.export_watermark(connection, None)
        if stamps.available(connection):
            counts = stamps.changed_counts(connection)
        else:
            counts = _rehashed_counts(connection)
        connection.execute("ROLLBACK")
    finally:
        connection.close()
    photos = counts.pop("photo", 0)
    counts.pop("checklist_snapshot", None)  # travels with its inspections; not a record a person made
    return Unexported(sum(counts.values()), photos, watermark)


def unexported_rehashed(db_path: Path) -> Unexported:
    """:func:`unexported` the old way, hashing every row (tests compare the two; slow on big databases)."""
    connection = _reader(db_path)
    try:
        connection.execute("BEGIN")
        watermark = history.export_watermark(connection, None)
        counts = _rehashed_counts(connection)
        connection.execute("ROLLBACK")
    finally:
        connection.close()
    photos = counts.pop("photo", 0)
    counts.pop("checklist_snapshot", None)
    return Unexported(sum(counts.values()), photos, watermark)


def _rehashed_counts(connection) -> dict[str, int]:
    history.stage_current(connection, table_specs(connection))
    return history.stage_changed(connection, NEVER)  # versions no export or merge has seen


_LAST_COUNT: dict[str, tuple[tuple, Unexported]] = {}


def unexported_if_changed(db_path: Path) -> Unexported:
    """:func:`unexported`, recomputed only when a cheap fingerprint of the database changed.

    With stamps kept on write (schema v7, seeded) the count itself is incremental and is simply run.

    The full count hashes every row (seconds on an office database); the fingerprint is a few
    aggregate queries: every table's row count, newest ``updated_at`` and revision total, and the
    sync log. Any edit through the app bumps ``updated_at``/``rev``, and every export or merge
    writes the sync log, so an unchanged fingerprint means an unchanged answer.
    """
    key = str(Path(db_path).resolve())
    if _keeps_stamps(db_path):
        return unexported(db_path)  # already incremental: cheaper than the fingerprint itself
    fingerprint = change_fingerprint(db_path)
    cached = _LAST_COUNT.get(key)
    if cached and cached[0] == fingerprint:
        return cached[1]
    result = unexported(db_path)
    _LAST_COUNT[key] = (fingerprint, result)
    return result


def _keeps_stamps(db_path: Path) -> bool:
    connection = _reader(db_path)
    try:
        return stamps.available(connection)
    finally:
        connection.close()


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
