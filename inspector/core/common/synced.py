"""Small helpers for changing synced rows the way a merge expects (rev, updated_at, tombstones)."""

from __future__ import annotations

from typing import Any

from inspector.db.types import utcnow


def mark_changed(row: Any) -> None:
    """Bump the revision and the change time of a row about to be saved."""
    row.updated_at = utcnow()
    row.rev = (row.rev or 0) + 1


def set_fields(row: Any, changes: dict[str, Any]) -> bool:
    """Apply ``changes``; True (and the row marked changed) when any value differs."""
    changed = {name: value for name, value in changes.items() if getattr(row, name) != value}
    for name, value in changed.items():
        setattr(row, name, value)
    if changed:
        mark_changed(row)
    return bool(changed)


def tombstone(row: Any) -> None:
    """Delete a synced row the mergeable way: it stays, with ``deleted_at`` set."""
    if row.deleted_at is None:
        row.deleted_at = utcnow()
        mark_changed(row)
