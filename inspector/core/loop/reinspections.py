"""Re-inspection (复查): visit an enterprise, judge each open hazard, close the loop.

1. :func:`start_reinspection` opens a draft visit for an enterprise and its inspectors.
2. :func:`open_hazards` lists the hazards to check, with their "before" photos.
3. :func:`add_after_photos` stores rectification photos (kind ``after``) for a hazard.
4. :func:`record_outcome` records 已整改 (needs after photos), 未整改 (needs a new deadline)
   or 移交执法 for one hazard; it may be changed until the visit is completed.
5. :func:`complete_reinspection` applies every outcome in one transaction: rectified
   hazards are closed (销号, reviewer = the first inspector unless named), the others
   get their new deadline or are escalated; each change is a HazardEvent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Sequence

from inspector.core.loop import hazards
from inspector.errors import NotFoundError, UserError

if TYPE_CHECKING:
    from sqlmodel import Session

    from inspector.db.database import Database
    from inspector.db.models import Reinspection, ReinspectionItem

RECTIFIED, NOT_RECTIFIED, ESCALATED = "rectified", "not_rectified", "escalated"
OUTCOME_LABELS = {RECTIFIED: "已整改", NOT_RECTIFIED: "未整改", ESCALATED: "移交执法"}


@dataclass(frozen=True)
class PhotoThumb:
    id: str
    kind: str
    caption: str
    thumbnail: bytes = field(repr=False)
    reinspection_id: str | None = None


@dataclass(frozen=True)
class ReviewHazard:
    """One hazard as the re-inspection shows it."""

    finding_id: str
    inspection_id: str
    found_at: datetime
    item_id: str | None
    description: str
    location: str
    level: str
    requirement: str
    deadline: date | None
    status: str
    responsible_person: str
    before: tuple[PhotoThumb, ...] = ()
    after: tuple[PhotoThumb, ...] = ()  # after photos taken in this re-inspection
    outcome: str | None = None  # recorded in this re-inspection, if any
    new_deadline: date | None = None
    note: str = ""

    def overdue(self, today: date) -> bool:
        return hazards.is_overdue(self.status, self.deadline, today)


@dataclass(frozen=True)
class Completion:
    closed: int
    rectifying: int
    escalated: int


# --- the visit ------------------------------------------------------------------------------

def start_reinspection(db: "Database", enterprise_id: str, inspector_ids: Sequence[str], notes: str = "") -> str:
    """A new draft re-inspection; returns its id."""
    from inspector.db.models import Enterprise, Inspector, Reinspection

    team = list(dict.fromkeys(i for i in inspector_ids if i))
    if not team:
        raise UserError("请至少选择一名复查人员。")
    with db.session() as session:
        enterprise = session.get(Enterprise, enterprise_id)
        if enterprise is None or enterprise.deleted_at is not None:
            raise NotFoundError(f"找不到企业（编号 {enterprise_id}）。")
        for inspector_id in team:
            row = session.get(Inspector, inspector_id)
            if row is None or row.deleted_at is not None:
                raise NotFoundError(f"找不到检查人员（编号 {inspector_id}）。")
        visit = Reinspection(enterprise_id=enterprise_id, inspector_ids=team, notes=notes.strip(),
                             device_id=db.device_id)
        session.add(visit)
    return visit.id


def get_reinspection(db: "Database", reinspection_id: str) -> "Reinspection":
    with db.session() as session:
        return load_visit(session, reinspection_id)


def draft_reinspection(db: "Database", enterprise_id: str) -> str | None:
    """The enterprise's latest unfinished re-inspection, to resume it."""
    from sqlalchemy import text

    with db.session() as session:
        return session.execute(text(
            "SELECT id FROM reinspection WHERE enterprise_id = :e AND status = 'draft' AND deleted_at IS NULL "
            "ORDER BY started_at DESC LIMIT 1"), {"e": enterprise_id}).scalar()


