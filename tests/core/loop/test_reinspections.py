"""Re-inspection: open hazards with before photos, outcomes with their rules, completion, review document."""

from __future__ import annotations

from datetime import timedelta

import pytest

from inspector.core.loop import hazards, reinspections
from inspector.errors import UserError
from tests.loop_helpers import add_number_blocks, jpeg_bytes, make_site, today


@pytest.fixture
def site(services):
    # deadlines after today: an order issued today may not carry deadlines already passed
    return make_site(services.db, hazards=3, levels=("general", "major", "general"), deadline_days=20)


def _status(db, finding_id):
    from inspector.db.models import Finding

    with db.session() as session:
        return session.get(Finding, finding_id)


def _after(db, visit, finding_id, colour=(30, 160, 60)):
    return reinspections.add_after_photos(db, visit, finding_id, [("after.jpg", jpeg_bytes(colour, text="after"))])


def test_open_hazards_come_with_before_photos_major_first(services, site):
    rows = reinspections.open_hazards(services.db, site.enterprise_id)
    assert {r.finding_id for r in rows} == set(site.finding_ids)
    assert rows[0].level == "major"
    assert all(len(r.before) == 1 and r.before[0].thumbnail[:2] == b"\xff\xd8" and not r.after for r in rows)


def test_outcome_rules(services, site):
    db = services.db
    visit = reinspections.start_reinspection(db, site.enterprise_id, site.inspector_ids)
    first, second, _ = site.finding_ids
    with pytest.raises(UserError, match="整改后照片"):
        reinspections.record_outcome(db, visit, first, "rectified")
    with pytest.raises(UserError, match="新的整改期限"):
        reinspections.record_outcome(db, visit, second, "not_rectified")
    with pytest.raises(UserError, match="早于今天"):
        reinspections.record_outcome(db, visit, second, "not_rectified", today() - timedelta(days=2))
    with pytest.raises(UserError, match="未知的复查结论"):
        reinspections.record_outcome(db, visit, second, "maybe")
    _after(db, visit, first)
    reinspections.record_outcome(db, visit, first, "rectified")
    reinspections.record_outcome(db, visit, first, "escalated", note="改判")  # may change until completed
    items = reinspections.items_of(db, visit)
    assert len(items) == 1 and items[0].outcome == "escalated" and items[0].rev == 2


def test_an_after_photo_from_another_visit_does_not_count(services, site):
    db = services.db
    earlier = reinspections.start_reinspection(db, site.enterprise_id, site.inspector_ids)
    _after(db, earlier, site.finding_ids[0])
    visit = reinspections.start_reinspection(db, site.enterprise_id, site.inspector_ids)
    with pytest.raises(UserError, match="本次复查"):
        reinspections.record_outcome(db, visit, site.finding_ids[0], "rectified")


def test_completion_closes_extends_and_escalates_in_one_go(services, site):
    from sqlmodel import select

    from inspector.db.models import HazardEvent, Photo, Reinspection

    db = services.db
    first, second, third = site.finding_ids
    visit = reinspections.start_reinspection(db, site.enterprise_id, site.inspector_ids)
    with pytest.raises(UserError, match="还没有记录"):
        reinspections.complete_reinspection(db, visit)
    _after(db, visit, first)
    new = today() + timedelta(days=15)
    reinspections.record_outcome(db, visit, first, "rectified")
    reinspections.record_outcome(db, visit, second, "not_rectified", new, "须更换报警器")
    reinspections.record_outcome(db, visit, third, "escalated", note="拒不整改")
    done = reinspections.complete_reinspection(db, visit)
    assert (done.closed, done.rectifying, done.escalated) == (1, 1, 1)
    assert _status(db, first).status == "closed" and _status(db, first).closed_at is not None
    assert _status(db, second).status == "rectifying" and _status(db, second).deadline == new
    assert _status(db, third).status == "escalated"
    with db.session() as session:
        events = session.exec(select(HazardEvent).where(HazardEvent.reinspection_id == visit)).all()
        after = session.exec(select(Photo).where(Photo.kind == "after")).all()
        assert session.get(Reinspection, visit).status == "completed"
    assert {e.finding_id for e in events} == set(site.finding_ids)
    assert all(e.inspector_id == site.inspector_ids[0] for e in events)
    assert len(after) == 1 and after[0].reinspection_id == visit and after[0].finding_id == first
    with pytest.raises(UserError, match="已完成"):
        reinspections.record_outcome(db, visit, second, "escalated")
    assert [r.finding_id for r in reinspections.open_hazards(db, site.enterprise_id)] == [second]


