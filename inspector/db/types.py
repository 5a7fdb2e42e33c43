"""Column types and helpers shared by all tables: UUID text keys and UTC timestamps."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

from inspector.db.ids import new_id  # noqa: F401 - the tables' default id (time-ordered UUIDs, version 7)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def to_utc_text(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime: use timezone-aware UTC datetimes")
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_utc_text(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored as fixed-width ISO-8601 UTC text.

    Fixed width (``2025-03-07T08:30:00.000000Z``) keeps text order equal to time
    order, so SQL comparisons and merges by ``updated_at`` are exact.
    """

    impl = String(27)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else to_utc_text(value)

    def process_result_value(self, value, dialect):
        return None if value is None else from_utc_text(value)
