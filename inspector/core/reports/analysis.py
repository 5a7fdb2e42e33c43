"""Monthly analysis (每月分析研判) of the hazards in the local database.

For a month (China time) :func:`monthly_analysis` gives

* hazards found in the month and hazards closed (销号) in the month, by sector (the
  enterprise's 行业) and level;
* the rectification rate of the month's hazards (closed by the month's end / found) and
  the cumulative rate (every hazard found by the month's end);
* the overdue trend: hazards open and past their deadline at the end of each of the last
  six months (with today's deadlines: an extension counts from the start);
* the checklist items failed most often in the month;
* enterprises with repeat hazards: an item failed this month had failed at the same
  enterprise in another inspection too, within the twelve months before the month's end;
* what the office did (:mod:`.analysis_activity`): inspections and enterprises covered, documents
  issued by kind, hazards handed to enforcement; the major hazards with their status at the month's
  end; the same headline figures for the month before and the same month a year before.

A closed month is frozen (:mod:`.analysis_snapshot`): its report is printed from what was stored.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import TYPE_CHECKING

from inspector.core.reports.analysis_activity import Activity, MajorHazard, load_activity
from inspector.errors import UserError

if TYPE_CHECKING:
    from inspector.db.database import Database

TREND_MONTHS = 6
TOP_ITEMS = 10
REPEAT_WINDOW_MONTHS = 12
NO_SECTOR = "未分类"


@dataclass(frozen=True)
class SectorFigures:
    sector: str
    found_general: int = 0
    found_major: int = 0
    closed_general: int = 0
    closed_major: int = 0

    @property
    def found(self) -> int:
        return self.found_general + self.found_major

    @property
    def closed(self) -> int:
        return self.closed_general + self.closed_major


@dataclass(frozen=True)
class ItemCount:
    item_id: str
    text: str
    sector: str
    count: int
    enterprises: int


@dataclass(frozen=True)
class RepeatEnterprise:
    enterprise_id: str
    name: str
    sector: str
    items: tuple[str, ...]  # item ids failed again
    inspections: int  # inspections with one of these items failed, within the window


@dataclass(frozen=True)
class Headline:
    """The figures compared month on month and year on year."""

    month: date
    inspections: int
    enterprises: int
    found: int
    found_major: int
    closed: int
    cohort_closed: int

    @property
    def rate(self) -> float | None:
        return self.cohort_closed / self.found if self.found else None


@dataclass(frozen=True)
class MonthlyAnalysis:
    month: date  # first day
    generated_on: date
    sectors: list[SectorFigures]
    found: int
    found_major: int
    closed: int
    closed_major: int
    cohort_closed: int  # of the month's hazards, closed by the month's end
    cumulative_found: int
    cumulative_closed: int
    overdue_trend: list[tuple[date, int]]  # (month, overdue at its end)
    top_items: list[ItemCount] = field(default_factory=list)
    repeats: list[RepeatEnterprise] = field(default_factory=list)
    activity: Activity = field(default_factory=Activity)
    major_hazards: list[MajorHazard] = field(default_factory=list)
    previous: Headline | None = None  # the month before
    last_year: Headline | None = None  # the same month a year before

    @property
    def headline(self) -> Headline:
        return Headline(self.month, self.activity.inspections, self.activity.enterprises_inspected, self.found,
                        self.found_major, self.closed, self.cohort_closed)

    @property
    def label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"

    @property
    def rectification_rate(self) -> float | None:
        return self.cohort_closed / self.found if self.found else None

    @property
    def cumulative_rate(self) -> float | None:
        return self.cumulative_closed / self.cumulative_found if self.cumulative_found else None

def parse_month(text: str) -> date:
    """``2025-03`` (or ``2025-3``, ``2025年3月``) -> date(2025, 3, 1); UserError otherwise."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-|/|年)\s*(\d{1,2})\s*月?\s*", text or "")
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise UserError(f"月份“{text}”格式不对，请写成 2025-03。")
    return date(int(match.group(1)), int(match.group(2)), 1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class _Hazard:
    finding_id: str
    description: str
    supervision: str
    found: date
    inspection_id: str
    enterprise_id: str
    enterprise: str
    sector: str
    level: str
    item_id: str
    item_text: str
    deadline: date | None
    closed: date | None
    escalated: date | None


_SQL = """
SELECT f.id, coalesce(nullif(f.description, ''), f.item_text), f.supervision,
       i.started_at, i.id, e.id, e.name, e.industry, f.level, coalesce(f.item_id, ''), f.item_text, f.deadline,
       f.closed_at, x.first_escalated
FROM finding f JOIN inspection i ON i.id = f.inspection_id JOIN enterprise e ON e.id = i.enterprise_id
LEFT JOIN (SELECT finding_id, min(at) AS first_escalated FROM hazard_event
           WHERE to_status = 'escalated' AND deleted_at IS NULL GROUP BY finding_id) x ON x.finding_id = f.id
WHERE f.result = 'fail' AND f.deleted_at IS NULL AND i.deleted_at IS NULL AND i.started_at < :end
"""


def _load(db: "Database", end: date) -> list[_Hazard]:
    from sqlalchemy import text

    from inspector.core.common.clock import CHINA_TZ, local
    from inspector.db.types import from_utc_text, to_utc_text

    end_text = to_utc_text(datetime.combine(end, time(0), CHINA_TZ).astimezone(timezone.utc))
    day = lambda value: local(from_utc_text(value)).date() if value else None  # noqa: E731
    with db.session() as session:
        rows = session.execute(text(_SQL), {"end": end_text}).all()
    return [_Hazard(r[0], r[1], r[2], day(r[3]), r[4], r[5], r[6], r[7] or NO_SECTOR, r[8], r[9], r[10],
                    date.fromisoformat(r[11]) if r[11] else None, day(r[12]), day(r[13])) for r in rows]


def monthly_analysis(db: "Database", month: date, *, today: date | None = None) -> MonthlyAnalysis:
    from inspector.core.common.clock import local_today

    month = month.replace(day=1)
    end = add_months(month, 1)
    hazards = _load(db, end)
    in_month = [h for h in hazards if month <= h.found < end]
    closed = [h for h in hazards if h.closed and month <= h.closed < end]
    return MonthlyAnalysis(
        month=month, generated_on=today or local_today(), sectors=_sectors(in_month, closed),
        found=len(in_month), found_major=sum(h.level == "major" for h in in_month),
        closed=len(closed), closed_major=sum(h.level == "major" for h in closed),
        cohort_closed=sum(1 for h in in_month if h.closed and h.closed < end),
        cumulative_found=len(hazards), cumulative_closed=sum(1 for h in hazards if h.closed and h.closed < end),
        overdue_trend=[(m, _overdue_at(hazards, add_months(m, 1)))
                       for m in (add_months(month, -k) for k in range(TREND_MONTHS - 1, -1, -1))],
        top_items=_top_items(in_month), repeats=_repeats(hazards, month, end),
        activity=load_activity(db, month, end), major_hazards=_major_hazards(hazards, month, end),
        previous=_headline(db, hazards, add_months(month, -1)), last_year=_headline(db, hazards, add_months(month, -12)),
    )


def _headline(db: "Database", hazards: list[_Hazard], month: date) -> Headline:
    end = add_months(month, 1)
    found = [h for h in hazards if month <= h.found < end]
    activity = load_activity(db, month, end)
    return Headline(month, activity.inspections, activity.enterprises_inspected, len(found),
                    sum(h.level == "major" for h in found), sum(1 for h in hazards if h.closed and month <= h.closed < end),
                    sum(1 for h in found if h.closed and h.closed < end))


def _major_hazards(hazards: list[_Hazard], month: date, end: date) -> list[MajorHazard]:
    """Major hazards found in the month, or found before and still open at its start, with their status at its end."""
    from inspector.core.loop.hazards import ledger_number

    chosen = [h for h in hazards if h.level == "major" and (
        month <= h.found < end or not ((h.closed and h.closed < month) or (h.escalated and h.escalated < month)))]
    chosen.sort(key=lambda h: (h.found, h.enterprise))
    return [MajorHazard(ledger_number(h.finding_id, h.found), h.enterprise, h.description[:60], h.found, h.deadline,
                        _status_at(h, end), h.supervision) for h in chosen]


def _status_at(hazard: _Hazard, end: date) -> str:
    if hazard.closed and hazard.closed < end:
        return f"已销号（{hazard.closed.month}月{hazard.closed.day}日）"
    if hazard.escalated and hazard.escalated < end:
        return "移交执法"
    if hazard.deadline and hazard.deadline < end:
        return "逾期未销号"
    return "整改中"


def _sectors(found: list[_Hazard], closed: list[_Hazard]) -> list[SectorFigures]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for hazard in found:
        counts[hazard.sector]["found_" + ("major" if hazard.level == "major" else "general")] += 1
    for hazard in closed:
        counts[hazard.sector]["closed_" + ("major" if hazard.level == "major" else "general")] += 1
    figures = [SectorFigures(sector, **counter) for sector, counter in counts.items()]
    return sorted(figures, key=lambda s: (-s.found, -s.closed, s.sector))


def _overdue_at(hazards: list[_Hazard], end: date) -> int:
    """Open at the start of ``end`` (found before, neither closed nor escalated yet) and past due."""
    return sum(
        1 for h in hazards
        if h.found < end and h.deadline is not None and h.deadline < end
        and not (h.closed and h.closed < end) and not (h.escalated and h.escalated < end)
    )


def _top_items(found: list[_Hazard]) -> list[ItemCount]:
    by_item: dict[str, list[_Hazard]] = defaultdict(list)
    for hazard in found:
        if hazard.item_id:
            by_item[hazard.item_id].append(hazard)
    ranked = sorted(by_item.items(), key=lambda pair: (-len(pair[1]), pair[0]))[:TOP_ITEMS]
    return [ItemCount(item_id, group[0].item_text, group[0].sector, len(group), len({h.enterprise_id for h in group}))
            for item_id, group in ranked]


def _repeats(hazards: list[_Hazard], month: date, end: date) -> list[RepeatEnterprise]:
    window_start = add_months(month, -REPEAT_WINDOW_MONTHS)
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for hazard in hazards:
        if hazard.item_id and window_start <= hazard.found < end:
            key = (hazard.enterprise_id, hazard.item_id)
            seen[key].add(hazard.inspection_id)
    this_month = {(h.enterprise_id, h.item_id): h for h in hazards if h.item_id and month <= h.found < end}
    repeated: dict[str, list[str]] = defaultdict(list)
    for key, hazard in this_month.items():
        if len(seen[key]) >= 2:  # failed again: two inspections within the window
            repeated[key[0]].append(key[1])
    result = []
    for enterprise_id, items in repeated.items():
        sample = next(h for k, h in this_month.items() if k[0] == enterprise_id)
        inspections = set().union(*(seen[(enterprise_id, item)] for item in items))
        result.append(RepeatEnterprise(enterprise_id, sample.enterprise, sample.sector, tuple(sorted(items)),
                                       len(inspections)))
    return sorted(result, key=lambda r: (-len(r.items), -r.inspections, r.name))


def months_with_data(db: "Database") -> list[date]:
    """Months (first days) with at least one inspection, newest first."""
    from sqlalchemy import text

    from inspector.core.common.clock import local
    from inspector.db.types import from_utc_text

    with db.session() as session:
        bounds = session.execute(text(
            "SELECT min(started_at), max(started_at) FROM inspection WHERE deleted_at IS NULL")).one()
    if not bounds[0]:
        return []
    first, last = (local(from_utc_text(value)).date().replace(day=1) for value in bounds)
    months, current = [], last
    while current >= first:
        months.append(current)
        current = add_months(current, -1)
    return months