def test_review_document_pairs_photos_and_names_the_order(services, site):
    from inspector.core.documents.notices import issue_for_inspection
    from inspector.core.documents.review_data import issue_review, review_document

    db = services.db
    add_number_blocks(db)
    order = issue_for_inspection(db, site.inspection_id, "order")  # issuing records it in the history
    assert {_status(db, f).status for f in site.finding_ids} == {"rectifying"}
    assert hazards.record_notice(db, order.id, site.inspector_ids[0]) == 0  # idempotent
    first, second, third = site.finding_ids
    original = _status(db, second).deadline
    visit = reinspections.start_reinspection(db, site.enterprise_id, site.inspector_ids)
    _after(db, visit, first)
    reinspections.record_outcome(db, visit, first, "rectified")
    reinspections.record_outcome(db, visit, second, "not_rectified", today() + timedelta(days=10))
    reinspections.complete_reinspection(db, visit)
    document = review_document(db, visit)
    data = document.data
    assert data.reviewed_number == order.number_text and data.reviewed_on is not None
    assert document.finding_ids == (first, second)
    assert [h.no for h in data.hazards] == [1, 2]  # their numbers in the order
    assert data.hazards[1].deadline == original  # the deadline the order set, not the new one
    assert data.review_items[0].before and data.review_items[0].after
    assert data.review_items[1].after is None and "整改期间" in data.review_items[1].result
    notice = issue_review(db, visit)
    assert notice.kind == "review" and notice.reinspection_id == visit and "应急复查" in notice.number_text
    assert notice.pdf.startswith(b"%PDF")
    text = _pdf_text(notice.pdf)
    assert "整改复查意见书" in text and order.number_text in text and "整改后" in text


def _pdf_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")


def test_review_without_an_order_is_refused_with_a_reason(services, site):
    from inspector.core.documents.review_data import issue_review

    db = services.db
    add_number_blocks(db)
    visit = reinspections.start_reinspection(db, site.enterprise_id, site.inspector_ids)
    reinspections.record_outcome(db, visit, site.finding_ids[2], "escalated")
    reinspections.complete_reinspection(db, visit)
    with pytest.raises(UserError, match="责令限期整改指令书编号"):
        issue_review(db, visit)


def test_start_needs_an_inspector_and_a_known_enterprise(services, site):
    from inspector.errors import NotFoundError

    with pytest.raises(UserError, match="复查人员"):
        reinspections.start_reinspection(services.db, site.enterprise_id, [])
    with pytest.raises(NotFoundError):
        reinspections.start_reinspection(services.db, "nope", site.inspector_ids)


def test_notices_issued_elsewhere_enter_the_history_once(services, site):
    from inspector.core.documents.notices import issue_for_inspection

    db = services.db
    add_number_blocks(db)
    order = issue_for_inspection(db, site.inspection_id, "order")
    from sqlalchemy import text

    with db.session() as session:  # as a database written before issuing recorded history would hold it
        session.execute(text("DELETE FROM hazard_event WHERE notice_id = :n"), {"n": order.id})
        session.execute(text("UPDATE finding SET status = 'pending' WHERE inspection_id = :i"), {"i": site.inspection_id})
    assert {_status(db, f).status for f in site.finding_ids} == {"pending"}
    assert hazards.sync_notice_events(db) == 3
    assert hazards.sync_notice_events(db) == 0
    assert {_status(db, f).status for f in site.finding_ids} == {"rectifying"}
    step = hazards.history(db, site.finding_ids[0])[-1]
    assert step.kind == "notice" and step.notice_number == order.number_text
    assert step.describe().count(order.number_text) == 1
