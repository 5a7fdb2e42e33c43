"""Checks before a document is issued: every problem in one list of Chinese sentences.

:func:`issuing_problems` works on the document data alone plus two facts from the
database that the data does not carry (the inspection date and which hazards need a
photo); :func:`problems_from_database` looks those facts up for :func:`issue_document`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Collection, Sequence

if TYPE_CHECKING:
    from sqlmodel import Session

    from inspector.core.documents import DocumentData

KINDS_WITH_HAZARD_PHOTOS = ("order", "park", "record")


def issuing_problems(data: "DocumentData", *, inspection_date: date | None = None,
                     photo_required: Collection[int] = ()) -> list[str]:
    """What stops ``data`` from being issued; ``photo_required`` holds hazard numbers (``no``)."""
    kind = data.kind.value
    problems: list[str] = []
    if not data.enterprise.name.strip():
        problems.append("缺少被检查单位名称。")
    problems += _inspector_problems(data)
    if kind in ("order", "park") and not data.hazards:
        problems.append("整改文书至少需要列出一项隐患。")
    start = inspection_date or _local_date(data.started_at)
    own_hazards = kind in KINDS_WITH_HAZARD_PHOTOS  # a review lists the reviewed order's hazards as they were
    for hazard in data.hazards:
        problems += _hazard_problems(hazard, start, check_deadline=own_hazards,
                                     needs_photo=own_hazards and hazard.no in photo_required)
    if kind == "review" and not data.review_items:
        problems.append("整改复查意见书至少需要一项复查意见。")
    return problems


def _inspector_problems(data: "DocumentData") -> list[str]:
    if data.kind.family != "A":
        return []
    problems = []
    with_certificate = [i for i in data.inspectors if i.name.strip() and i.certificate_no.strip()]
    if len(with_certificate) < 2:
        problems.append(f"执法文书须由两名以上持证执法人员签署，目前有证号的执法人员{len(with_certificate)}名，"
                        "请补充检查人员及执法证号。")
    for inspector in data.inspectors:
        if inspector.name.strip() and not inspector.certificate_no.strip():
            problems.append(f"检查人员{inspector.name}缺少执法证号。")
    return problems


def _hazard_problems(hazard, inspection_date: date | None, *, check_deadline: bool, needs_photo: bool) -> list[str]:
    label = f"第{hazard.no}项隐患"
    problems = []
    if not hazard.description.strip():
        problems.append(f"{label}缺少隐患描述。")
    if check_deadline:
        problems += _deadline_problems(label, hazard.deadline, inspection_date)
    if hazard.level == "major" and not hazard.major_clause.strip():
        problems.append(f"{label}为重大事故隐患，须填写判定标准条款。")
    if needs_photo and not hazard.photos:
        problems.append(f"{label}按检查表要求须附现场照片，目前没有照片。")
    return problems


def _deadline_problems(label: str, deadline: date | None, inspection_date: date | None) -> list[str]:
    if deadline is None:
        return [f"{label}未设整改期限。"]
    if inspection_date is not None and deadline < inspection_date:
        return [f"{label}的整改期限 {deadline.isoformat()} 早于检查日期 {inspection_date.isoformat()}。"]
    return []


def _local_date(moment) -> date | None:
    from inspector.core.common.clock import local

    return None if moment is None else local(moment).date()


# --- facts from the database --------------------------------------------------------------

def problems_from_database(session: "Session", data: "DocumentData", *, inspection_id: str | None,
                           finding_ids: Sequence[str]) -> list[str]:
    """:func:`issuing_problems` with the inspection date and the photo rules looked up.

    ``finding_ids`` name the findings behind ``data.hazards``, in the same order.
    """
    inspection_date = None
    if inspection_id and data.started_at is None:
        from inspector.db.models import Inspection

        inspection = session.get(Inspection, inspection_id)
        inspection_date = _local_date(inspection.started_at) if inspection else None
    required = photo_required_hazards(session, data, finding_ids)
    return issuing_problems(data, inspection_date=inspection_date, photo_required=required)


def photo_required_hazards(session: "Session", data: "DocumentData", finding_ids: Sequence[str]) -> set[int]:
    """Numbers of the hazards whose checklist item has ``photo_required: true``."""
    from inspector.db.models import ChecklistSnapshot, Finding

    required: set[int] = set()
    items_by_snapshot: dict[str, dict[str, bool]] = {}
    for hazard, finding_id in zip(data.hazards, finding_ids):
        finding = session.get(Finding, finding_id)
        if finding is None or not finding.snapshot_id or not finding.item_id:
            continue
        if finding.snapshot_id not in items_by_snapshot:
            snapshot = session.get(ChecklistSnapshot, finding.snapshot_id)
            items_by_snapshot[finding.snapshot_id] = _photo_rules(snapshot.content if snapshot else {})
        if items_by_snapshot[finding.snapshot_id].get(finding.item_id):
            required.add(hazard.no)
    return required


def _photo_rules(content: dict) -> dict[str, bool]:
    return {
        str(item.get("id")): bool(item.get("photo_required"))
        for section in content.get("sections", []) or []
        for item in section.get("items", []) or []
    }
