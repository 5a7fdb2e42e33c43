"""The start-up dashboard: what needs doing today, computed locally in one pass over the open hazards.

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
#: The most hazards of one category a dashboard holds in memory (the first by deadline); the counts and
#: groups always cover every hazard. At 100,000 inspections a category can hold 220,000 hazards.
LIST_LIMIT = 1000

# The hazards on the dashboard: open, and due within three days, awaiting review or major.
# "(f.status || '')": ix_finding_status is no help here (every passed item is 'pending' too); one scan of
# the finding table is about a third faster than walking that index (SQLite). Portable, unlike "+f.status".
_FROM = """
FROM finding f
JOIN inspection i ON i.id = f.inspection_id
JOIN enterprise e ON e.id = i.enterprise_id
WHERE f.result = 'fail' AND (f.status || '') IN ('pending', 'rectifying', 'awaiting_review')
  AND f.deleted_at IS NULL AND i.deleted_at IS NULL AND e.deleted_at IS NULL
  AND (f.deadline <= :soon OR f.status = 'awaiting_review' OR f.level = 'major')
"""
# the categories as SQL, the same rules as categories_of()
_IN_SQL = {
    "overdue": "f.deadline < :today",
    "due_soon": "f.deadline >= :today AND f.deadline <= :soon",
    "reinspection_due": "(f.deadline < :today OR f.status = 'awaiting_review')",
    "open_major": "f.level = 'major'",
}
_COLUMNS = """SELECT f.id AS finding_id, e.id AS enterprise_id, e.name AS enterprise, e.industry AS industry,
       coalesce(nullif(f.description, ''), f.item_text) AS description, f.location AS location, f.level AS level,
       f.deadline AS deadline, f.status AS status, i.started_at AS found_at, f.item_id AS item_id"""
_ORDER = " ORDER BY f.deadline IS NULL, f.deadline, e.name, f.seq, f.id"
# every dashboard hazard in list order, as its id, its enterprise and one 0/1 flag per category, streamed
# (nothing row-sized is kept): the counts per enterprise are summed from it, and the first LIMIT of each
# category are then read in full by id. One scan of the tables instead of a GROUP BY plus a list query.
_PICK_SQL = ("SELECT f.id, e.id, " + ", ".join(f"CASE WHEN {rule} THEN 1 ELSE 0 END" for rule in _IN_SQL.values())
             + _FROM + _ORDER)
_BY_ID_SQL = _COLUMNS + """
FROM finding f JOIN inspection i ON i.id = f.inspection_id JOIN enterprise e ON e.id = i.enterprise_id
WHERE f.id IN ({ids})"""


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
    """Counts and groups over every dashboard hazard; ``hazards`` holds all of them when there are at most
    ``LIST_LIMIT`` per category (``complete``), else the first ``LIST_LIMIT`` of each category by deadline,
    and :meth:`hazards_in` reads an enterprise's or a sector's hazards from the database."""

    today: date
    hazards: list[DashboardHazard]
    counts: dict[str, int]
    by_enterprise: list[GroupCount] = field(default_factory=list)
    by_sector: list[GroupCount] = field(default_factory=list)
    complete: bool = True
    db: "Database | None" = field(default=None, compare=False, repr=False)
    limit: int = LIST_LIMIT

    def hazards_in(self, category: str | None = None, *, enterprise_id: str | None = None,
                   sector: str | None = None) -> list[DashboardHazard]:
        """The hazards of a category (None: all), of one enterprise or sector, earliest deadline first;
        at most ``LIST_LIMIT`` unless the dashboard is ``complete``."""
        if not self.complete and self.db is not None and (enterprise_id is not None or sector is not None):
            return read_hazards(self.db, self.today, category, enterprise_id=enterprise_id, sector=sector,
                                limit=self.limit)
        found = [h for h in self.hazards
                 if (category is None or category in h.categories)
                 and (enterprise_id is None or h.enterprise_id == enterprise_id)
                 and (sector is None or h.sector == sector)]
        return found if self.complete else found[:self.limit]

    def as_json(self) -> dict:
        return {
            "today": self.today.isoformat(), "counts": self.counts,
            "by_enterprise": [g.as_json() for g in self.by_enterprise],
            "by_sector": [g.as_json() for g in self.by_sector],
            "hazards": [h.as_json(self.today) for h in self.hazards], "complete": self.complete,
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


def load_dashboard(db: "Database", today: date | None = None, *, limit: int | None = None) -> Dashboard:
    """Everything the dashboard shows, as plain data (safe to build in a worker thread): counts and groups
    over every hazard, and at most ``limit`` (default ``LIST_LIMIT``) hazards per category in memory."""

    from inspector.core.common.clock import local_today

    today, limit = today or local_today(), limit or LIST_LIMIT
    with db.session() as session:
        ids, tallies = _scan(session, today, limit)
        rows = _rows_by_id(session, ids)
        names = _enterprise_names(session, tallies)
    by_enterprise = [GroupCount(key, *names[key], dict(zip(CATEGORIES, tally))) for key, tally in tallies.items()]
    counts = {c: sum(g.counts[c] for g in by_enterprise) for c in CATEGORIES}
    complete = all(counts[c] <= limit for c in CATEGORIES)
    return Dashboard(today, _hazards(rows, today), counts, _sorted(by_enterprise), _sectors(by_enterprise),
                     complete, db, limit)


def read_hazards(db: "Database", today: date, category: str | None = None, *, enterprise_id: str | None = None,
                 sector: str | None = None, limit: int | None = None) -> list[DashboardHazard]:
    """The first ``limit`` dashboard hazards of a category, an enterprise and/or a sector, from the database."""

    sql, values = _COLUMNS + _FROM, _dates(today) | {"limit": limit or LIST_LIMIT}
    if category is not None:
        sql += f" AND {_IN_SQL[category]}"
    if enterprise_id is not None:
        sql, values["e"] = sql + " AND e.id = :e", enterprise_id
    if sector is not None:
        industry = "(e.industry IS NULL OR e.industry = '')" if sector == NO_SECTOR else "e.industry = :s"
        sql, values["s"] = sql + f" AND {industry}", sector
    with db.session() as session:
        rows = session.execute(_dated(sql + _ORDER + " LIMIT :limit"), values).all()
    return _hazards(rows, today)


def _scan(session, today: date, limit: int) -> tuple[list[str], dict[str, list[int]]]:
    """One streamed pass over the dashboard hazards in list order: the ids of the first ``limit`` of each
    category, and the count per category of each enterprise."""
    result = session.execute(_dated(_PICK_SQL).execution_options(yield_per=5000), _dates(today))
    taken, ids, tallies = [0] * len(CATEGORIES), [], {}
    for finding_id, enterprise_id, *flags in result:
        tally = tallies.get(enterprise_id)
        if tally is None:
            tally = tallies[enterprise_id] = [0] * len(CATEGORIES)
        for n, flag in enumerate(flags):
            tally[n] += flag
        if any(flag and taken[n] < limit for n, flag in enumerate(flags)):
            ids.append(finding_id)
            taken = [count + flag for count, flag in zip(taken, flags)]
    return ids, tallies


def _enterprise_names(session, tallies: dict) -> dict[str, tuple[str, str]]:
    """(name, sector) of the enterprises on the dashboard."""
    from sqlalchemy import text

    rows = session.execute(text("SELECT id, name, industry FROM enterprise")).all()
    return {row[0]: (row[1], row[2] or NO_SECTOR) for row in rows if row[0] in tallies}


def _rows_by_id(session, ids: list[str], chunk: int = 500) -> list:
    """The list columns of these hazards, in the order of ``ids``."""
    from sqlalchemy import text

    position = {finding_id: n for n, finding_id in enumerate(ids)}
    rows = []
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        sql = _BY_ID_SQL.format(ids=", ".join(f":i{n}" for n in range(len(part))))
        rows += session.execute(text(sql), {f"i{n}": value for n, value in enumerate(part)}).all()
    return sorted(rows, key=lambda row: position[row[0]])


def _dates(today: date) -> dict:
    return {"today": today, "soon": today + timedelta(days=DUE_SOON_DAYS)}


def _dated(sql: str):
    """``text(sql)`` with its dates bound as the DATE type: ISO text on SQLite, a date on PostgreSQL."""
    from sqlalchemy import Date, bindparam, text

    return text(sql).bindparams(*(bindparam(name, type_=Date()) for name in ("today", "soon") if f":{name}" in sql))


def _hazards(rows, today: date) -> list[DashboardHazard]:
    from inspector.db.portable_sql import as_date
    from inspector.db.types import from_utc_text

    hazards = []
    for row in rows:
        deadline = as_date(row[7])
        hazards.append(DashboardHazard(row[0], row[1], row[2], row[3] or NO_SECTOR, row[4], row[5], row[6], deadline,
                                       row[8], from_utc_text(row[9]), row[10],
                                       categories_of(row[8], row[6], deadline, today)))
    return hazards


def _sectors(by_enterprise: list[GroupCount]) -> list[GroupCount]:
    counters: dict[str, Counter] = defaultdict(Counter)
    for group in by_enterprise:
        counters[group.sector].update(group.counts)
    return _sorted([GroupCount(sector, sector, sector, {c: counters[sector][c] for c in CATEGORIES})
                    for sector in counters])


def _sorted(groups: list[GroupCount]) -> list[GroupCount]:
    return sorted(groups, key=lambda g: (-g.counts["overdue"], -g.counts["open_major"], -g.total, g.name))
