"""An inspection on site: start it, answer items, edit findings, add free findings, complete it.

Every function is one unit of work that commits before it returns (autosave): what the
GUI shows as saved survives a crash or a dead battery (the database runs with
``synchronous=FULL``). An answered checklist item is one :class:`Finding` row with result
``pass``/``fail``/``na``; a hazard is a ``fail`` row; a free finding has no item id.
A completed inspection is a record: it is changed only after :func:`reopen_inspection`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from inspector.core.records.checklists import Checklist, snapshot_of
from inspector.core.records.inspection_state import (
    get_inspection,
    item_of,
    live_findings,
    load_state,
    local_deadline,
    photo_counts,
    snapshot_checklist,
)
from inspector.core.records.industries import finding_level
from inspector.core.records.inspectors import remember_inspectors
from inspector.core.common.synced import mark_changed, set_fields, tombstone
from inspector.db.database import Database
from inspector.db.models import LEVELS, RESULTS, ChecklistSnapshot, Enterprise, Finding, Inspection, Inspector
from inspector.db.types import utcnow
from inspector.errors import NotFoundError, UserError

#: Fields of a finding the finding editor changes.
EDITABLE_FIELDS = ("description", "location", "level", "major_clause", "requirement", "deadline", "basis",
                   "responsible_person", "item_text")
FREE_FINDING_DEADLINE_DAYS = 30
MAX_TEXT = 4000
#: How the finding editor labels each field, for messages.
FIELD_LABELS = {"description": "隐患描述", "location": "隐患部位", "major_clause": "重大隐患判定条款",
                "requirement": "整改要求", "basis": "依据", "responsible_person": "整改责任人", "item_text": "检查内容"}
MIN_INSPECTORS = 2


def start_inspection(db: Database, *, enterprise_id: str, checklists: Sequence[Checklist], inspector_ids: Sequence[str],
                     place: str = "", started_at: datetime | None = None, settings=None) -> Inspection:
    """A new draft inspection that records the exact checklists used; remembers the team in ``settings``."""
    team = list(dict.fromkeys(inspector_ids))
    if not checklists:
        raise UserError("请至少选择一张检查表。")
    if len(team) < MIN_INSPECTORS:
        raise UserError(f"现场检查至少需要两名检查人员（已选 {len(team)} 名）。")
    snapshots = [snapshot_of(checklist) for checklist in checklists]
    with db.session() as session:
        _check_enterprise(session, enterprise_id)
        _check_inspectors(session, team)
        for snapshot in snapshots:
            if session.get(ChecklistSnapshot, snapshot["id"]) is None:
                session.add(ChecklistSnapshot(**snapshot))
        inspection = Inspection(
            enterprise_id=enterprise_id, inspector_ids=team, place=_text(place, "检查场所"),
            snapshot_ids=list(dict.fromkeys(s["id"] for s in snapshots)), started_at=started_at or utcnow(),
            device_id=db.device_id,
        )
        session.add(inspection)
    if settings is not None:
        remember_inspectors(settings, team)
    return inspection


def answer_item(db: Database, *, inspection_id: str, snapshot_id: str, item_id: str, result: str) -> Finding:
    """Record 合格/不合格/不适用 for one item; 不合格 fills the hazard fields from the item once."""
    if result not in RESULTS:
        raise ValueError(f"unknown result {result!r}")
    with db.session() as session:
        inspection = _open_inspection(session, inspection_id)
        if snapshot_id not in inspection.snapshot_ids:
            raise NotFoundError("该检查表不属于这次检查。")
        offset, item = item_of(session, snapshot_id, item_id)
        finding = _answer_row(session, inspection_id, snapshot_id, item_id)
        if finding is None:
            finding = Finding(inspection_id=inspection_id, snapshot_id=snapshot_id, item_id=item_id,
                              item_text=item.text, seq=_item_seq(session, inspection, snapshot_id, offset),
                              result=result, description="", device_id=db.device_id)
        elif finding.result != result:
            finding.result = result
            mark_changed(finding)
        if result == "fail" and not finding.description and not finding.requirement:
            _prefill(finding, item, inspection, _failed_item_ids(session, inspection_id, snapshot_id),
                     _industry(session, inspection))
        session.add(finding)
        if item.major_rule is not None and item.major_rule.all_of:
            _refresh_condition_levels(session, inspection, snapshot_id, finding)
    return finding


def update_finding(db: Database, finding_id: str, **changes: Any) -> Finding:
    """Change editor fields of a finding (description, level, deadline...); saved at once."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"fields not editable: {sorted(unknown)}")
    _validate(changes)
    with db.session() as session:
        finding = _live_finding(session, finding_id)
        _open_inspection(session, finding.inspection_id)
        if set_fields(finding, changes):
            session.add(finding)
    return finding


