"""Time in the park: stored as UTC, shown and printed in China Standard Time (UTC+8, no DST)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8), "CST")


def local(moment: datetime) -> datetime:
    return moment.astimezone(CHINA_TZ)


def local_today() -> date:
    return datetime.now(CHINA_TZ).date()


def format_local(moment: datetime | None, with_time: bool = True) -> str:
    if moment is None:
        return ""
    return local(moment).strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
