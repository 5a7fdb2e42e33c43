"""The record date of a document (成文日期): what may be printed, and what issuing keeps.

The printed date is the record: lists, ``verify``, reviews and the ledger show it. A date after
today is refused (no pre-dating); a date before the inspection is refused; a date before today
(补签, backdating) needs a stated reason, kept on the notice. A rectification deadline must be
after the issue date; a hazard to be put right at once is 立即整改, its own choice. Numbers drawn
out of date order (a later number with an earlier date) are reported as warnings, not refused:
an office may legitimately number a late-recorded document.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from sqlmodel import Session

    from inspector.core.documents import DocumentData
    from inspector.db.models import Notice

KINDS_WITH_OWN_DEADLINES = ("order", "park")


def day_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def date_problems(data: "DocumentData", *, today: date, inspection_date: date | None,
                  backdate_reason: str = "") -> list[str]:
    """Why ``data.issued_on`` (and the deadlines measured from it) cannot be issued."""
    issued = data.issued_on
    problems: list[str] = []
    if issued > today:
        problems.append(f"文书日期{day_text(issued)}晚于今天（{day_text(today)}），不能预签日期。")
    if inspection_date is not None and issued < inspection_date:
        problems.append(f"文书日期{day_text(issued)}早于检查日期{day_text(inspection_date)}。")
    elif data.reviewed_on is not None and issued < data.reviewed_on:
        problems.append(f"复查意见书日期{day_text(issued)}早于被复查文书的日期{day_text(data.reviewed_on)}。")
    elif issued < today and not backdate_reason.strip():
        problems.append(f"文书日期{day_text(issued)}早于今天（{day_text(today)}），属补签，须说明补签原因。")
    if data.kind.value in KINDS_WITH_OWN_DEADLINES:
        for hazard in data.hazards:
            if hazard.immediate or hazard.deadline is None:
                continue
            if hazard.deadline <= issued:
                problems.append(f"第{hazard.no}项隐患的整改期限{day_text(hazard.deadline)}不晚于文书日期"
                                f"{day_text(issued)}；请重新确定整改期限，或改为立即整改。")
    return problems


def printed_deadlines(data: "DocumentData", finding_ids: Sequence[str]) -> dict[str, str]:
    """finding id -> the deadline the document prints (ISO date, or ``immediate``)."""
    result: dict[str, str] = {}
    for hazard, finding_id in zip(data.hazards, finding_ids):
        if hazard.immediate:
            result[finding_id] = "immediate"
        elif hazard.deadline is not None:
            result[finding_id] = hazard.deadline.isoformat()
    return result


def record_date(notice: "Notice") -> date:
    """The printed date of a stored notice (older rows: the China-time day it was stored)."""
    if notice.issued_on is not None:
        return notice.issued_on
    from inspector.core.common.clock import local

    return local(notice.issued_at).date()


def date_order_warnings(session: "Session", notice: "Notice") -> list[str]:
    """Notices of the same number series whose number and date run the other way round."""
    from sqlmodel import select

    from inspector.db.models import DocumentNumber, Notice

    own = session.get(DocumentNumber, notice.number_id) if notice.number_id else None
    if own is None:
        return []
    issued = record_date(notice)
    rows = session.exec(select(DocumentNumber, Notice).join(Notice, Notice.id == DocumentNumber.notice_id).where(
        DocumentNumber.kind == own.kind, DocumentNumber.prefix == own.prefix, DocumentNumber.year == own.year,
        DocumentNumber.id != own.id, Notice.status != "voided", Notice.deleted_at.is_(None))).all()
    warnings = []
    for number, other in sorted(rows, key=lambda pair: pair[0].seq):
        other_day = record_date(other)
        if (number.seq < own.seq and other_day > issued) or (number.seq > own.seq and other_day < issued):
            warnings.append(f"注意：{notice.number_text}（{day_text(issued)}）与{other.number_text}"
                            f"（{day_text(other_day)}）的文号顺序与日期顺序相反。")
    return warnings