@dataclass(frozen=True)
class EnterpriseToReview:
    id: str
    name: str
    industry: str
    open_hazards: int
    overdue: int
    awaiting_review: int


# spelled out in ORDER BY: PostgreSQL takes an output column's alias there only on its own, not in an expression
_LATE = "sum(CASE WHEN f.deadline < :today THEN 1 ELSE 0 END)"
_REPORTED = "sum(CASE WHEN f.status = 'awaiting_review' THEN 1 ELSE 0 END)"


def enterprises_to_review(db: "Database", today: date | None = None) -> list[EnterpriseToReview]:
    """Enterprises with open hazards: most overdue / awaiting review first."""
    from sqlalchemy import Date, bindparam, text

    from inspector.core.common.clock import local_today

    with db.session() as session:
        rows = session.execute(text(
            f"SELECT e.id, e.name, e.industry, count(*), {_LATE}, {_REPORTED} "
            "FROM finding f JOIN inspection i ON i.id = f.inspection_id JOIN enterprise e ON e.id = i.enterprise_id "
            "WHERE f.result = 'fail' AND f.status IN ('pending', 'rectifying', 'awaiting_review') "
            "AND f.deleted_at IS NULL AND i.deleted_at IS NULL AND e.deleted_at IS NULL "
            f"GROUP BY e.id, e.name, e.industry ORDER BY {_LATE} + {_REPORTED} DESC, e.name, e.id"
        ).bindparams(bindparam("today", type_=Date())), {"today": today or local_today()}).all()
    return [EnterpriseToReview(r[0], r[1], r[2], r[3], r[4] or 0, r[5] or 0) for r in rows]


_OPEN_SQL = """
SELECT f.id, f.inspection_id, i.started_at, f.item_id, f.description, f.location, f.level, f.requirement,
       f.deadline, f.status, f.responsible_person
FROM finding f JOIN inspection i ON i.id = f.inspection_id
WHERE i.enterprise_id = :e AND f.result = 'fail' AND f.deleted_at IS NULL AND i.deleted_at IS NULL
  AND (f.status IN ('pending', 'rectifying', 'awaiting_review')
       OR f.id IN (SELECT finding_id FROM reinspection_item WHERE reinspection_id = :r AND deleted_at IS NULL))
ORDER BY CASE WHEN f.level = 'major' THEN 0 ELSE 1 END, CASE WHEN f.deadline IS NULL THEN 1 ELSE 0 END,
         f.deadline, i.started_at, f.seq, f.id
"""


def open_hazards(db: "Database", enterprise_id: str, reinspection_id: str | None = None) -> list[ReviewHazard]:
    """The enterprise's open hazards (major first, earliest deadline first) with their photos;
    with ``reinspection_id`` also the hazards it judged and the outcomes recorded so far."""
    from sqlalchemy import text

    from inspector.db.portable_sql import as_date
    from inspector.db.types import from_utc_text

    with db.session() as session:
        rows = session.execute(text(_OPEN_SQL), {"e": enterprise_id, "r": reinspection_id or ""}).all()
        ids = [row[0] for row in rows]
        photos = photo_thumbs(session, ids)
        items = _items(session, reinspection_id) if reinspection_id else {}
    result = []
    for row in rows:
        item = items.get(row[0])
        after = tuple(p for p in photos.get(row[0], ()) if p.kind == "after"
                      and (reinspection_id is None or p.reinspection_id == reinspection_id))
        result.append(ReviewHazard(
            row[0], row[1], from_utc_text(row[2]), row[3], row[4], row[5], row[6], row[7],
            as_date(row[8]), row[9], row[10],
            before=tuple(p for p in photos.get(row[0], ()) if p.kind == "before"), after=after,
            outcome=item.outcome if item else None, new_deadline=item.new_deadline if item else None,
            note=item.note if item else "",
        ))
    return result


