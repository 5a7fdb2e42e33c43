"""What a walk-through shows: the items of an inspection's checklist snapshots and their answers.

Items always come from the :class:`ChecklistSnapshot` rows the inspection recorded, never
from the current YAML files, so an old inspection keeps the texts it was done with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from inspector.core.records.checklists import Checklist, ChecklistItem, checklist_from_snapshot
from inspector.core.common.clock import local
from inspector.db.database import Database
from inspector.db.models import ChecklistSnapshot, Enterprise, Finding, Inspection, Inspector, Photo
from inspector.errors import NotFoundError


@dataclass(frozen=True)
class WalkItem:
    seq: int  # 1-based position in the walk-through
    snapshot_id: str
    checklist_title: str
    section: str
    item: ChecklistItem

    @property
    def key(self) -> tuple[str, str]:
        return (self.snapshot_id, self.item.id)


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int
    hazards: int
    major: int


@dataclass
class InspectionState:
    inspection: Inspection
    enterprise_name: str
    inspector_names: list[str]
    items: list[WalkItem]
    answers: dict[tuple[str, str], Finding] = field(default_factory=dict)
    free_findings: list[Finding] = field(default_factory=list)
    photo_counts: dict[str, int] = field(default_factory=dict)

    def finding_for(self, item: WalkItem) -> Finding | None:
        return self.answers.get(item.key)

    def hazards(self) -> list[Finding]:
        answered = [f for f in self.answers.values() if f.result == "fail"]
        return sorted(answered, key=lambda f: f.seq) + self.free_findings

    @property
    def progress(self) -> Progress:
        hazards = self.hazards()
        return Progress(len(self.answers), len(self.items), len(hazards),
                        sum(f.level == "major" for f in hazards))

    def first_unanswered(self) -> int | None:
        """Row of the first item without an answer (where a resumed draft continues)."""
        return next((row for row, item in enumerate(self.items) if item.key not in self.answers), None)

    @property
    def completed(self) -> bool:
        return self.inspection.status == "completed"


def load_state(db: Database, inspection_id: str) -> InspectionState:
    with db.session() as session:
        inspection = get_inspection(session, inspection_id)
        enterprise = session.get(Enterprise, inspection.enterprise_id)
        state = InspectionState(
            inspection=inspection,
            enterprise_name=enterprise.name if enterprise else "",
            inspector_names=inspector_names(session, inspection.inspector_ids),
            items=walk_items(session, inspection.snapshot_ids),
        )
        _add_findings(session, state)
    return state


def walk_items(session: Session, snapshot_ids: list[str]) -> list[WalkItem]:
    items: list[WalkItem] = []
    for snapshot_id in snapshot_ids:
        checklist = snapshot_checklist(session, snapshot_id)
        for section in checklist.sections:
            for item in section.items:
                items.append(WalkItem(len(items) + 1, snapshot_id, checklist.title, section.title, item))
    return items


def snapshot_checklist(session: Session, snapshot_id: str) -> Checklist:
    """The checklist an inspection used (parsed once per snapshot: its id is its content hash)."""
    row = session.get(ChecklistSnapshot, snapshot_id)
    if row is None:
        raise NotFoundError(f"找不到检查表快照（编号 {snapshot_id}）。")
    return _parse_snapshot(row)


def item_of(session: Session, snapshot_id: str, item_id: str) -> tuple[int, ChecklistItem]:
    """The item and its offset within its checklist."""
    checklist = snapshot_checklist(session, snapshot_id)
    for offset, item in enumerate(checklist.items):
        if item.id == item_id:
            return offset, item
    raise NotFoundError(f"检查表快照中没有检查项 {item_id}。")


def get_inspection(session: Session, inspection_id: str) -> Inspection:
    inspection = session.get(Inspection, inspection_id)
    if inspection is None or inspection.deleted_at is not None:
        raise NotFoundError(f"找不到检查记录（编号 {inspection_id}）。")
    return inspection


def inspector_names(session: Session, inspector_ids: list[str]) -> list[str]:
    rows = {r.id: r.name for r in session.exec(select(Inspector).where(col(Inspector.id).in_(inspector_ids))).all()}
    return [rows[i] for i in inspector_ids if i in rows]


def local_deadline(inspection: Inspection, days: int) -> date:
    """Inspection date in China time plus ``days``."""
    return local(inspection.started_at).date() + timedelta(days=days)


def live_findings(session: Session, inspection_id: str) -> list[Finding]:
    statement = (select(Finding).where(Finding.inspection_id == inspection_id, col(Finding.deleted_at).is_(None))
                 .order_by(Finding.seq, Finding.created_at))
    return list(session.exec(statement).all())


def photo_counts(session: Session, finding_ids: list[str]) -> dict[str, int]:
    if not finding_ids:
        return {}
    statement = (select(Photo.finding_id, func.count()).where(col(Photo.finding_id).in_(finding_ids),
                 col(Photo.deleted_at).is_(None)).group_by(Photo.finding_id))
    return {finding_id: count for finding_id, count in session.exec(statement).all()}


def _add_findings(session: Session, state: InspectionState) -> None:
    keys = {item.key for item in state.items}
    findings = live_findings(session, state.inspection.id)
    for finding in findings:
        key = (finding.snapshot_id or "", finding.item_id or "")
        if finding.item_id is None:
            state.free_findings.append(finding)
        elif key in keys:
            state.answers[key] = finding
    state.photo_counts = photo_counts(session, [f.id for f in findings])


def _parse_snapshot(row: ChecklistSnapshot) -> Checklist:
    key = (row.id, row.content_sha256)
    if key not in _PARSED:
        if len(_PARSED) >= 64:
            _PARSED.clear()
        _PARSED[key] = checklist_from_snapshot(row.content)
    return _PARSED[key]


_PARSED: dict[tuple[str, str], Checklist] = {}  # snapshot rows never change: their id is their content hash
