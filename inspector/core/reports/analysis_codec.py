"""A :class:`~.analysis.MonthlyAnalysis` as JSON and back, exactly: what ``--json`` prints and what a closed
month stores (:mod:`.analysis_snapshot`). Dates are ISO text; rates are derived, so they are printed but
not read back.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

SCHEMA = "inspector.analysis/2"


def to_json(analysis) -> dict[str, Any]:
    def plain(value):
        if isinstance(value, date):
            return value.isoformat()
        if dataclasses.is_dataclass(value):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, (list, tuple)):
            return [plain(item) for item in value]
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        return value

    result = {"schema": SCHEMA, **plain(analysis)}
    result["month"] = analysis.month.strftime("%Y-%m")
    result["rectification_rate"], result["cumulative_rate"] = analysis.rectification_rate, analysis.cumulative_rate
    result["complete"] = analysis.complete  # derived from counted_through, like the rates
    return result


def from_json(data: dict[str, Any]):
    from inspector.core.reports.analysis import (
        Headline, ItemCount, MonthlyAnalysis, RepeatEnterprise, SectorFigures,
    )
    from inspector.core.reports.analysis_activity import Activity, MajorHazard

    day = date.fromisoformat
    if data.get("schema") != SCHEMA:
        raise ValueError(f"not a stored analysis of this version: {data.get('schema')!r}")

    def headline(value):
        return None if value is None else Headline(**{**value, "month": day(value["month"])})

    return MonthlyAnalysis(
        month=day(data["month"] + "-01"), generated_on=day(data["generated_on"]),
        counted_through=counted_through(data),
        sectors=[SectorFigures(**item) for item in data["sectors"]],
        found=data["found"], found_major=data["found_major"], closed=data["closed"], closed_major=data["closed_major"],
        cohort_closed=data["cohort_closed"], cumulative_found=data["cumulative_found"],
        cumulative_closed=data["cumulative_closed"],
        overdue_trend=[(day(month), count) for month, count in data["overdue_trend"]],
        top_items=[ItemCount(**item) for item in data["top_items"]],
        repeats=[RepeatEnterprise(**{**item, "items": tuple(item["items"])}) for item in data["repeats"]],
        activity=Activity(**data["activity"]),
        major_hazards=[MajorHazard(**{**item, "found": day(item["found"]),
                                      "deadline": day(item["deadline"]) if item["deadline"] else None})
                       for item in data["major_hazards"]],
        previous=headline(data["previous"]), last_year=headline(data["last_year"]),
    )


def counted_through(data: dict[str, Any]) -> date:
    """The stored day the figures were counted through; a month closed before the field existed was over
    when it was closed (closing refuses a month not yet over): its last day."""
    from datetime import timedelta

    from inspector.core.reports.analysis import add_months

    if data.get("counted_through"):
        return date.fromisoformat(data["counted_through"])
    return add_months(date.fromisoformat(data["month"] + "-01"), 1) - timedelta(days=1)
