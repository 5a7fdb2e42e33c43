"""Build the 整改复查意见书 (review document) of a re-inspection from the database.

The document names the order it re-inspects: the latest issued 责令限期整改指令书 among
the notices of the judged hazards (a park 整改通知书 when there is no order), with the date
and the deadlines that order PRINTED (``notice.issued_on``, ``notice.printed_deadlines``), not
the database timestamp or the finding's current deadline. Each hazard keeps the number it had in that order (第N项); hazards the order did not
list are numbered after it. Each review item pairs the hazard's first "before" photo with
the first "after" photo taken in this re-inspection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from inspector.errors import UserError

if TYPE_CHECKING:
    from sqlmodel import Session

    from inspector.core.documents import DocumentData
    from inspector.db.database import Database

OLD_DEADLINE = re.compile(r"原整改期限 (\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class ReviewDocument:
    data: "DocumentData"
    enterprise_id: str
    reinspection_id: str
    finding_ids: tuple[str, ...]  # one per hazard, in the order of ``data.hazards``
    reviewed_notice_id: str | None


def review_result_text(outcome: str, new_deadline: date | None, note: str = "") -> str:
    """复查意见 of one hazard, in the wording of the reference's examples."""
    if outcome == "rectified":
        text = "已按要求整改完毕，符合要求。"
    elif outcome == "not_rectified":
        when = f"{new_deadline.year}年{new_deadline.month}月{new_deadline.day}日" if new_deadline else "限期"
        text = f"未整改完毕，整改期间须落实临时管控措施，于{when}前整改完毕。"
    else:
        text = "未按要求整改，将依法处理（移送立案）。"
    return text + (f"{note.rstrip('。')}。" if note else "")


def review_document(db: "Database", reinspection_id: str, *, issued_on: date | None = None) -> ReviewDocument:
    """The unnumbered review document of a re-inspection (draft or completed)."""
    from inspector.core.common.clock import local_today
    from inspector.core.documents import DocumentData
    from inspector.core.documents.issue_dates import record_date

    with db.session() as session:
        visit, enterprise, inspectors = _visit_parts(session, reinspection_id)
        items = _judged(session, reinspection_id)
        if not items:
            raise UserError("这次复查还没有记录复查结论，无法生成整改复查意见书。")
        notice = _reviewed_notice(session, [finding.id for _, finding in items])
        numbers = _hazard_numbers([finding.id for _, finding in items], notice.finding_ids if notice else [])
        printed = dict(notice.printed_deadlines or {}) if notice else {}
        entries = []
        for item, finding in items:
            before, after = _photo_pair(session, finding.id, reinspection_id)
            deadline = printed.get(finding.id) or _deadline_before(session, finding, visit)
            entries.append((numbers[finding.id], item, finding, deadline, before, after))
    entries.sort(key=lambda entry: entry[0])
    data = DocumentData(
        kind="review", enterprise=_enterprise_info(enterprise), issued_on=issued_on or local_today(),
        inspectors=inspectors, hazards=tuple(_hazard_entry(e) for e in entries),
        review_items=tuple(_review_item(e) for e in entries), notes=visit.notes,
        reviewed_number=notice.number_text if notice else None,
        reviewed_on=record_date(notice) if notice else None,
        reviewed_kind=notice.kind if notice and notice.kind != "order" else "",
    )
    return ReviewDocument(data, enterprise.id, visit.id, tuple(e[2].id for e in entries),
                          notice.id if notice else None)


def _visit_parts(session: "Session", reinspection_id: str):
    from inspector.core.documents import Inspector as DocInspector
    from inspector.core.loop.reinspections import load_visit
    from inspector.db.models import Enterprise, Inspector

    visit = load_visit(session, reinspection_id)
    enterprise = session.get(Enterprise, visit.enterprise_id)
    rows = [session.get(Inspector, i) for i in visit.inspector_ids or []]
    inspectors = tuple(DocInspector(r.name, r.certificate_no) for r in rows if r is not None and r.deleted_at is None)
    return visit, enterprise, inspectors


def _judged(session: "Session", reinspection_id: str) -> list:
    from sqlmodel import select

    from inspector.db.models import Finding, ReinspectionItem

    query = (select(ReinspectionItem, Finding).join(Finding, Finding.id == ReinspectionItem.finding_id)
             .where(ReinspectionItem.reinspection_id == reinspection_id, ReinspectionItem.deleted_at.is_(None),
                    Finding.deleted_at.is_(None))
             .order_by(ReinspectionItem.created_at))
    return list(session.exec(query).all())


