"""What the office did in a month, for the 月度安全形势分析研判: inspections and enterprises covered,
documents issued by kind (orders, on-site measures, referrals, park notices, reviews), hazards handed
to enforcement, and the major hazards with their status. Portable SQL (SQLite file or office server).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspector.db.database import Database

#: Document kinds in the order the report lists them; kinds not named here follow under their own code.
KIND_LABELS = {
    "order": "责令限期整改指令书", "measure": "现场处理措施决定书", "referral": "移送书",
    "park": "安全隐患整改通知书", "review": "整改复查意见书", "record": "现场检查记录",
}
MAJOR_LIST_LIMIT = 40


@dataclass(frozen=True)
class Activity:
    inspections: int = 0
    enterprises_inspected: int = 0
    enterprises_registered: int = 0
    inspections_by_sector: dict[str, int] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)  # kind code -> issued in the month, not voided
    escalated: int = 0  # hazards handed to enforcement (移交执法) in the month

    @property
    def coverage(self) -> float | None:
        return self.enterprises_inspected / self.enterprises_registered if self.enterprises_registered else None


@dataclass(frozen=True)
class MajorHazard:
    number: str
    enterprise: str
    description: str
    found: date
    deadline: date | None
    status: str  # Chinese label as of the month's end
    supervision: str = ""


def utc_bound(day: date) -> str:
    """The UTC text of 00:00 China time on ``day`` (how timestamps are stored)."""
    from inspector.core.reports.china_time import utc_bound as bound

    return bound(day)


def load_activity(db: "Database", start: date, end: date) -> Activity:
    with db.session() as session:
        return activity_in(session, start, end)


def activity_in(session, start: date, end: date, *, escalated: int | None = None) -> Activity:
    """What the office did in [start, end) (China dates); portable SQL with named parameters.
    ``escalated``: the count of hazards escalated in the range, when the caller has counted it already."""
    from sqlalchemy import text

    bounds = {"start": utc_bound(start), "end": utc_bound(end)}

    def rows(sql: str, **params) -> list:
        return session.execute(text(sql), params or bounds).all()

    inspections, inspected = rows(
        "SELECT count(*), count(DISTINCT enterprise_id) FROM inspection "
        "WHERE deleted_at IS NULL AND started_at >= :start AND started_at < :end")[0]
    registered = rows("SELECT count(*) FROM enterprise WHERE deleted_at IS NULL AND created_at < :end",
                      end=bounds["end"])[0][0]
    by_sector = rows(
        "SELECT coalesce(nullif(e.industry, ''), '未分类'), count(*) FROM inspection i "
        "JOIN enterprise e ON e.id = i.enterprise_id WHERE i.deleted_at IS NULL AND i.started_at >= :start "
        "AND i.started_at < :end GROUP BY coalesce(nullif(e.industry, ''), '未分类')")
    documents = rows(
        "SELECT kind, count(*) FROM notice WHERE deleted_at IS NULL AND status != 'voided' "
        "AND issued_at >= :start AND issued_at < :end GROUP BY kind")
    if escalated is None:
        escalated = rows(
            "SELECT count(DISTINCT finding_id) FROM hazard_event WHERE deleted_at IS NULL AND to_status = 'escalated' "
            "AND at >= :start AND at < :end")[0][0]
    return Activity(inspections, inspected, registered,
                    dict(sorted(((sector, count) for sector, count in by_sector), key=lambda p: (-p[1], p[0]))),
                    dict(sorted((kind, count) for kind, count in documents)), escalated)


def document_lines(activity: Activity) -> list[tuple[str, int]]:
    """(Chinese name, count) of every kind issued, in the report's order."""
    known = [(label, activity.documents.get(kind, 0)) for kind, label in KIND_LABELS.items()]
    other = [(kind, count) for kind, count in sorted(activity.documents.items()) if kind not in KIND_LABELS]
    return [(label, count) for label, count in known + other if count]