def add_free_finding(db: Database, *, inspection_id: str, description: str = "", level: str = "general") -> Finding:
    """A hazard that no checklist item covers."""
    _validate({"description": description, "level": level})
    with db.session() as session:
        inspection = _open_inspection(session, inspection_id)
        last = session.exec(select(func.max(Finding.seq)).where(Finding.inspection_id == inspection_id)).one()
        item_count = _item_count(session, inspection)
        finding = Finding(
            inspection_id=inspection_id, item_id=None, seq=max(last or 0, item_count) + 1, result="fail",
            description=description, location=inspection.place, level=level,
            deadline=local_deadline(inspection, FREE_FINDING_DEADLINE_DAYS), device_id=db.device_id,
        )
        session.add(finding)
    return finding


def delete_free_finding(db: Database, finding_id: str) -> None:
    """Remove a free finding (tombstone); checklist answers are changed, not deleted."""
    with db.session() as session:
        finding = _live_finding(session, finding_id)
        _open_inspection(session, finding.inspection_id)
        if finding.item_id is not None:
            raise UserError("检查表中的检查项不能删除，可改为“不适用”。")
        tombstone(finding)
        session.add(finding)


def completion_problems(db: Database, inspection_id: str) -> list[str]:
    """What stops the inspection from being completed, one Chinese sentence each (empty: ready)."""
    state = load_state(db, inspection_id)
    problems = []
    if len(state.inspection.inspector_ids) < MIN_INSPECTORS:
        problems.append(f"检查人员不足两名（现有 {len(state.inspection.inspector_ids)} 名）。")
    unanswered = [item.item.id for item in state.items if item.key not in state.answers]
    if unanswered:
        problems.append(f"还有 {len(unanswered)} 项未检查：{_names(unanswered)}。")
    hazards = [(_hazard_name(f, number), f) for number, f in enumerate(state.hazards(), 1)]
    for label, field in (("未填写隐患描述", "description"), ("未填写整改要求", "requirement"), ("未填写整改期限", "deadline")):
        missing = [name for name, finding in hazards if _blank(getattr(finding, field))]
        if missing:
            problems.append(f"{len(missing)} 条隐患{label}：{_names(missing)}。")
    needs_photo = [item.item.id for item in state.items if _lacks_required_photo(state, item)]
    if needs_photo:
        problems.append(f"{len(needs_photo)} 条隐患须附现场照片：{_names(needs_photo)}。")
    return problems


def complete_inspection(db: Database, inspection_id: str) -> Inspection:
    """Mark the inspection completed, or raise UserError listing everything still missing."""
    problems = completion_problems(db, inspection_id)
    if problems:
        raise UserError("检查尚不能完成：" + "".join(problems))
    with db.session() as session:
        inspection = get_inspection(session, inspection_id)
        if inspection.status != "completed":
            set_fields(inspection, {"status": "completed", "ended_at": utcnow()})
            session.add(inspection)
    return inspection


def reopen_inspection(db: Database, inspection_id: str) -> Inspection:
    with db.session() as session:
        inspection = get_inspection(session, inspection_id)
        if set_fields(inspection, {"status": "draft", "ended_at": None}):
            session.add(inspection)
    return inspection


def finding_photo_count(db: Database, finding_id: str) -> int:
    with db.session() as session:
        return photo_counts(session, [finding_id]).get(finding_id, 0)


def get_finding(db: Database, finding_id: str) -> Finding:
    with db.session() as session:
        return _live_finding(session, finding_id)


def hazards_of(db: Database, inspection_id: str) -> list[Finding]:
    """The inspection's hazards (failed items and free findings) in walk-through order."""
    with db.session() as session:
        return [f for f in live_findings(session, inspection_id) if f.result == "fail"]


# --- helpers ---------------------------------------------------------------------------


def _prefill(finding: Finding, item, inspection: Inspection, failed: set[str], industry: str) -> None:
    finding.description = item.hazard
    finding.level, finding.major_clause = finding_level(item, industry, failed)
    finding.requirement = item.requirement
    finding.basis = item.basis
    finding.deadline = local_deadline(inspection, item.deadline_days)
    finding.location = finding.location or inspection.place


