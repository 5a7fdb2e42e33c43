"""The 复查 tab's plain work off the GUI thread (choices, a visit, starting one) and its deadline rule."""

from __future__ import annotations

from datetime import date, timedelta

from inspector.core.loop import reinspections as core

OUTCOMES = ("rectified", "not_rectified", "escalated")
EXTENSION_DAYS = 15  # the default extension for 未整改


def default_new_deadline(current: date | None, today: date) -> date:
    """For 未整改: today + EXTENSION_DAYS, but never earlier than the current deadline."""
    extended = today + timedelta(days=EXTENSION_DAYS)
    return max(current, extended) if current else extended


def _load_choices(db):
    from inspector.core.records.inspectors import list_inspectors

    return core.enterprises_to_review(db), [(i.id, i.name) for i in list_inspectors(db)]


def _load_visit(db, enterprise_id: str, reinspection_id: str | None):
    visit_id = reinspection_id or core.draft_reinspection(db, enterprise_id)
    visit = core.get_reinspection(db, visit_id) if visit_id else None
    return visit, core.open_hazards(db, enterprise_id, visit_id)


def _start(db, enterprise_id: str, inspector_ids: list[str]):
    visit_id = core.start_reinspection(db, enterprise_id, inspector_ids)
    return _load_visit(db, enterprise_id, visit_id)
