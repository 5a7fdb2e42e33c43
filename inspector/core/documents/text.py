"""Small text helpers: Chinese dates and times, blanks for missing values."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

# China has used UTC+8 without daylight saving since 1991; a fixed offset avoids
# needing the tzdata package on Windows, where zoneinfo has no database.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

BLANK_DATE = "\u3000\u3000年\u3000月\u3000日"
BLANK_DATETIME = "\u3000\u3000年\u3000月\u3000日\u3000时\u3000分"


def format_date(day: date | None) -> str:
    """``2025年3月7日``: Arabic numerals, full year, no padding (GB/T 9704)."""
    if day is None:
        return BLANK_DATE
    if isinstance(day, datetime):
        day = local(day).date()
    return f"{day.year}年{day.month}月{day.day}日"


def format_datetime(moment: datetime | None) -> str:
    """``2025年3月7日9时05分`` in Asia/Shanghai local time."""
    if moment is None:
        return BLANK_DATETIME
    m = local(moment)
    return f"{m.year}年{m.month}月{m.day}日{m.hour}时{m.minute:02d}分"


def local(moment: datetime) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError("aware datetime required")
    return moment.astimezone(SHANGHAI)


def join_numbers(numbers: list[int]) -> str:
    """The 第…项 list of an order: ``1、2``, ``1至10``, ``1至3、5``.

    Runs of three or more consecutive numbers are written as a range.
    """
    ordered = sorted(set(numbers))
    parts: list[str] = []
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        if end - start >= 2:
            parts.append(f"{ordered[start]}至{ordered[end]}")
        else:
            parts.extend(str(n) for n in ordered[start:end + 1])
        start = end + 1
    return "、".join(parts)


def or_blank(text: str, width: int = 8) -> str:
    """The text, or an ideographic-space blank of ``width`` characters to fill by hand."""
    text = (text or "").strip()
    return text if text else "\u3000" * width
