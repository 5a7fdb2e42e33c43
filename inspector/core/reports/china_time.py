"""China local dates from the stored UTC text, in Python, the same on every database backend.

Timestamps are stored as fixed-width UTC text (``2025-03-07T17:30:00.000000Z``); China time is UTC+8
all year (no daylight saving), so the local date is the UTC date, one day later from 16:00 UTC on.
The reports used SQLite's ``date(x, '+8 hours')`` / ``datetime(x, '+8 hours')``; these functions give
the same values (``china_datetime`` to the second, as SQLite's ``datetime()``) without database SQL.
Range bounds go the other way: :func:`utc_bound` is the stored text of 00:00 China time on a day, so
"local date < day" is the plain text comparison ``column < utc_bound(day)`` in SQL.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

_OFFSET = timedelta(hours=8)
_ONE_DAY = timedelta(days=1)
_UTC = timezone.utc


def china_date(text: str | None) -> date | None:
    """The China date of a stored UTC timestamp (``None`` for none)."""
    if not text:
        return None
    if len(text) == 27 and text[10] == "T" and text[26] == "Z":  # the stored form: no parsing of the time
        day = date.fromisoformat(text[:10])
        return day + _ONE_DAY if text[11:13] >= "16" else day
    return _parse(text).date()


def china_day_text(text: str | None) -> str:
    """:func:`china_date` as ``YYYY-MM-DD`` text ('' for none); the stored text's own date before 16:00 UTC."""
    if not text:
        return ""
    if len(text) == 27 and text[10] == "T" and text[26] == "Z" and text[11:13] < "16":
        return text[:10]
    return china_date(text).isoformat()


def china_datetime(text: str | None) -> datetime | None:
    """The China wall-clock time (naive, whole seconds) of a stored UTC timestamp."""
    if not text:
        return None
    if len(text) == 27 and text[10] == "T" and text[26] == "Z":
        return datetime.fromisoformat(text[:19]) + _OFFSET
    return _parse(text).replace(microsecond=0)


def _parse(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is not None:  # text without an offset is UTC, as SQLite reads it
        moment = moment.astimezone(_UTC).replace(tzinfo=None)
    return moment + _OFFSET


def utc_bound(day: date) -> str:
    """The stored UTC text of 00:00 China time on ``day``."""
    from inspector.db.types import to_utc_text

    return to_utc_text(datetime.combine(day, time(0), _UTC) - _OFFSET)


def iso_day(value) -> str:
    """A DATE column's value as ``YYYY-MM-DD`` text ('' for none): SQLite returns text, PostgreSQL a date."""
    if value is None:
        return ""
    return value if isinstance(value, str) else value.isoformat()


def as_date(value) -> date | None:
    """A DATE column's value as a date (SQLite: text, PostgreSQL: date)."""
    if not value:
        return None
    return date.fromisoformat(value) if isinstance(value, str) else value


def id_list(value) -> list[str]:
    """A JSON list column's value (SQLite: text, PostgreSQL: already decoded)."""
    import json

    if value is None:
        return []
    decoded = json.loads(value) if isinstance(value, (str, bytes)) else value
    return list(decoded) if isinstance(decoded, list) else []
