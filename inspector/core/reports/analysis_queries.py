"""The SQL of the monthly analysis: portable (SQLite file and office server), counted in the database.

Only the month's own hazards, the major hazards still open at its start and the repeat candidates come
back as rows; everything counted over the whole history (cumulative figures, the overdue trend, the
figures of the months compared) is one aggregate pass with ``CASE WHEN`` sums, grouped by sector and
level. "China date < day" is the text comparison ``stored UTC text < utc_bound(day)`` (fixed-width UTC
text orders as time); DATE columns compare with ``YYYY-MM-DD`` parameters.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from inspector.core.reports.china_time import as_date, china_date, utc_bound

_HAZARDS = """FROM finding f JOIN inspection i ON i.id = f.inspection_id JOIN enterprise e ON e.id = i.enterprise_id
WHERE f.result = 'fail' AND f.deleted_at IS NULL AND i.deleted_at IS NULL AND i.started_at < :end"""

#: every escalation (移交执法) event, with what the overdue count looks at when its hazard counts (found before
#: the end; e.id is NULL otherwise). Read as rows (few) and folded in Python, once: grouping them in SQL made
#: SQLite walk the whole event index, and the month's count of escalated hazards comes from the same rows.
_ESCALATIONS = """SELECT ev.finding_id, ev.at, i.started_at, f.deadline, f.closed_at, e.id
FROM hazard_event ev
LEFT JOIN finding f ON f.id = ev.finding_id AND f.result = 'fail' AND f.deleted_at IS NULL
LEFT JOIN inspection i ON i.id = f.inspection_id AND i.deleted_at IS NULL AND i.started_at < :end
LEFT JOIN enterprise e ON e.id = i.enterprise_id
WHERE ev.to_status = 'escalated' AND ev.deleted_at IS NULL"""

_ROW_COLUMNS = """SELECT f.id, coalesce(nullif(f.description, ''), f.item_text), f.supervision, i.started_at, i.id,
       e.id, e.name, e.industry, f.level, coalesce(f.item_id, ''), f.item_text, f.deadline, f.closed_at """

#: the month's hazards, earliest first
_IN_MONTH = _ROW_COLUMNS + _HAZARDS + """ AND i.started_at >= :start ORDER BY i.started_at, f.seq, f.id"""

#: major hazards found in the month, or found before it and not closed before its start (those escalated
#: before its start are left out in Python)
_MAJORS = _ROW_COLUMNS + _HAZARDS + """ AND f.level = 'major'
  AND (i.started_at >= :start OR f.closed_at IS NULL OR f.closed_at >= :start)
