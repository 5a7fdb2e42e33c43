"""The demo shows a living office relative to "today": every dashboard card, drafts, documents, blocks."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timezone

import pytest

from inspector.core.common.clock import CHINA_TZ


def _at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), CHINA_TZ).astimezone(timezone.utc)


def build(services, day: date, **options):
    from inspector.core.demo.generate import build_demo

    return build_demo(services.db, services.checklists.checklists, seed=5, inspections=8, living_office=True,
                      now=_at_noon(day), **options)


@pytest.mark.parametrize("today", [date(2026, 6, 15), date(2027, 1, 5)])  # the second crosses a year
def test_every_dashboard_card_has_hazards_on_the_given_day(services, today):
    from inspector.core.loop.dashboard import load_dashboard

    result = build(services, today)
    board = load_dashboard(services.db, today=today)
    assert all(board.counts[category] >= 1 for category in board.counts), board.counts
    assert board.counts["overdue"] >= 2 and board.counts["due_soon"] >= 2  # the scenes' own hazards
    assert result.documents == 5
    connection = sqlite3.connect(services.db.path)
    statuses = dict(connection.execute("SELECT status, count(*) FROM finding WHERE result = 'fail' "
                                       "GROUP BY status").fetchall())
    assert statuses.get("awaiting_review", 0) >= 1 and statuses.get("pending", 0) >= 3
    assert statuses.get("rectifying", 0) >= 5


def test_drafts_documents_and_blocks_of_the_current_year(services):
    today = date(2027, 1, 5)
    build(services, today)
    connection = sqlite3.connect(services.db.path)
    drafts = connection.execute("SELECT count(*) FROM inspection WHERE status = 'draft'").fetchone()[0]
    assert drafts >= 1
    kinds = sorted(row[0] for row in connection.execute("SELECT kind FROM notice WHERE status = 'issued'"))
    assert kinds == ["order", "order", "park", "park", "record"]
    blocks = {(kind, year) for kind, year in connection.execute("SELECT kind, year FROM number_block")}
    assert {(kind, 2027) for kind in ("order", "park", "record", "review")} <= blocks
    assert ("park", 2026) in blocks  # the overdue case's notice went out three weeks ago, in December
    issued_days = sorted(row[0][:10] for row in connection.execute("SELECT issued_at FROM notice"))
    assert issued_days[0] < "2027-01-01" and issued_days[-1] <= "2027-01-05"


def test_at_least_six_enterprises_across_the_sectors_have_inspections(services):
    build(services, date(2026, 6, 15))
    connection = sqlite3.connect(services.db.path)
    enterprises, sectors = connection.execute(
        "SELECT count(DISTINCT e.id), count(DISTINCT e.industry) FROM inspection i "
        "JOIN enterprise e ON e.id = i.enterprise_id").fetchone()
    assert enterprises >= 6 and sectors >= 6


def test_a_second_run_keeps_the_blocks_and_numbers_on(services):
    today = date(2026, 6, 15)
    build(services, today)
    build(services, today)
    connection = sqlite3.connect(services.db.path)
    assert connection.execute("SELECT count(*) FROM number_block").fetchone()[0] == 4
    numbers = [row[0] for row in connection.execute("SELECT number_text FROM notice WHERE kind = 'park'")]
    assert len(numbers) == len(set(numbers)) == 4


def test_history_only_is_the_old_demo(services):
    from inspector.core.demo.generate import build_demo

    result = build_demo(services.db, services.checklists.checklists, seed=5, inspections=8)
    connection = sqlite3.connect(services.db.path)
    assert result.documents == 0 and result.inspections == 8
    assert connection.execute("SELECT count(*) FROM number_block").fetchone()[0] == 0
