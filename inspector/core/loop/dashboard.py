"""The start-up dashboard: what needs doing today, computed locally with one SQL query.

Categories (a hazard may be in several):

* ``overdue`` 逾期 — open and its deadline is before today (China time);
* ``due_soon`` 3日内到期 — open and due today or within the next three days;
* ``reinspection_due`` 应复查 — 待复查 (the enterprise reported it rectified) or past its deadline;
* ``open_major`` 重大未销号 — an open 重大 hazard.

Open means 待整改/整改中/待复查; closed and escalated hazards are done here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspector.db.database import Database

CATEGORIES = ("overdue", "due_soon", "reinspection_due", "open_major")
CATEGORY_LABELS = {"overdue": "逾期", "due_soon": "3日内到期", "reinspection_due": "应复查", "open_major": "重大未销号"}
DUE_SOON_DAYS = 3
NO_SECTOR = "未分类"

# "+f.status": ix_finding_status is no help here (every passed item is 'pending' too); one scan
# of the finding table is about a third faster than walking that index.
_SQL = """
SELECT f.id, e.id, e.name, e.industry, coalesce(nullif(f.description, ''), f.item_text), f.location, f.level,
       f.deadline, f.status, i.started_at, f.item_id
FROM finding f
JOIN inspection i ON i.id = f.inspection_id
JOIN enterprise e ON e.id = i.enterprise_id
WHERE f.result = 'fail' AND +f.status IN ('pending', 'rectifying', 'awaiting_review')
  AND f.deleted_at IS NULL AND i.deleted_at IS NULL AND e.deleted_at IS NULL
  AND (f.deadline <= :soon OR f.status = 'awaiting_review' OR f.level = 'major')
ORDER BY f.deadline IS NULL, f.deadline, e.name, f.seq
"""


@dataclass(frozen=True)
class DashboardHazard:
    finding_id: str
    enterprise_id: str
    enterprise: str
    sector: str
    description: str
    location: str
    level: str
    deadline: date | None
    status: str
    found_at: datetime
    item_id: str | None
    categories: frozenset[str]

    def days_overdue(self, today: date) -> int:
        return (today - self.deadline).days if self.deadline and self.deadline < today else 0

    def as_json(self, today: date) -> dict:
        return {
            "finding_id": self.finding_id, "enterprise_id": self.enterprise_id, "enterprise": self.enterprise,
            "sector": self.sector, "description": self.description, "location": self.location,
            "level": self.level, "deadline": self.deadline.isoformat() if self.deadline else None,
            "status": self.status, "found_at": self.found_at.isoformat(), "item_id": self.item_id,
            "categories": sorted(self.categories), "days_overdue": self.days_overdue(today),
        }


@dataclass(frozen=True)
class GroupCount:
    """Counts per category for one enterprise or one sector."""

    key: str  # enterprise id, or the sector name
    name: str
    sector: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_json(self) -> dict:
        return {"key": self.key, "name": self.name, "sector": self.sector, **self.counts}


@dataclass(frozen=True)
class Dashboard:
    today: date
    hazards: list[DashboardHazard]
    counts: dict[str, int]
    by_enterprise: list[GroupCount] = field(default_factory=list)
    by_sector: list[GroupCount] = field(default_factory=list)

    def hazards_in(self, category: str | None = None, *, enterprise_id: str | None = None,
                   sector: str | None = None) -> list[DashboardHazard]:
        return [h for h in self.hazards
                if (category is None or category in h.categories)
                and (enterprise_id is None or h.enterprise_id == enterprise_id)
                and (sector is None or h.sector == sector)]

    def as_json(self) -> dict:
        return {
            "today": self.today.isoformat(), "counts": self.counts,
            "by_enterprise": [g.as_json() for g in self.by_enterprise],
            "by_sector": [g.as_json() for g in self.by_sector],
            "hazards": [h.as_json(self.today) for h in self.hazards],
        }


def categories_of(status: str, level: str, deadline: date | None, today: date) -> frozenset[str]:
    found = set()
    if deadline is not None and deadline < today:
        found.update(("overdue", "reinspection_due"))
    elif deadline is not None and deadline <= today + timedelta(days=DUE_SOON_DAYS):
        found.add("due_soon")
    if status == "awaiting_review":
        found.add("reinspection_due")
    if level == "major":
        found.add("open_major")
    return frozenset(found)


def load_dashboard(db: "Database", today: date | None = None) -> Dashboard:
    """Everything the dashboard shows, as plain data (safe to build in a worker thread)."""
    from sqlalchemy import text

    from inspector.core.common.clock import local_today
    from inspector.db.types import from_utc_text

    today = today or local_today()
    soon = (today + timedelta(days=DUE_SOON_DAYS)).isoformat()
    with db.session() as session:
        rows = session.execute(text(_SQL), {"soon": soon}).all()
    hazards = []
    for row in rows:
        deadline = date.fromisoformat(row[7]) if row[7] else None
        categories = categories_of(row[8], row[6], deadline, today)
        if categories:
            hazards.append(DashboardHazard(row[0], row[1], row[2], row[3] or NO_SECTOR, row[4], row[5], row[6],
                                           deadline, row[8], from_utc_text(row[9]), row[10], categories))
    counts = {category: sum(category in h.categories for h in hazards) for category in CATEGORIES}
    return Dashboard(today, hazards, counts, _groups(hazards, by_sector=False), _groups(hazards, by_sector=True))


def _groups(hazards: list[DashboardHazard], *, by_sector: bool) -> list[GroupCount]:
    counters: dict[str, Counter] = defaultdict(Counter)
    names: dict[str, tuple[str, str]] = {}
    for hazard in hazards:
        key = hazard.sector if by_sector else hazard.enterprise_id
        if key not in names:
            names[key] = (hazard.sector if by_sector else hazard.enterprise, hazard.sector)
        counters[key].update(hazard.categories)
    groups = [GroupCount(key, *names[key], {c: counters[key][c] for c in CATEGORIES}) for key in counters]
    return sorted(groups, key=lambda g: (-g.counts["overdue"], -g.counts["open_major"], -g.total, g.name))