ORDER BY i.started_at, e.name, f.seq, f.id"""

#: hazards of the repeat window at the enterprises inspected in the month: (enterprise, item, inspection)
_WINDOW = """SELECT i.enterprise_id, f.item_id, i.id """ + _HAZARDS + """
  AND i.started_at >= :window AND f.item_id IS NOT NULL AND f.item_id != ''
  AND i.enterprise_id IN (SELECT enterprise_id FROM inspection
                          WHERE deleted_at IS NULL AND started_at >= :start AND started_at < :end)"""


class Escalations:
    """The first escalation of each escalated hazard found before the end, and its overdue facts."""

    def __init__(self, rows):
        self.first: dict[str, str] = {}  # of the hazards found before the end
        self.facts: dict[str, tuple] = {}
        self.events: list[tuple[str, str]] = []  # (finding id, at) of every escalation event
        for finding_id, at, started_at, deadline, closed_at, enterprise_id in rows:
            self.events.append((finding_id, at))
            if enterprise_id is None:
                continue
            if finding_id not in self.first or at < self.first[finding_id]:
                self.first[finding_id] = at
            self.facts[finding_id] = (started_at, as_date(deadline), closed_at)

    def hazards_escalated_in(self, start: date, end: date) -> int:
        """Hazards with an escalation event in [start, end) (:attr:`.Activity.escalated`)."""
        low, high = utc_bound(start), utc_bound(end)
        return len({finding_id for finding_id, at in self.events if low <= at < high})

    def before(self, finding_id: str, bound: str) -> bool:
        at = self.first.get(finding_id)
        return at is not None and at < bound

    def overdue_but_escalated(self, point: "TrendPoint") -> int:
        """Hazards the SQL overdue count includes at ``point`` that were escalated before it."""
        bound = utc_bound(point.moment)
        return sum(1 for finding_id, (started_at, deadline, closed_at) in self.facts.items()
                   if started_at < bound and deadline is not None and deadline < point.due_before
                   and (closed_at is None or closed_at >= bound) and self.before(finding_id, bound))


@dataclass(frozen=True)
class TrendPoint:
    """Where a month's overdue count is taken: hazards open at the start of the day ``moment`` whose deadline
    is before ``due_before``. A month that is over: both the first day after it (open at its end, due by its
    last day). The month not yet over: the start of tomorrow and today, the dashboard's 逾期 — what is overdue
    now, not a forecast of its end."""

    moment: date
    due_before: date

    @classmethod
    def at(cls, month_end: date, today: date) -> "TrendPoint":
        """The point of the month ending before ``month_end`` (its first day after), counted on ``today``."""
        if month_end <= today:
            return cls(month_end, month_end)
        return cls(today + timedelta(days=1), today)


def escalations(session, end: date) -> Escalations:
    from sqlalchemy import text

    return Escalations(session.execute(text(_ESCALATIONS), {"end": utc_bound(end)}))


@dataclass(frozen=True)
class Hazard:
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


def hazards_in_month(session, start: date, end: date, escalated: Escalations, no_sector: str) -> list[Hazard]:
    return _hazards(session, _IN_MONTH, start, end, escalated, no_sector)


def open_majors(session, start: date, end: date, escalated: Escalations, no_sector: str) -> list[Hazard]:
    """Major hazards found in the month, or found before it and neither closed nor escalated before its start."""
    bound = utc_bound(start)
    return [h for h in _hazards(session, _MAJORS, start, end, escalated, no_sector)
            if h.found >= start or not escalated.before(h.finding_id, bound)]


def _hazards(session, sql: str, start: date, end: date, escalated: Escalations, no_sector: str) -> list[Hazard]:
    from sqlalchemy import text

    rows = session.execute(text(sql), {"start": utc_bound(start), "end": utc_bound(end)})
    return [Hazard(r[0], r[1], r[2], china_date(r[3]), r[4], r[5], r[6], r[7] or no_sector, r[8], r[9], r[10],
                   as_date(r[11]), china_date(r[12]), china_date(escalated.first.get(r[0]))) for r in rows]


def window_inspections(session, window: date, start: date, end: date) -> list[tuple[str, str, str]]:
    """(enterprise id, item id, inspection id) of every hazard found in [window, end) at an enterprise
    inspected in [start, end)."""
    from sqlalchemy import text

    params = {"window": utc_bound(window), "start": utc_bound(start), "end": utc_bound(end)}
    return [tuple(r) for r in session.execute(text(_WINDOW), params)]


# --- the aggregate pass ----------------------------------------------------------------------

def _found_in(name: str) -> str:
    return f"i.started_at >= :{name}_start AND i.started_at < :{name}_end"


def _closed_before(bound: str) -> str:
    return f"f.closed_at IS NOT NULL AND f.closed_at < :{bound}"


def _count(condition: str) -> str:
    return f"sum(CASE WHEN {condition} THEN 1 ELSE 0 END)"


class Totals:
    """Counts per (sector, level) from one pass over every hazard found before the analysed month's end.

    ``found``/``closed``/``cohort`` are keyed by the name of a compared month ("month", "previous",
    "last_year"); ``overdue`` by the :class:`TrendPoint` of each trend month (open then, past the deadline, not
    escalated)."""

    def __init__(self, found, closed, cohort, cumulative_found, cumulative_closed, overdue):
        self.found: dict[str, Counter] = found
        self.closed: dict[str, Counter] = closed
        self.cohort: dict[str, Counter] = cohort
        self.cumulative_found: int = cumulative_found
        self.cumulative_closed: int = cumulative_closed
        self.overdue: dict[TrendPoint, int] = overdue


def totals(session, months: dict[str, tuple[date, date]], end: date, trend_ends: list[TrendPoint],
           escalated: Escalations, no_sector: str) -> Totals:
    """``months``: name -> (first day, first day after) of each month whose figures are compared."""
    from sqlalchemy import text

    params: dict[str, str] = {"end": utc_bound(end)}
    columns = ["count(*)", _count(_closed_before("end"))]
    for name, (first, after) in months.items():
        params[f"{name}_start"], params[f"{name}_end"] = utc_bound(first), utc_bound(after)
        columns += [_count(_found_in(name)),
                    _count(f"f.closed_at >= :{name}_start AND f.closed_at < :{name}_end"),
                    _count(f"{_found_in(name)} AND {_closed_before(name + '_end')}")]
    for k, trend_end in enumerate(trend_ends):  # open at the start of trend_end and past its deadline
        params[f"t{k}"], params[f"d{k}"] = utc_bound(trend_end.moment), trend_end.due_before.isoformat()
        columns.append(_count(f"i.started_at < :t{k} AND f.deadline < :d{k} AND (f.closed_at IS NULL OR "
                              f"f.closed_at >= :t{k})"))
    sql = f"SELECT e.industry, f.level, {', '.join(columns)} " + _HAZARDS + " GROUP BY e.industry, f.level"
    found = {name: Counter() for name in months}
    closed = {name: Counter() for name in months}
    cohort = {name: Counter() for name in months}
    cumulative_found = cumulative_closed = 0
    overdue = {trend_end: -escalated.overdue_but_escalated(trend_end) for trend_end in trend_ends}
    for row in session.execute(text(sql), params):
        key = (row[0] or no_sector, "major" if row[1] == "major" else "general")
        cumulative_found += row[2]
        cumulative_closed += row[3]
        for index, name in enumerate(months):
            found[name][key] += row[4 + 3 * index]
            closed[name][key] += row[5 + 3 * index]
            cohort[name][key] += row[6 + 3 * index]
        for k, trend_end in enumerate(trend_ends):
            overdue[trend_end] += row[4 + 3 * len(months) + k]
    return Totals(found, closed, cohort, cumulative_found, cumulative_closed, overdue)