def _industry(session: Session, inspection: Inspection) -> str:
    enterprise = session.get(Enterprise, inspection.enterprise_id)
    return enterprise.industry if enterprise is not None else ""


def _failed_item_ids(session: Session, inspection_id: str, snapshot_id: str) -> set[str]:
    session.flush()
    return {f.item_id for f in live_findings(session, inspection_id)
            if f.snapshot_id == snapshot_id and f.item_id and f.result == "fail"}


def _refresh_condition_levels(session: Session, inspection: Inspection, snapshot_id: str, answered: Finding) -> None:
    """Items of a multi-condition article (判定标准第十三条（一）: 台账 *and* 警示标志) are 重大 only while
    all of them fail: re-evaluate the failed ones of the group after each answer."""
    checklist = snapshot_checklist(session, snapshot_id)
    failed = _failed_item_ids(session, inspection.id, snapshot_id)
    group = set(checklist.item(answered.item_id).major_rule.all_of) | {answered.item_id}
    for finding in live_findings(session, inspection.id):
        if finding.snapshot_id != snapshot_id or finding.item_id not in group or finding.result != "fail":
            continue
        level, clause = finding_level(checklist.item(finding.item_id), _industry(session, inspection), failed)
        if set_fields(finding, {"level": level, "major_clause": clause}):
            session.add(finding)


def _answer_row(session: Session, inspection_id: str, snapshot_id: str, item_id: str) -> Finding | None:
    statement = select(Finding).where(Finding.inspection_id == inspection_id, Finding.snapshot_id == snapshot_id,
                                      Finding.item_id == item_id, col(Finding.deleted_at).is_(None))
    return session.exec(statement).first()


def _item_seq(session: Session, inspection: Inspection, snapshot_id: str, offset: int) -> int:
    """Position of the item in the whole walk-through (1-based), so findings sort as shown."""
    before = 0
    for other in inspection.snapshot_ids:
        if other == snapshot_id:
            return before + offset + 1
        before += _snapshot_size(session, other)
    return before + offset + 1


def _item_count(session: Session, inspection: Inspection) -> int:
    return sum(_snapshot_size(session, snapshot_id) for snapshot_id in inspection.snapshot_ids)


def _snapshot_size(session: Session, snapshot_id: str) -> int:
    return len(snapshot_checklist(session, snapshot_id).items)


def _open_inspection(session: Session, inspection_id: str) -> Inspection:
    inspection = get_inspection(session, inspection_id)
    if inspection.status == "completed":
        raise UserError("这次检查已完成，记录不能再修改；如需更正请先“重新打开”。")
    return inspection


def _live_finding(session: Session, finding_id: str) -> Finding:
    finding = session.get(Finding, finding_id)
    if finding is None or finding.deleted_at is not None:
        raise NotFoundError(f"找不到检查记录中的这一项（编号 {finding_id}）。")
    return finding


def _check_enterprise(session: Session, enterprise_id: str) -> None:
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None or enterprise.deleted_at is not None:
        raise NotFoundError("请选择已登记的企业。")


def _check_inspectors(session: Session, team: list[str]) -> None:
    found = set(session.exec(select(Inspector.id).where(col(Inspector.id).in_(team),
                                                       col(Inspector.deleted_at).is_(None))).all())
    if set(team) - found:
        raise NotFoundError("所选检查人员中有人未登记或已删除。")


def _validate(changes: dict[str, Any]) -> None:
    if "level" in changes and changes["level"] not in LEVELS:
        raise ValueError(f"unknown level {changes['level']!r}")
    if "deadline" in changes and changes["deadline"] is not None and not isinstance(changes["deadline"], date):
        raise TypeError("deadline must be a date or None")
    for name, value in changes.items():
        if isinstance(value, str):
            _text(value, FIELD_LABELS.get(name, name))


def _text(value: str, label: str) -> str:
    if len(value) > MAX_TEXT:
        raise UserError(f"{label}内容过长（上限 {MAX_TEXT} 字）。")
    return value


def _lacks_required_photo(state, item) -> bool:
    finding = state.finding_for(item)
    failed = finding is not None and finding.result == "fail"
    return item.item.photo_required and failed and not state.photo_counts.get(finding.id)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _hazard_name(finding: Finding, number: int) -> str:
    return finding.item_id or f"自由隐患{number}"


def _names(names: list[str], limit: int = 10) -> str:
    shown = "、".join(names[:limit])
    return shown + (" 等" if len(names) > limit else "")
