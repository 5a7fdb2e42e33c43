"""Issued notices: real PDFs (pypdf), frozen after edits, corrections, refusals, voiding, verifying."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import select

from inspector.core.documents import notices, numbering
from inspector.core.common.clock import local_today
from inspector.core.documents import content_hash, load_config, read_embedded_payload
from inspector.core.documents.notice_data import inspection_document
from inspector.db.models import DocumentNumber, Finding, Inspection, Inspector, Notice, Photo
from inspector.db.types import utcnow
from inspector.errors import UserError
from tests.document_dates import future_deadlines

A4 = (595.28, 841.89)
KINDS = ("order", "park", "record")


# --- helpers: look inside the PDF --------------------------------------------------------

def squeeze(text: str) -> str:
    return "".join(text.split())


def pdf_text(pdf: bytes) -> str:
    return squeeze("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def fonts_without_embedding(pdf: bytes) -> list[str]:
    missing = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for name, ref in (page["/Resources"].get("/Font") or {}).items():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(f"{name} {font.get('/BaseFont')}")
    return missing


def image_ids(pdf: bytes) -> set[int]:
    """Distinct image XObjects over all pages (also inside form XObjects)."""
    found: set[int] = set()

    def walk(resources) -> None:
        for ref in (resources.get("/XObject") or {}).values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found.add(ref.idnum)
            elif obj.get("/Subtype") == "/Form" and "/Resources" in obj:
                walk(obj["/Resources"])

    for page in PdfReader(io.BytesIO(pdf)).pages:
        walk(page["/Resources"])
    return found


def page_sizes(pdf: bytes) -> set[tuple[float, float]]:
    return {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
            for p in PdfReader(io.BytesIO(pdf)).pages}


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- fixtures --------------------------------------------------------------------------------

@pytest.fixture
def db(demo_services):
    db = demo_services.db
    future_deadlines(db)
    config = load_config()
    for kind in ("order", "park", "record", "review"):
        numbering.add_block(db, kind=kind, prefix=numbering.series_prefix(config, kind), year=local_today().year,
                            first=1, last=20)
    return db


def hazard_inspection(db, minimum: int = 2) -> str:
    with db.session() as session:
        for inspection in session.exec(select(Inspection).order_by(Inspection.started_at)).all():
            count = len(session.exec(select(Finding.id).where(
                Finding.inspection_id == inspection.id, Finding.result == "fail")).all())
            if count >= minimum:
                return inspection.id
    raise AssertionError("no demo inspection with hazards")


def notice_count(db) -> tuple[int, int]:
    with db.session() as session:
        return (len(session.exec(select(Notice.id)).all()), len(session.exec(select(DocumentNumber.id)).all()))


# --- the documents themselves -------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_an_issued_notice_is_a_complete_pdf(db, kind):
    inspection_id = hazard_inspection(db)
    document = inspection_document(db, inspection_id, kind)
    notice = notices.issue_for_inspection(db, inspection_id, kind)
    config = load_config()
    pdf = notice.pdf
    text = pdf_text(pdf)
    year = local_today().year
    assert notice.number_text == f"{numbering.series_prefix(config, kind)}〔{year}〕1号"
    for expected in (config.title(kind), notice.number_text, document.data.enterprise.name):
        assert squeeze(expected) in text
    for hazard in document.data.hazards:
        assert squeeze(hazard.description).rstrip("。") in text
        assert kind == "record" or chinese_date(hazard.deadline) in text  # a record states facts, no deadlines
    assert page_sizes(pdf) == {A4}
    assert fonts_without_embedding(pdf) == []
    photos = sum(len(h.photos) for h in document.data.hazards)
    assert photos >= 2 and len(image_ids(pdf)) == photos  # the QR code is drawn as vectors, not an image
    assert notice.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    payload = read_embedded_payload(pdf)
    assert payload["number"] == notice.number_text and payload["version"] == "XGAQ2"  # signed (seal.py)
    assert len(payload["content_hash_prefix"]) == 32 and notice.content_sha256.startswith(payload["content_hash_prefix"])
    assert payload["credit_code"] == document.data.enterprise.credit_code


def test_the_notice_row_stores_what_was_issued(db):
    inspection_id = hazard_inspection(db)
    document = inspection_document(db, inspection_id, "order")
    notice = notices.issue_for_inspection(db, inspection_id, "order")
    with db.session() as session:
        stored = session.get(Notice, notice.id)
        number = session.get(DocumentNumber, stored.number_id)
    assert stored.pdf == notice.pdf and stored.status == "issued" and stored.template_family == "enforcement"
    assert stored.inspection_id == inspection_id and stored.enterprise_id == document.enterprise_id
    assert stored.finding_ids == list(document.finding_ids) and stored.device_id == db.device_id
    import dataclasses

    numbered = dataclasses.replace(document.data, number=stored.number_text)
    assert stored.content_sha256 == content_hash(numbered)
    assert (number.kind, number.seq, number.notice_id, number.voided_at) == ("order", 1, notice.id, None)
    assert notices.issue_for_inspection(db, inspection_id, "park").template_family == "park"


def test_a_draft_is_unnumbered_and_marked(db):
    from inspector.core.documents import render_document

    document = inspection_document(db, hazard_inspection(db), "order")
    text = pdf_text(render_document(document.data))
    assert "草稿" in text and "〔" not in text.split("责令限期整改指令书", 1)[1][:20]
    assert notice_count(db) == (0, 0)


# --- issued means frozen -----------------------------------------------------------------------

def test_editing_findings_never_changes_an_issued_notice(db):
    inspection_id = hazard_inspection(db)
    notice = notices.issue_for_inspection(db, inspection_id, "order")
    before = (notice.pdf, notice.pdf_sha256, notice.content_sha256)
    with db.session() as session:
        for finding in session.exec(select(Finding).where(Finding.inspection_id == inspection_id,
                                                          Finding.result == "fail")).all():
            finding.description = "改写后的隐患描述"
            finding.deadline = finding.deadline + timedelta(days=30)
            finding.updated_at, finding.rev = utcnow(), finding.rev + 1
            session.add(finding)
    [stored] = notices.find_notices(db, inspection_id=inspection_id)
    assert (stored.pdf, stored.pdf_sha256, stored.content_sha256) == before
    assert hashlib.sha256(stored.pdf).hexdigest() == before[1]
    assert "改写后的隐患描述" not in pdf_text(stored.pdf)
    assert notices.verify_pdf(db, stored.pdf).ok


def test_a_correction_supersedes_the_old_notice_with_a_reason(db):
    inspection_id = hazard_inspection(db)
    old = notices.issue_for_inspection(db, inspection_id, "park")
    with pytest.raises(notices.IssueRefused, match="更正原因"):
        notices.issue_for_inspection(db, inspection_id, "park", supersedes_id=old.id)
    with db.session() as session:
        finding = session.exec(select(Finding).where(Finding.inspection_id == inspection_id,
                                                     Finding.result == "fail").order_by(Finding.seq)).first()
        finding.description = "更正后的隐患描述"
        session.add(finding)
    new = notices.issue_for_inspection(db, inspection_id, "park", supersedes_id=old.id,
                                       correction_reason="隐患描述有误")
    assert new.supersedes_id == old.id and new.correction_reason == "隐患描述有误"
    assert new.number_text != old.number_text and "更正后的隐患描述" in pdf_text(new.pdf)
    stored_old = notices.get_notice(db, old.id)
    assert stored_old.status == "superseded" and stored_old.pdf == old.pdf and stored_old.rev == 2
    with pytest.raises(notices.IssueRefused, match="不能再更正"):
        notices.issue_for_inspection(db, inspection_id, "park", supersedes_id=old.id, correction_reason="再改")
    with pytest.raises(notices.IssueRefused, match="种类相同"):
        notices.issue_for_inspection(db, inspection_id, "order", supersedes_id=new.id, correction_reason="换文种")
    assert notices.verify_pdf(db, old.pdf).status == "superseded"


# --- checks before issuing ---------------------------------------------------------------------

def photo_required_hazard(db) -> tuple[str, str]:
    """(inspection id, finding id) of a hazard whose checklist item requires a photo."""
    from inspector.core.documents.notice_checks import photo_required_hazards

    with db.session() as session:
        for inspection in session.exec(select(Inspection)).all():
            findings = session.exec(select(Finding).where(Finding.inspection_id == inspection.id,
                                                          Finding.result == "fail").order_by(Finding.seq)).all()
            if not findings:
                continue
            document = inspection_document(db, inspection.id, "order")
            required = photo_required_hazards(session, document.data, document.finding_ids)
            if required:
                return inspection.id, document.finding_ids[min(required) - 1]
    raise AssertionError("no demo hazard requires a photo")


def test_issuing_is_refused_with_every_problem_listed(db):
    inspection_id, finding_id = photo_required_hazard(db)
    with db.session() as session:
        inspection = session.get(Inspection, inspection_id)
        inspector = session.get(Inspector, inspection.inspector_ids[1])
        inspector.certificate_no = ""
        session.add(inspector)
        finding = session.get(Finding, finding_id)
        finding.description = " "
        finding.deadline = (inspection.started_at - timedelta(days=3)).date()
        finding.level, finding.major_clause = "major", ""
        session.add(finding)
        for photo in session.exec(select(Photo).where(Photo.finding_id == finding_id)).all():
            photo.deleted_at = utcnow()
            session.add(photo)
    with pytest.raises(notices.IssueRefused) as refused:
        notices.issue_for_inspection(db, inspection_id, "order")
    problems = "\n".join(refused.value.problems)
    for expected in ("两名以上持证执法人员", f"{inspector.name}缺少执法证号", "缺少隐患描述", "早于检查日期",
                     "须填写判定标准条款", "须附现场照片"):
        assert expected in problems
    assert refused.value.message.startswith("无法签发")
    assert notice_count(db) == (0, 0)  # nothing stored, no number used


def test_a_missing_deadline_is_a_problem_and_park_needs_no_certificates(db):
    inspection_id = hazard_inspection(db)
    with db.session() as session:
        inspection = session.get(Inspection, inspection_id)
        for inspector_id in inspection.inspector_ids:
            inspector = session.get(Inspector, inspector_id)
            inspector.certificate_no = ""
            session.add(inspector)
        finding = session.exec(select(Finding).where(Finding.inspection_id == inspection_id,
                                                     Finding.result == "fail").order_by(Finding.seq)).first()
        finding.deadline = None
        session.add(finding)
    with pytest.raises(notices.IssueRefused) as refused:
        notices.issue_for_inspection(db, inspection_id, "park")
    assert refused.value.problems == ["第1项隐患未设整改期限。"]  # and nothing about certificates


def test_without_a_number_block_nothing_is_issued(demo_services):
    db = demo_services.db
    future_deadlines(db)
    with pytest.raises(UserError, match="号段") as error:
        notices.issue_for_inspection(db, hazard_inspection(db), "order")
    assert not isinstance(error.value, notices.IssueRefused)
    assert notice_count(db) == (0, 0)


# --- voiding and verifying ----------------------------------------------------------------------

def test_voiding_a_notice_keeps_its_number_used(db):
    inspection_id = hazard_inspection(db)
    first = notices.issue_for_inspection(db, inspection_id, "order")
    with pytest.raises(UserError, match="原因"):
        notices.void_notice(db, first.id, "")
    voided = notices.void_notice(db, first.id, "送达前发现企业名称有误")
    assert voided.status == "voided" and voided.void_reason == "送达前发现企业名称有误"
    with db.session() as session:
        number = session.get(DocumentNumber, first.number_id)
    assert number.voided_at is not None and number.void_reason == "送达前发现企业名称有误"
    second = notices.issue_for_inspection(db, inspection_id, "order")
    assert second.number_text.endswith("〔%d〕2号" % local_today().year)
    with pytest.raises(UserError, match="不能作废"):
        notices.void_notice(db, first.id, "again")
    result = notices.verify_pdf(db, first.pdf)
    assert result.status == "voided" and not result.ok and "送达前发现企业名称有误" in result.message


def test_voiding_a_number_voids_its_notice(db):
    notice = notices.issue_for_inspection(db, hazard_inspection(db), "park")
    numbering.void_number(db, notice.number_id, "文号登记错误")
    assert notices.get_notice(db, notice.id).status == "voided"


def test_verify_tells_issued_altered_and_unknown_apart(db):
    from inspector.core.documents import render_document

    inspection_id = hazard_inspection(db)
    notice = notices.issue_for_inspection(db, inspection_id, "order")
    match = notices.verify_pdf(db, notice.pdf)
    assert match.ok and match.notice_id == notice.id and notice.number_text in match.message
    altered = notices.verify_pdf(db, notice.pdf.replace(b"/Producer", b"/Producex", 1))
    assert altered.status == "altered" and altered.notice_id == notice.id and "修改" in altered.message
    draft = render_document(inspection_document(db, inspection_id, "order").data)
    assert notices.verify_pdf(db, draft).status == "unknown"
    import dataclasses

    forged = dataclasses.replace(inspection_document(db, inspection_id, "order").data, number="（兴）应急责改〔2020〕99号")
    unknown = notices.verify_pdf(db, render_document(forged))
    assert unknown.status == "unknown" and "〔2020〕99号" in unknown.message
    assert notices.verify_pdf(db, b"%PDF-1.4 nonsense").status == "unknown"
    assert notices.verify_pdf(db, b"hello").status == "unreadable"


# --- the contract the re-inspection feature uses ----------------------------------------------

def test_issue_document_for_a_review(db):
    from inspector.core.documents import ReviewItem

    inspection_id = hazard_inspection(db)
    order = notices.issue_for_inspection(db, inspection_id, "order")
    document = inspection_document(db, inspection_id, "order")
    import dataclasses

    review = dataclasses.replace(
        document.data, kind="review", reviewed_number=order.number_text, reviewed_on=local_today(),
        review_items=[ReviewItem(h.no, "已按要求整改完毕，符合要求。") for h in document.data.hazards],
    )
    notice = notices.issue_document(db, kind="review", data=review, enterprise_id=document.enterprise_id,
                                    reinspection_id="re-1", finding_ids=document.finding_ids)
    assert notice.kind == "review" and notice.reinspection_id == "re-1" and "应急复查" in notice.number_text
    assert order.number_text in pdf_text(notice.pdf)
    assert [n.id for n in notices.find_notices(db, reinspection_id="re-1")] == [notice.id]
    assert {n.id for n in notices.find_notices(db, enterprise_id=document.enterprise_id)} >= {order.id, notice.id}
    with pytest.raises(ValueError):
        notices.issue_document(db, kind="order", data=review, enterprise_id=document.enterprise_id)


def test_document_config_takes_the_settings_overrides(db, demo_services):
    demo_services.settings.set("document_overrides", {"authority": {"name": "赣州市应急管理局", "abbreviation": "赣"}})
    config = notices.document_config(demo_services)
    inspection_id = hazard_inspection(db)
    numbering.add_block(db, kind="order", prefix="（赣）应急责改", year=local_today().year, first=1, last=5)
    notice = notices.issue_for_inspection(db, inspection_id, "order", config)
    assert notice.number_text.startswith("（赣）应急责改") and "赣州市应急管理局" in pdf_text(notice.pdf)
    demo_services.settings.set("template_family", "enforcement")
    assert notices.default_kind(demo_services) == "order"
    demo_services.settings.set("template_family", "park")
    assert notices.default_kind(demo_services) == "park"


def test_summaries_list_notices_without_their_pdfs(db):
    inspection_id = hazard_inspection(db)
    old = notices.issue_for_inspection(db, inspection_id, "park")
    new = notices.issue_for_inspection(db, inspection_id, "park", supersedes_id=old.id, correction_reason="补充照片")
    rows = {row.id: row for row in notices.notice_summaries(db)}
    assert rows[old.id].status == "superseded" and rows[new.id].supersedes_id == old.id
    assert rows[new.id].kind_name == "安全隐患整改通知书" and rows[new.id].enterprise
    assert "pdf" not in rows[new.id].as_json()


def test_a_review_is_not_refused_for_deadlines_already_passed(db):
    import dataclasses
    from datetime import datetime, timezone

    from inspector.core.documents import ReviewItem
    from inspector.core.documents.notice_checks import issuing_problems

    document = inspection_document(db, hazard_inspection(db), "order")
    late_visit = datetime.now(timezone.utc) + timedelta(days=400)  # after every original deadline
    review = dataclasses.replace(
        document.data, kind="review", started_at=late_visit, reviewed_number="（兴）应急责改〔2025〕1号",
        review_items=[ReviewItem(h.no, "已整改。") for h in document.data.hazards],
    )
    assert issuing_problems(review) == []
    order = dataclasses.replace(document.data, started_at=late_visit)
    assert any("早于检查日期" in p for p in issuing_problems(order))


def test_issuing_an_order_moves_its_pending_hazards_to_rectifying_in_the_same_step(db):
    from inspector.db.models import HazardEvent

    inspection_id = hazard_inspection(db)
    with db.session() as session:
        pending = [f.id for f in session.exec(select(Finding).where(
            Finding.inspection_id == inspection_id, Finding.result == "fail", Finding.status == "pending")).all()]
    assert pending, "the demo inspection should have pending hazards"
    notice = notices.issue_for_inspection(db, inspection_id, "order")
    with db.session() as session:
        statuses = {f.id: f.status for f in session.exec(select(Finding).where(Finding.id.in_(pending))).all()}
        events = session.exec(select(HazardEvent).where(HazardEvent.notice_id == notice.id)).all()
    assert set(statuses.values()) == {"rectifying"}
    assert sorted(e.finding_id for e in events) == sorted(pending)
    assert all(e.to_status == "rectifying" and notice.number_text in e.note for e in events)
    record = notices.issue_for_inspection(db, inspection_id, "record")  # a record orders nothing
    with db.session() as session:
        assert session.exec(select(HazardEvent).where(HazardEvent.notice_id == record.id)).all() == []


# --- one live document per inspection and kind ------------------------------------------------

def test_a_second_live_document_of_the_same_kind_is_refused(db):
    inspection_id = hazard_inspection(db)
    first = notices.issue_for_inspection(db, inspection_id, "order")
    before = notice_count(db)
    with pytest.raises(notices.AlreadyIssued, match="已签发责令限期整改指令书") as refused:
        notices.issue_for_inspection(db, inspection_id, "order")
    assert refused.value.notice_id == first.id and first.number_text in refused.value.message
    assert "更正" in refused.value.message and notice_count(db) == before  # no number drawn either
    assert notices.issue_for_inspection(db, inspection_id, "record").kind == "record"  # another kind is fine
    correction = notices.issue_for_inspection(db, inspection_id, "order", supersedes_id=first.id,
                                              correction_reason="期限有误")
    assert [n.id for n in notices.live_notices(db, inspection_id=inspection_id, kind="order")] == [correction.id]
    notices.void_notice(db, correction.id, "误签")
    assert notices.live_notices(db, inspection_id=inspection_id, kind="order") == []
    assert notices.issue_for_inspection(db, inspection_id, "order").status == "issued"  # after voiding: a new one


def test_a_second_review_of_the_same_reinspection_is_refused(db):
    from inspector.core.documents import ReviewItem

    inspection_id = hazard_inspection(db)
    document = inspection_document(db, inspection_id, "order")
    import dataclasses

    review = dataclasses.replace(document.data, kind="review", reviewed_number="x", reviewed_on=local_today(),
                                 review_items=[ReviewItem(h.no, "已整改。") for h in document.data.hazards])
    args = dict(kind="review", data=review, enterprise_id=document.enterprise_id, reinspection_id="re-2",
                finding_ids=document.finding_ids)
    first = notices.issue_document(db, **args)
    with pytest.raises(notices.AlreadyIssued, match="这次复查已签发整改复查意见书"):
        notices.issue_document(db, **args)
    assert notices.issue_document(db, **args, supersedes_id=first.id, correction_reason="笔误").supersedes_id == first.id


def test_the_preflight_names_the_live_document_and_a_missing_block_in_gui_words(demo_services):
    db = demo_services.db
    future_deadlines(db)
    inspection_id = hazard_inspection(db)
    check = notices.issue_preflight(db, "order", inspection_id=inspection_id)
    assert check.live is None and "号段与文书设置" in check.numbering and "本机号段" in check.numbering
    assert "inspector" not in check.numbering and db.device_id not in check.numbering
    config = load_config()
    numbering.add_block(db, kind="order", prefix=numbering.series_prefix(config, "order"), year=local_today().year,
                        first=1, last=1)
    assert notices.issue_preflight(db, "order", inspection_id=inspection_id).numbering == ""
    notice = notices.issue_for_inspection(db, inspection_id, "order")
    check = notices.issue_preflight(db, "order", inspection_id=inspection_id)
    assert check.live.id == notice.id and "已用完" in check.numbering