def photo_thumbs(session: "Session", finding_ids: list[str]) -> dict[str, list[PhotoThumb]]:
    from sqlalchemy import text

    found: dict[str, list[PhotoThumb]] = {}
    for start in range(0, len(finding_ids), 500):
        chunk = finding_ids[start:start + 500]
        marks = ",".join(f":p{n}" for n in range(len(chunk)))
        rows = session.execute(text(
            f"SELECT finding_id, id, kind, caption, thumbnail, reinspection_id FROM photo "
            f"WHERE finding_id IN ({marks}) AND deleted_at IS NULL ORDER BY seq, created_at"
        ), {f"p{n}": value for n, value in enumerate(chunk)}).all()
        for row in rows:
            found.setdefault(row[0], []).append(PhotoThumb(row[1], row[2], row[3], row[4], row[5]))
    return found


def _items(session: "Session", reinspection_id: str) -> dict[str, "ReinspectionItem"]:
    from sqlmodel import select

    from inspector.db.models import ReinspectionItem

    query = select(ReinspectionItem).where(ReinspectionItem.reinspection_id == reinspection_id,
                                           ReinspectionItem.deleted_at.is_(None))
    return {item.finding_id: item for item in session.exec(query).all()}


def items_of(db: "Database", reinspection_id: str) -> list["ReinspectionItem"]:
    with db.session() as session:
        return list(_items(session, reinspection_id).values())


# --- after photos and outcomes --------------------------------------------------------------

def add_after_photos(db: "Database", reinspection_id: str, finding_id: str, sources: Sequence, *, progress=None):
    """Store rectification photos of one hazard, taken in this re-inspection.

    Returns the photo store's ``AttachResult``; raises UserError if none could be added.
    """
    from inspector.core.photos.store import attach_photos

    with db.session() as session:
        visit = _draft_visit(session, reinspection_id)
        _hazard_of(session, visit, finding_id)
    result = attach_photos(db, finding_id=finding_id, sources=list(sources), kind="after",
                           reinspection_id=reinspection_id, progress=progress)
    if not result.added and result.problems:
        raise UserError("\n".join(result.problems))
    return result


def record_outcome(db: "Database", reinspection_id: str, finding_id: str, outcome: str,
                   new_deadline: date | None = None, note: str = "", *, today: date | None = None) -> str:
    """Record (or change) the judgement of one hazard in a draft re-inspection; returns the item id."""
    from sqlmodel import select

    from inspector.core.common.clock import local_today
    from inspector.core.common.synced import set_fields
    from inspector.db.models import ReinspectionItem

    note = " ".join((note or "").split())
    with db.session() as session:
        visit = _draft_visit(session, reinspection_id)
        _hazard_of(session, visit, finding_id)
        _check_outcome(session, reinspection_id, finding_id, outcome, new_deadline, today or local_today())
        deadline = new_deadline if outcome == NOT_RECTIFIED else None
        item = session.exec(select(ReinspectionItem).where(
            ReinspectionItem.reinspection_id == reinspection_id, ReinspectionItem.finding_id == finding_id,
            ReinspectionItem.deleted_at.is_(None))).first()
        if item is None:
            item = ReinspectionItem(reinspection_id=reinspection_id, finding_id=finding_id, outcome=outcome,
                                    new_deadline=deadline, note=note, device_id=db.device_id)
            session.add(item)
        elif set_fields(item, {"outcome": outcome, "new_deadline": deadline, "note": note}):
            session.add(item)
        return item.id


def _check_outcome(session: "Session", reinspection_id: str, finding_id: str, outcome: str,
                   new_deadline: date | None, today: date) -> None:
    from sqlalchemy import text

    if outcome not in OUTCOME_LABELS:
        names = "、".join(f"{label}（{code}）" for code, label in OUTCOME_LABELS.items())
        raise UserError(f"未知的复查结论“{outcome}”，可用：{names}。")
    if outcome == RECTIFIED:
        count = session.execute(text(
            "SELECT count(*) FROM photo WHERE finding_id = :f AND kind = 'after' AND reinspection_id = :r "
            "AND deleted_at IS NULL"), {"f": finding_id, "r": reinspection_id}).scalar_one()
        if not count:
            raise UserError("判定“已整改”须附本次复查拍摄的整改后照片。")
    if outcome == NOT_RECTIFIED:
        if new_deadline is None:
            raise UserError("判定“未整改”须给出新的整改期限（或改为移交执法）。")
        if new_deadline < today:
            raise UserError(f"新的整改期限 {new_deadline.isoformat()} 早于今天，请重新选择。")


