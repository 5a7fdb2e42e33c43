"""DocumentData built from an inspection: hazards, photos, inspectors, dates in China time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from inspector.core.common.clock import local, local_today
from inspector.core.documents.finding_rules import fact_found
from inspector.core.documents.notice_data import inspection_document, inspection_document_data
from inspector.db.models import Finding, Inspection, Inspector, Photo
from inspector.db.types import utcnow
from inspector.errors import NotFoundError, UserError


def inspection_with_hazards(db, minimum: int = 2) -> Inspection:
    with db.session() as session:
        for inspection in session.exec(select(Inspection).order_by(Inspection.started_at)).all():
            hazards = session.exec(select(Finding).where(Finding.inspection_id == inspection.id,
                                                         Finding.result == "fail")).all()
            if len(hazards) >= minimum:
                return inspection
    raise AssertionError("the demo has no inspection with enough hazards")


def inspection_without_hazards(db) -> Inspection:
    from inspector.db.models import Enterprise

    with db.session() as session:
        enterprise = session.exec(select(Enterprise)).first()
        inspection = Inspection(enterprise_id=enterprise.id, device_id=db.device_id, place="仓库", notes="现场整洁")
        session.add(inspection)
        session.flush()
        session.add(Finding(inspection_id=inspection.id, result="pass", item_text="消防通道畅通", seq=1))
    return inspection


def test_hazards_are_the_failed_findings_in_order_with_their_before_photos(demo_services):
    db = demo_services.db
    inspection = inspection_with_hazards(db, 3)
    with db.session() as session:
        failed = session.exec(select(Finding).where(Finding.inspection_id == inspection.id, Finding.result == "fail")
                              .order_by(Finding.seq)).all()
        gone = failed[1]
        gone.deleted_at = utcnow()
        session.add(gone)
        first = failed[0]
        session.add(Photo(finding_id=first.id, seq=-1, jpeg=b"early", thumbnail=b"", original_sha256="x",
                          jpeg_sha256="x", caption="先拍", device_id=db.device_id))
        session.add(Photo(finding_id=first.id, seq=5, jpeg=b"after", thumbnail=b"", original_sha256="y",
                          jpeg_sha256="y", kind="after", device_id=db.device_id))
    document = inspection_document(db, inspection.id, "park")  # a park notice lists every matter
    data = document.data
    expected = [f for f in failed if f.id != gone.id]
    assert document.finding_ids == tuple(f.id for f in expected)
    assert [h.no for h in data.hazards] == list(range(1, len(expected) + 1))
    assert [h.description for h in data.hazards] == [fact_found(f.description) for f in expected]
    assert [h.deadline for h in data.hazards] == [f.deadline for f in expected]
    assert [h.level for h in data.hazards] == [f.level for f in expected]
    photos = data.hazards[0].photos
    assert photos[0].jpeg == b"early" and photos[0].caption == "先拍"
    assert all(p.jpeg != b"after" for h in data.hazards for p in h.photos)
    assert len(photos) == 2  # the demo's one photo plus the earlier one; the "after" photo is left out


def test_enterprise_inspectors_and_times(demo_services):
    db = demo_services.db
    inspection = inspection_with_hazards(db)
    data = inspection_document_data(db, inspection.id, "record")
    with db.session() as session:
        inspectors = [session.get(Inspector, i) for i in inspection.inspector_ids]
    assert [(i.name, i.certificate_no) for i in data.inspectors] == [(i.name, i.certificate_no) for i in inspectors]
    assert all(i.certificate_no for i in data.inspectors)
    assert data.started_at == inspection.started_at and data.started_at.utcoffset() is not None
    assert data.place == inspection.place and data.enterprise.name.startswith("兴国县")
    assert len(data.enterprise.credit_code) == 18
    assert data.issued_on == local_today() and data.number is None
    assert inspection_document_data(db, inspection.id, "park", issued_on=date(2025, 5, 6)).issued_on == date(2025, 5, 6)


def test_the_inspection_day_is_the_china_day(demo_services):
    db = demo_services.db
    inspection = inspection_with_hazards(db)
    with db.session() as session:
        row = session.get(Inspection, inspection.id)
        # 2025-03-01 23:30 UTC is already 2 March in China
        from datetime import datetime, timezone

        row.started_at = datetime(2025, 3, 1, 23, 30, tzinfo=timezone.utc)
        session.add(row)
    data = inspection_document_data(db, inspection.id, "record")
    assert local(data.started_at).date() == date(2025, 3, 2)


def test_a_finding_without_deadline_renders_as_a_blank_draft(demo_services):
    from inspector.core.documents import render_document

    db = demo_services.db
    inspection = inspection_with_hazards(db)
    with db.session() as session:
        finding = session.exec(select(Finding).where(Finding.inspection_id == inspection.id,
                                                     Finding.result == "fail").order_by(Finding.seq)).first()
        finding.deadline = None
        session.add(finding)
    data = inspection_document_data(db, inspection.id, "park")
    assert data.hazards[0].deadline is None
    assert render_document(data).startswith(b"%PDF")


def test_unknown_inspection_and_kinds_without_hazards_are_clear_errors(demo_services):
    db = demo_services.db
    with pytest.raises(NotFoundError, match="找不到检查记录"):
        inspection_document_data(db, "no-such-id", "order")
    empty = inspection_without_hazards(db)
    for kind in ("order", "park"):
        with pytest.raises(UserError, match="没有发现隐患"):
            inspection_document_data(db, empty.id, kind)
    record = inspection_document_data(db, empty.id, "record")
    assert record.hazards == () and record.notes == "现场整洁"
    with pytest.raises(UserError, match="复查"):
        inspection_document_data(db, empty.id, "review")
    with pytest.raises(UserError, match="未知的文书种类"):
        inspection_document_data(db, empty.id, "letter")


def test_deleted_inspection_is_not_found(demo_services):
    db = demo_services.db
    inspection = inspection_with_hazards(db)
    with db.session() as session:
        row = session.get(Inspection, inspection.id)
        row.deleted_at = utcnow() + timedelta(seconds=1)
        session.add(row)
    with pytest.raises(NotFoundError):
        inspection_document_data(db, inspection.id, "order")


def test_a_record_without_notes_summarises_what_was_checked(demo_services):
    db = demo_services.db
    inspection = inspection_with_hazards(db)
    with db.session() as session:
        hazards = session.exec(select(Finding).where(Finding.inspection_id == inspection.id,
                                                     Finding.result == "fail")).all()
        checked = session.exec(select(Finding).where(Finding.inspection_id == inspection.id,
                                                     Finding.result != "na")).all()
    notes = inspection_document_data(db, inspection.id, "record").notes
    assert inspection.notes == "" and f"共检查{len(checked)}项" in notes
    assert f"发现事故隐患{len(hazards)}项" in notes and inspection.place in notes and notes.startswith("依据《")
    assert inspection_document_data(db, inspection.id, "order").notes == ""
