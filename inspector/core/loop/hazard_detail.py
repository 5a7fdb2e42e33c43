"""Everything about one hazard for its detail view: fields, enterprise, photos, notices, history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from inspector.core.loop import hazards
from inspector.core.loop.reinspections import PhotoThumb

if TYPE_CHECKING:
    from inspector.db.database import Database


@dataclass(frozen=True)
class NoticeRef:
    id: str
    kind: str
    number: str
    issued_at: datetime
    status: str


@dataclass(frozen=True)
class HazardDetail:
    finding_id: str
    number: str  # ledger number
    enterprise_id: str
    enterprise: str
    credit_code: str
    industry: str
    inspection_id: str
    found_at: datetime
    place: str
    item_id: str
    item_text: str
    description: str
    location: str
    level: str
    major_clause: str
    basis: str
    requirement: str
    deadline: date | None
    responsible_person: str
    status: str
    closed_at: datetime | None
    today: date
    photos: tuple[PhotoThumb, ...] = ()
    notices: tuple[NoticeRef, ...] = ()
    history: tuple[hazards.HistoryStep, ...] = field(default_factory=tuple)

    @property
    def effective_status(self) -> str:
        return hazards.effective_status(self.status, self.deadline, self.today)

    @property
    def before(self) -> tuple[PhotoThumb, ...]:
        return tuple(p for p in self.photos if p.kind == "before")

    @property
    def after(self) -> tuple[PhotoThumb, ...]:
        return tuple(p for p in self.photos if p.kind == "after")

    @property
    def is_open(self) -> bool:
        return self.status in hazards.OPEN_STATUSES

    def fields(self) -> list[tuple[str, str]]:
        """(label, text) pairs in Chinese, for the CLI and the detail view's form."""
        from inspector.core.common.clock import format_local

        status = hazards.status_label(self.status)
        if self.effective_status == hazards.OVERDUE:
            status = f"逾期（{status}）"
        level = hazards.LEVEL_LABELS.get(self.level, self.level)
        return [
            ("隐患编号", self.number), ("企业", self.enterprise), ("统一社会信用代码", self.credit_code),
            ("行业", self.industry), ("发现时间", format_local(self.found_at)), ("检查场所", self.place),
            ("隐患部位", self.location), ("检查项", f"{self.item_id} {self.item_text}".strip()),
            ("隐患描述", self.description), ("隐患等级", level + (f"（{self.major_clause}）" if self.major_clause else "")),
            ("依据", self.basis), ("整改要求", self.requirement),
            ("整改期限", self.deadline.isoformat() if self.deadline else "—"),
            ("整改责任人", self.responsible_person or "—"), ("状态", status),
            ("销号时间", format_local(self.closed_at) if self.closed_at else "—"),
            ("文书", "；".join(n.number for n in self.notices) or "—"),
            ("照片", f"整改前 {len(self.before)} 张，整改后 {len(self.after)} 张"),
        ]

    def as_json(self) -> dict:
        return {
            "finding_id": self.finding_id, "number": self.number, "enterprise_id": self.enterprise_id,
            "enterprise": self.enterprise, "status": self.status, "effective_status": self.effective_status,
            "level": self.level, "deadline": self.deadline.isoformat() if self.deadline else None,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "fields": dict(self.fields()),
            "photos": [{"id": p.id, "kind": p.kind, "caption": p.caption, "reinspection_id": p.reinspection_id}
                       for p in self.photos],
            "notices": [{"id": n.id, "kind": n.kind, "number": n.number, "status": n.status} for n in self.notices],
            "history": [s.describe() for s in self.history],
        }


def hazard_detail(db: "Database", finding_id: str, today: date | None = None) -> HazardDetail:
    from inspector.core.common.clock import local, local_today
    from inspector.core.loop.reinspections import photo_thumbs
    from inspector.db.models import Enterprise, Inspection

    with db.session() as session:
        finding = hazards.live_hazard(session, finding_id)
        inspection = session.get(Inspection, finding.inspection_id)
        enterprise = session.get(Enterprise, inspection.enterprise_id)
        photos = tuple(photo_thumbs(session, [finding.id]).get(finding.id, []))
        notices = _notices(session, finding.id)
        steps = tuple(hazards.history_in(session, finding.id))
    found = local(inspection.started_at).date()
    return HazardDetail(
        finding.id, hazards.ledger_number(finding.id, found), enterprise.id, enterprise.name,
        enterprise.credit_code or "", enterprise.industry, inspection.id, inspection.started_at, inspection.place,
        finding.item_id or "", finding.item_text, finding.description or finding.item_text, finding.location,
        finding.level, finding.major_clause, finding.basis, finding.requirement, finding.deadline,
        finding.responsible_person, finding.status, finding.closed_at, today or local_today(), photos, notices, steps,
    )


def _notices(session, finding_id: str) -> tuple[NoticeRef, ...]:
    from sqlalchemy import text

    from inspector.db.portable_sql import json_ids
    from inspector.db.types import from_utc_text

    rows = session.execute(text(
        f"SELECT n.id, n.kind, n.number_text, n.issued_at, n.status FROM notice n, {json_ids(session, 'n.finding_ids')} "
        "WHERE j.value = :f AND n.deleted_at IS NULL ORDER BY n.issued_at"), {"f": finding_id}).all()
    return tuple(NoticeRef(r[0], r[1], r[2], from_utc_text(r[3]), r[4]) for r in rows)
