"""What the office did in a month, for the 月度安全形势分析研判: inspections and enterprises covered,
documents issued by kind (orders, on-site measures, referrals, park notices, reviews), hazards handed
to enforcement, and the major hazards with their status. Plain SQL over the local database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
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
    from inspector.core.common.clock import CHINA_TZ
    from inspector.db.types import to_utc_text

    return to_utc_text(datetime.combine(day, time(0), CHINA_TZ).astimezone(timezone.utc))


def load_activity(db: "Database", start: date, end: date) -> Activity:
    connection = db.raw()
    try:
        bounds = (utc_bound(start), utc_bound(end))
        inspections, inspected = connection.execute(
            "SELECT count(*), count(DISTINCT enterprise_id) FROM inspection "
            "WHERE deleted_at IS NULL AND started_at >= ? AND started_at < ?", bounds).fetchone()
        registered = connection.execute(
            "SELECT count(*) FROM enterprise WHERE deleted_at IS NULL AND created_at < ?", bounds[1:]).fetchone()[0]
        by_sector = dict(connection.execute(
            "SELECT coalesce(nullif(e.industry, ''), '未分类'), count(*) FROM inspection i "
            "JOIN enterprise e ON e.id = i.enterprise_id WHERE i.deleted_at IS NULL AND i.started_at >= ? "
            "AND i.started_at < ? GROUP BY 1 ORDER BY 2 DESC, 1", bounds).fetchall())
        documents = dict(connection.execute(
            "SELECT kind, count(*) FROM notice WHERE deleted_at IS NULL AND status != 'voided' "
            "AND issued_at >= ? AND issued_at < ? GROUP BY kind", bounds).fetchall())
        escalated = connection.execute(
            "SELECT count(DISTINCT finding_id) FROM hazard_event WHERE deleted_at IS NULL AND to_status = 'escalated' "
            "AND at >= ? AND at < ?", bounds).fetchone()[0]
    finally:
        connection.close()
    return Activity(inspections, inspected, registered, by_sector, documents, escalated)


def document_lines(activity: Activity) -> list[tuple[str, int]]:
    """(Chinese name, count) of every kind issued, in the report's order."""
    known = [(label, activity.documents.get(kind, 0)) for kind, label in KIND_LABELS.items()]
    other = [(kind, count) for kind, count in sorted(activity.documents.items()) if kind not in KIND_LABELS]
    return [(label, count) for label, count in known + other if count]
