"""Hazard life cycle: allowed steps, one event per step, 销号 rules, derived 逾期, history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from inspector.core.loop import hazards
from inspector.errors import NotFoundError, UserError
from tests.loop_helpers import jpeg_bytes, make_site, today


@pytest.fixture
def site(services):
    return make_site(services.db)


def _row(db, table, row_id):
    with db.session() as session:
        return session.get(table, row_id)


def _events(db, finding_id):
    from sqlmodel import select

    from inspector.db.models import HazardEvent

    with db.session() as session:
        return list(session.exec(select(HazardEvent).where(HazardEvent.finding_id == finding_id)
                                 .order_by(HazardEvent.at)).all())


def _add_after_photo(db, finding_id):
    from inspector.core.photos.store import attach_photos

    result = attach_photos(db, finding_id=finding_id, sources=[("after.jpg", jpeg_bytes((30, 150, 60)))], kind="after")
    assert result.added


def test_each_step_updates_the_finding_and_appends_one_dated_attributed_event(services, site):
    from inspector.db.models import Finding

    db, finding_id, officer = services.db, site.finding_ids[0], site.inspector_ids[0]
    before = _row(db, Finding, finding_id)
    hazards.transition(db, finding_id, "rectifying", officer, "下达整改通知")
    hazards.transition(db, finding_id, "awaiting_review", officer, "企业报告整改完成")
    finding = _row(db, Finding, finding_id)
    assert finding.status == "awaiting_review" and finding.rev == before.rev + 2
    assert finding.updated_at > before.updated_at and finding.closed_at is None
    events = _events(db, finding_id)
    assert [(e.from_status, e.to_status) for e in events] == [("pending", "rectifying"), ("rectifying", "awaiting_review")]
    assert all(e.inspector_id == officer and e.device_id == db.device_id and e.at is not None for e in events)
    assert events[1].note == "企业报告整改完成"


def test_steps_not_in_the_life_cycle_are_refused_without_writing(services, site):
    db, finding_id, officer = services.db, site.finding_ids[0], site.inspector_ids[0]
    with pytest.raises(UserError, match="不能改为"):
        hazards.transition(db, finding_id, "pending", officer)
    with pytest.raises(UserError, match="逾期由整改期限自动判定"):
        hazards.transition(db, finding_id, "overdue", officer)
    with pytest.raises(UserError, match="未知的隐患状态"):
        hazards.transition(db, finding_id, "done", officer)
    with pytest.raises(UserError, match="经办人"):
        hazards.transition(db, finding_id, "rectifying", None)
    with pytest.raises(NotFoundError):
        hazards.transition(db, finding_id, "rectifying", "no-such-inspector")
    assert _events(db, finding_id) == []


def test_closing_needs_an_after_photo_and_a_reviewer(services, site):
    from inspector.db.models import Finding

    db, finding_id, reviewer = services.db, site.finding_ids[0], site.inspector_ids[1]
    with pytest.raises(UserError, match="整改后照片"):
        hazards.close(db, finding_id, reviewer)
    _add_after_photo(db, finding_id)
    with pytest.raises(UserError, match="复查人"):
        hazards.close(db, finding_id, None)
    hazards.close(db, finding_id, reviewer, "复查合格")
    finding = _row(db, Finding, finding_id)
    assert finding.status == "closed" and finding.closed_at is not None
    assert _events(db, finding_id)[-1].inspector_id == reviewer
    with pytest.raises(UserError, match="不能改为"):
        hazards.transition(db, finding_id, "rectifying", reviewer, deadline=today() + timedelta(days=5))


def test_escalation_needs_a_reason_and_may_still_be_closed_later(services, site):
    db, finding_id, officer = services.db, site.finding_ids[1], site.inspector_ids[0]
    with pytest.raises(UserError, match="原因"):
        hazards.escalate(db, finding_id, officer, "  ")
    hazards.escalate(db, finding_id, officer, "拒不整改，移交县应急管理局")
    _add_after_photo(db, finding_id)
    hazards.close(db, finding_id, officer)
    assert [e.to_status for e in _events(db, finding_id)] == ["escalated", "closed"]


def test_a_failed_review_needs_a_new_deadline_not_in_the_past(services, site):
    from inspector.db.models import Finding

    db, finding_id, officer = services.db, site.finding_ids[0], site.inspector_ids[0]
    hazards.transition(db, finding_id, "awaiting_review", officer)
    with pytest.raises(UserError, match="新的整改期限"):
        hazards.transition(db, finding_id, "rectifying", officer)
    with pytest.raises(UserError, match="早于今天"):
        hazards.transition(db, finding_id, "rectifying", officer, deadline=today() - timedelta(days=1))
    new = today() + timedelta(days=15)
    hazards.transition(db, finding_id, "rectifying", officer, "复查未整改", deadline=new)
    assert _row(db, Finding, finding_id).deadline == new
    assert _events(db, finding_id)[-1].deadline == new


def test_extending_a_deadline_keeps_the_status_and_is_history(services, site):
    from inspector.db.models import Finding

    db, finding_id, officer = services.db, site.finding_ids[0], site.inspector_ids[0]
    new = today() + timedelta(days=30)
    hazards.set_deadline(db, finding_id, new, officer, "企业申请延期")
    finding = _row(db, Finding, finding_id)
    assert finding.status == "pending" and finding.deadline == new
    steps = hazards.history(db, finding_id)
    assert [s.kind for s in steps] == ["found", "deadline"]
    assert "整改期限改为" in steps[1].describe() and "企业申请延期" in steps[1].describe()


def test_overdue_is_derived_from_deadline_and_open_status():
    day = today()
    past, future = day - timedelta(days=1), day + timedelta(days=1)
    assert hazards.effective_status("rectifying", past, day) == "overdue"
    assert hazards.effective_status("awaiting_review", past, day) == "overdue"
    assert hazards.effective_status("rectifying", day, day) == "rectifying"  # due today is not overdue yet
    assert hazards.effective_status("rectifying", future, day) == "rectifying"
    assert hazards.effective_status("closed", past, day) == "closed"
    assert hazards.effective_status("escalated", past, day) == "escalated"
    assert hazards.effective_status("pending", None, day) == "pending"


def test_history_starts_with_the_finding_and_names_each_step(services, site):
    db, finding_id, officer = services.db, site.finding_ids[0], site.inspector_ids[0]
    hazards.transition(db, finding_id, "rectifying", officer, "下达整改通知")
    steps = hazards.history(db, finding_id)
    assert steps[0].kind == "found" and "刘志强、曾海燕" in steps[0].describe()
    assert steps[1].describe().endswith("刘志强：待整改 → 整改中（下达整改通知）")


def test_parse_status_accepts_codes_and_chinese_names():
    assert hazards.parse_status("已销号") == "closed"
    assert hazards.parse_status("awaiting_review") == "awaiting_review"
    assert hazards.parse_status("逾期") == "overdue"
    with pytest.raises(UserError):
        hazards.parse_status("完成")


def test_a_passed_item_has_no_life_cycle(services, site):
    from inspector.db.models import Finding

    with services.db.session() as session:
        finding = session.get(Finding, site.finding_ids[0])
        finding.result = "pass"
        session.add(finding)
    with pytest.raises(UserError, match="不是隐患"):
        hazards.transition(services.db, site.finding_ids[0], "rectifying", site.inspector_ids[0])


def test_hazards_are_found_by_id_prefix_and_ledger_number(services, site):
    finding_id, other = site.finding_ids
    number = hazards.ledger_number(finding_id, None).rsplit("-", 1)[-1]  # version 7: the id's random last 8
    assert number == finding_id[-8:].upper() != hazards.ledger_number(other, None).rsplit("-", 1)[-1]
    assert hazards.resolve_finding_id(services.db, finding_id[:-4].upper()) == finding_id
    assert hazards.resolve_finding_id(services.db, f"XGKF-2026-{number}") == finding_id
    assert hazards.resolve_finding_id(services.db, number.lower()) == finding_id
    with pytest.raises(UserError, match="多条"):  # made at the same moment: their first digits are the time
        hazards.resolve_finding_id(services.db, finding_id[:8])
    with pytest.raises(UserError, match="至少"):
        hazards.resolve_finding_id(services.db, "abc")
    with pytest.raises(NotFoundError):
        hazards.resolve_finding_id(services.db, "ffffffff-0000")
