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
from datetime import date, timedelta
from typing import TYPE_CHECKING

from inspector.core.reports.analysis_activity import Activity, MajorHazard
from inspector.errors import UserError

if TYPE_CHECKING:
    from inspector.core.reports.analysis_queries import Hazard
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
    counted_through: date  # the month's last day, or today while it is not over (its figures so far)
    sectors: list[SectorFigures]
    found: int
    found_major: int
    closed: int
    closed_major: int
    cohort_closed: int  # of the month's hazards, closed by the month's end
    cumulative_found: int
    cumulative_closed: int
    overdue_trend: list[tuple[date, int]]  # (month, overdue at its end; the last: today, while it is not over)
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
    def complete(self) -> bool:
        """The month is over: its figures are final (a month not yet over is counted through today)."""
        return self.counted_through >= add_months(self.month, 1) - timedelta(days=1)

    @property
    def end_label(self) -> str:
        """What the report calls the moment its figures are taken: 月末, or 12月2日 while the month is not over."""
        return "月末" if self.complete else f"{self.counted_through.month}月{self.counted_through.day}日"

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


def monthly_analysis(db: "Database", month: date, *, today: date | None = None) -> MonthlyAnalysis:
    """The month's analysis, counted in the database (:mod:`.analysis_queries`): the same on SQLite and
    on the office server; only the month's hazards and the open major hazards are read as rows."""
    from inspector.core.common.clock import local_today
    from inspector.core.reports import analysis_queries as queries
    from inspector.core.reports.analysis_activity import activity_in

    month = month.replace(day=1)
    end = add_months(month, 1)
    today = today or local_today()
    compared = {"month": month, "previous": add_months(month, -1), "last_year": add_months(month, -12)}
    trend = [add_months(month, -k) for k in range(TREND_MONTHS - 1, -1, -1)]
    points = [queries.TrendPoint.at(add_months(m, 1), today) for m in trend]
    with db.session() as session:
        escalated = queries.escalations(session, end)
        in_month = queries.hazards_in_month(session, month, end, escalated, NO_SECTOR)
        totals = queries.totals(session, {name: (first, add_months(first, 1)) for name, first in compared.items()},
                                end, points, escalated, NO_SECTOR)
        majors = queries.open_majors(session, month, end, escalated, NO_SECTOR)
        window = queries.window_inspections(session, add_months(month, -REPEAT_WINDOW_MONTHS), month, end)
        activities = {name: activity_in(session, first, add_months(first, 1),
                                      escalated=escalated.hazards_escalated_in(first, add_months(first, 1)))
                      for name, first in compared.items()}
    found, closed = totals.found["month"], totals.closed["month"]
    return MonthlyAnalysis(
        month=month, generated_on=today, counted_through=min(end - timedelta(days=1), today),
        sectors=_sectors(found, closed),
        found=sum(found.values()), found_major=_major(found), closed=sum(closed.values()), closed_major=_major(closed),
        cohort_closed=sum(totals.cohort["month"].values()),
        cumulative_found=totals.cumulative_found, cumulative_closed=totals.cumulative_closed,
        overdue_trend=[(m, totals.overdue[point]) for m, point in zip(trend, points)],
        top_items=_top_items(in_month), repeats=_repeats(in_month, window),
        activity=activities["month"], major_hazards=_major_hazards(majors, points[-1]),
        previous=_headline(totals, activities, "previous", compared["previous"]),
        last_year=_headline(totals, activities, "last_year", compared["last_year"]),
    )


def _major(counts: Counter) -> int:
    return sum(count for (_, level), count in counts.items() if level == "major")


def _headline(totals, activities: dict, name: str, month: date) -> Headline:
    activity = activities[name]
    found = totals.found[name]
    return Headline(month, activity.inspections, activity.enterprises_inspected, sum(found.values()), _major(found),
                    sum(totals.closed[name].values()), sum(totals.cohort[name].values()))


def _major_hazards(chosen: list["Hazard"], point) -> list[MajorHazard]:
    """Major hazards found in the month, or found before and still open at its start (as the query chose
    them), with their status at its end (today, while it is not over: ``point``, a ``TrendPoint``)."""
    from inspector.core.loop.hazards import ledger_number

    chosen = sorted(chosen, key=lambda h: (h.found, h.enterprise))
    return [MajorHazard(ledger_number(h.finding_id, h.found), h.enterprise, h.description[:60], h.found, h.deadline,
                        _status_at(h, point), h.supervision) for h in chosen]


def _status_at(hazard: "Hazard", point) -> str:
    if hazard.closed and hazard.closed < point.moment:
        return f"已销号（{hazard.closed.month}月{hazard.closed.day}日）"
    if hazard.escalated and hazard.escalated < point.moment:
        return "移交执法"
    if hazard.deadline and hazard.deadline < point.due_before:
        return "逾期未销号"
    return "整改中"


def _sectors(found: Counter, closed: Counter) -> list[SectorFigures]:
    """Counts keyed by (sector, "general"/"major") -> one line per sector with a hazard found or closed."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for prefix, counter in (("found_", found), ("closed_", closed)):
        for (sector, level), count in counter.items():
            if count:
                counts[sector][prefix + level] += count
    figures = [SectorFigures(sector, **counter) for sector, counter in counts.items()]
    return sorted(figures, key=lambda s: (-s.found, -s.closed, s.sector))


def _top_items(found: list["Hazard"]) -> list[ItemCount]:
    by_item: dict[str, list["Hazard"]] = defaultdict(list)
    for hazard in found:
        if hazard.item_id:
            by_item[hazard.item_id].append(hazard)
    ranked = sorted(by_item.items(), key=lambda pair: (-len(pair[1]), pair[0]))[:TOP_ITEMS]
    return [ItemCount(item_id, group[0].item_text, group[0].sector, len(group), len({h.enterprise_id for h in group}))
            for item_id, group in ranked]


def _repeats(in_month: list["Hazard"], window: list[tuple[str, str, str]]) -> list[RepeatEnterprise]:
    """An item failed this month that failed at the same enterprise in another inspection too, within the
    window (``window``: (enterprise, item, inspection) of the window's hazards at this month's enterprises)."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for enterprise_id, item_id, inspection_id in window:
        seen[(enterprise_id, item_id)].add(inspection_id)
    this_month = {(h.enterprise_id, h.item_id): h for h in in_month if h.item_id}
    repeated: dict[str, list[str]] = defaultdict(list)
    for key in this_month:
        if len(seen[key]) >= 2:  # failed again: two inspections within the window
            repeated[key[0]].append(key[1])
    samples: dict[str, "Hazard"] = {}
    for (enterprise_id, _), hazard in this_month.items():
        samples.setdefault(enterprise_id, hazard)
    result = []
    for enterprise_id, items in repeated.items():
        sample = samples[enterprise_id]
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