def complete_reinspection(db: "Database", reinspection_id: str, reviewer_id: str | None = None) -> Completion:
    """Apply every recorded outcome and finish the visit, all in one transaction."""
    from inspector.core.common.synced import set_fields
    from inspector.db.types import utcnow

    with db.session() as session:
        visit = _draft_visit(session, reinspection_id)
        items = sorted(_items(session, reinspection_id).values(), key=lambda item: item.created_at)
        if not items:
            raise UserError("还没有记录任何复查结论，不能完成复查。")
        reviewer = reviewer_id or (visit.inspector_ids[0] if visit.inspector_ids else None)
        counts = {RECTIFIED: 0, NOT_RECTIFIED: 0, ESCALATED: 0}
        for item in items:
            if _apply_item(session, db.device_id, visit, item, reviewer):
                counts[item.outcome] += 1
        set_fields(visit, {"status": "completed", "ended_at": utcnow()})
        session.add(visit)
    return Completion(counts[RECTIFIED], counts[NOT_RECTIFIED], counts[ESCALATED])


def _apply_item(session: "Session", device_id: str, visit: "Reinspection", item: "ReinspectionItem",
                reviewer: str | None) -> bool:
    from inspector.db.models import Finding

    finding = session.get(Finding, item.finding_id)
    if finding is None or finding.deleted_at is not None or finding.status == hazards.CLOSED:
        return False  # closed meanwhile (e.g. from the hazard view): nothing left to do
    extra = f"：{item.note}" if item.note else ""
    if item.outcome == RECTIFIED:
        hazards.apply_transition(session, device_id, finding.id, hazards.CLOSED, reviewer,
                                 f"复查合格，予以销号{extra}", reinspection_id=visit.id)
    elif item.outcome == NOT_RECTIFIED:
        old = f"，原整改期限 {finding.deadline.isoformat()}" if finding.deadline else ""
        hazards.apply_transition(session, device_id, finding.id, hazards.RECTIFYING, reviewer,
                                 f"复查未整改完毕{old}{extra}", item.new_deadline, reinspection_id=visit.id)
    else:
        hazards.apply_transition(session, device_id, finding.id, hazards.ESCALATED, reviewer,
                                 f"复查未整改，移交执法{extra}", reinspection_id=visit.id)
    return True


# --- helpers --------------------------------------------------------------------------------

def load_visit(session: "Session", reinspection_id: str) -> "Reinspection":
    from inspector.db.models import Reinspection

    visit = session.get(Reinspection, reinspection_id)
    if visit is None or visit.deleted_at is not None:
        raise NotFoundError(f"找不到复查记录（编号 {reinspection_id}）。")
    return visit


def _draft_visit(session: "Session", reinspection_id: str) -> "Reinspection":
    visit = load_visit(session, reinspection_id)
    if visit.status != "draft":
        raise UserError("这次复查已完成，不能再修改；如需再次复查请新建复查。")
    return visit


def _hazard_of(session: "Session", visit: "Reinspection", finding_id: str) -> None:
    from inspector.db.models import Inspection

    finding = hazards.live_hazard(session, finding_id)
    inspection = session.get(Inspection, finding.inspection_id)
    if inspection is None or inspection.enterprise_id != visit.enterprise_id:
        raise UserError("该隐患不属于本次复查的企业。")
    if finding.status not in hazards.OPEN_STATUSES:
        raise UserError(f"该隐患已{hazards.status_label(finding.status)}，无需复查。")