def _reviewed_notice(session: "Session", finding_ids: list[str]):
    """The latest issued order (else park notice) that lists any of these hazards."""
    from sqlalchemy import text

    from inspector.db.portable_sql import json_ids
    from inspector.db.models import Notice

    marks = ",".join(f":f{n}" for n in range(len(finding_ids)))
    notice_id = session.execute(text(
        f"SELECT n.id FROM notice n WHERE n.status = 'issued' AND n.deleted_at IS NULL "
        f"AND n.kind IN ('order', 'park') "
        f"AND EXISTS (SELECT 1 FROM {json_ids(session, 'n.finding_ids')} WHERE j.value IN ({marks})) "
        f"ORDER BY CASE WHEN n.kind = 'order' THEN 0 ELSE 1 END, n.issued_at DESC LIMIT 1"
    ), {f"f{n}": value for n, value in enumerate(finding_ids)}).scalar()
    return session.get(Notice, notice_id) if notice_id else None


def _hazard_numbers(finding_ids: list[str], notice_order: list[str]) -> dict[str, int]:
    """第N项 as in the reviewed notice; hazards it does not list come after its last number."""
    position = {finding_id: index for index, finding_id in enumerate(notice_order, start=1)}
    numbers = {f: position[f] for f in finding_ids if f in position}
    following = max(numbers.values(), default=0)
    for finding_id in finding_ids:
        if finding_id not in numbers:
            following += 1
            numbers[finding_id] = following
    return numbers


def _photo_pair(session: "Session", finding_id: str, reinspection_id: str):
    from inspector.core.documents import PhotoEntry
    from inspector.db.models import Photo
    from sqlmodel import select

    query = select(Photo).where(Photo.finding_id == finding_id, Photo.deleted_at.is_(None)).order_by(
        Photo.seq, Photo.created_at)
    photos = list(session.exec(query).all())
    before = next((p for p in photos if p.kind == "before"), None)
    after = next((p for p in photos if p.kind == "after" and p.reinspection_id == reinspection_id), None)
    after = after or next((p for p in reversed(photos) if p.kind == "after"), None)
    as_entry = lambda p: None if p is None else PhotoEntry(p.jpeg, p.caption, p.captured_at)  # noqa: E731
    return as_entry(before), as_entry(after)


def _deadline_before(session: "Session", finding, visit) -> date | None:
    """The deadline that was in force when the re-inspection judged the hazard."""
    from sqlmodel import select

    from inspector.db.models import HazardEvent

    own = session.exec(select(HazardEvent).where(
        HazardEvent.finding_id == finding.id, HazardEvent.reinspection_id == visit.id,
        HazardEvent.deadline.is_not(None), HazardEvent.deleted_at.is_(None))).first()
    if own is None:
        return finding.deadline
    match = OLD_DEADLINE.search(own.note)
    if match:
        return date.fromisoformat(match.group(1))
    earlier = session.exec(select(HazardEvent).where(
        HazardEvent.finding_id == finding.id, HazardEvent.at < own.at, HazardEvent.deadline.is_not(None),
        HazardEvent.deleted_at.is_(None)).order_by(HazardEvent.at.desc())).first()
    return earlier.deadline if earlier else finding.deadline


def _enterprise_info(enterprise):
    from inspector.core.documents import EnterpriseInfo

    return EnterpriseInfo(name=enterprise.name, credit_code=enterprise.credit_code or "",
                          address=enterprise.address, legal_representative=enterprise.legal_representative,
                          contact_phone=enterprise.contact_phone)


def _hazard_entry(entry):
    from inspector.core.documents import HazardEntry

    from inspector.core.documents.finding_rules import fact_found, matter_of
    from inspector.core.documents.config import bundled_config

    no, _item, finding, deadline, _before, _after = entry
    immediate = deadline == "immediate"
    if isinstance(deadline, str):  # as the reviewed document printed it
        deadline = None if immediate else date.fromisoformat(deadline)
    matter = matter_of(bundled_config().competence.fire, texts=(finding.basis, finding.major_clause))
    return HazardEntry(no=no, description=fact_found(finding.description or finding.item_text), deadline=deadline,
                       location=finding.location, level=finding.level if finding.level in ("general", "major")
                       else "general", major_clause=finding.major_clause, requirement=finding.requirement,
                       basis=finding.basis, immediate=immediate, matter=matter)


def _review_item(entry):
    from inspector.core.documents import ReviewItem

    no, item, _finding, _deadline, before, after = entry
    return ReviewItem(hazard_no=no, result=review_result_text(item.outcome, item.new_deadline, item.note),
                      before=before, after=after)


def _local_day(moment) -> date:
    from inspector.core.common.clock import local

    return local(moment).date()


def issue_review(db: "Database", reinspection_id: str, config=None, *, issued_on: date | None = None,
                 backdate_reason: str = ""):
    """Build and issue (number, render, store) the review document; returns the Notice."""
    from inspector.core.documents.notices import issue_document

    document = review_document(db, reinspection_id, issued_on=issued_on)
    return issue_document(db, kind="review", data=document.data, enterprise_id=document.enterprise_id,
                          reinspection_id=reinspection_id, finding_ids=document.finding_ids, config=config,
                          backdate_reason=backdate_reason)
