"""Build the renderer's :class:`DocumentData` from an inspection in the database.

Hazards are the inspection's findings with result ``fail`` (not deleted), in ``seq`` order,
numbered 1..n; their photos are the ``before`` photos in ``seq`` order; inspectors come from
``inspection.inspector_ids`` in that order, with their certificate numbers; times are aware
datetimes that the renderer prints in China time, dates are China-time dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from inspector.errors import NotFoundError, UserError

if TYPE_CHECKING:
    from sqlmodel import Session

    from inspector.core.documents import DocumentData
    from inspector.db.database import Database

KINDS_NEEDING_HAZARDS = ("order", "park")
INSPECTION_KINDS = ("order", "park", "record")


@dataclass(frozen=True)
class InspectionDocument:
    """The document data plus what issuing needs to know about where it came from."""

    data: "DocumentData"
    enterprise_id: str
    inspection_id: str
    finding_ids: tuple[str, ...]  # one per hazard, in the order of ``data.hazards``


def inspection_document_data(db: "Database", inspection_id: str, kind: str, config=None, *,
                             issued_on: date | None = None) -> "DocumentData":
    """The document of ``kind`` (order / park / record) for an inspection, unnumbered."""
    return inspection_document(db, inspection_id, kind, config, issued_on=issued_on).data


def inspection_document(db: "Database", inspection_id: str, kind: str, config=None, *,
                        issued_on: date | None = None) -> InspectionDocument:
    """As :func:`inspection_document_data`, with the ids issuing stores on the notice."""
    from inspector.core.common.clock import local_today

    _check_kind(kind)
    with db.session() as session:
        inspection, enterprise = _inspection_and_enterprise(session, inspection_id)
        findings = _hazard_findings(session, inspection_id)
        if kind in KINDS_NEEDING_HAZARDS and not findings:
            raise UserError(f"该检查没有发现隐患，无法生成{_title(kind)}；"
                            "可改为生成现场检查记录（--kind record）。")
        photos = _before_photos(session, [f.id for f in findings])
        inspectors = _inspectors(session, inspection.inspector_ids)
        notes = inspection.notes.strip() or (_summary(session, inspection, findings) if kind == "record" else "")
    data = _document_data(kind, inspection, enterprise, findings, photos, inspectors,
                          issued_on or local_today(), notes)
    return InspectionDocument(data, enterprise.id, inspection.id, tuple(f.id for f in findings))


def _check_kind(kind: str) -> None:
    if kind == "review":
        raise UserError("整改复查意见书由复查生成，请在复查中签发。")
    if kind not in INSPECTION_KINDS:
        raise UserError(f"未知的文书种类“{kind}”，可用：order（责令限期整改指令书）、"
                        "park（安全隐患整改通知书）、record（现场检查记录）。")


def _title(kind: str) -> str:
    from inspector.core.documents.numbering import KIND_NAMES

    return KIND_NAMES[kind]


def _inspection_and_enterprise(session: "Session", inspection_id: str):
    from inspector.db.models import Enterprise, Inspection

    inspection = session.get(Inspection, inspection_id)
    if inspection is None or inspection.deleted_at is not None:
        raise NotFoundError(f"找不到检查记录 {inspection_id}。")
    enterprise = session.get(Enterprise, inspection.enterprise_id)
    if enterprise is None:
        raise NotFoundError(f"检查记录 {inspection_id} 所属的企业不存在。")
    return inspection, enterprise


def _hazard_findings(session: "Session", inspection_id: str) -> list:
    from sqlmodel import select

    from inspector.db.models import Finding

    query = select(Finding).where(
        Finding.inspection_id == inspection_id, Finding.result == "fail", Finding.deleted_at.is_(None),
    ).order_by(Finding.seq, Finding.created_at)
    return list(session.exec(query).all())


def _before_photos(session: "Session", finding_ids: list[str]) -> dict[str, list]:
    from sqlmodel import select

    from inspector.db.models import Photo

    if not finding_ids:
        return {}
    query = select(Photo).where(
        Photo.finding_id.in_(finding_ids), Photo.kind == "before", Photo.deleted_at.is_(None),
    ).order_by(Photo.seq, Photo.created_at)
    photos: dict[str, list] = {}
    for photo in session.exec(query).all():
        photos.setdefault(photo.finding_id, []).append(photo)
    return photos


def _inspectors(session: "Session", inspector_ids: list[str]) -> list:
    from inspector.db.models import Inspector

    rows = [session.get(Inspector, inspector_id) for inspector_id in inspector_ids or []]
    return [row for row in rows if row is not None and row.deleted_at is None]


def _summary(session: "Session", inspection, hazards: list) -> str:
    """检查情况 for a record whose inspection has no notes: what was checked, and what was found."""
    from sqlmodel import func, select

    from inspector.db.models import ChecklistSnapshot, Finding

    checked = session.exec(select(func.count()).select_from(Finding).where(
        Finding.inspection_id == inspection.id, Finding.deleted_at.is_(None), Finding.result != "na")).one()
    titles = [row.title for row in (session.get(ChecklistSnapshot, i) for i in inspection.snapshot_ids or []) if row]
    basis = f"依据{''.join(f'《{t}》' for t in titles)}" if titles else ""
    place = f"对{inspection.place}" if inspection.place.strip() else ""
    found = f"发现事故隐患{len(hazards)}项" if hazards else "未发现事故隐患"
    major = sum(f.level == "major" for f in hazards)
    found += f"（其中重大事故隐患{major}项）" if major else ""
    return f"{basis}{place}进行了现场检查，共检查{checked}项，{found}"


def _document_data(kind, inspection, enterprise, findings, photos, inspectors, issued_on, notes) -> "DocumentData":
    from inspector.core.documents import DocumentData, EnterpriseInfo, HazardEntry, Inspector, PhotoEntry

    hazards = [
        HazardEntry(
            no=index, description=f.description, deadline=f.deadline, location=f.location,
            level=f.level if f.level in ("general", "major") else "general", major_clause=f.major_clause,
            requirement=f.requirement, basis=f.basis,
            photos=tuple(PhotoEntry(p.jpeg, p.caption) for p in photos.get(f.id, [])),
        )
        for index, f in enumerate(findings, start=1)
    ]
    return DocumentData(
        kind=kind,
        enterprise=EnterpriseInfo(
            name=enterprise.name, credit_code=enterprise.credit_code or "", address=enterprise.address,
            legal_representative=enterprise.legal_representative, contact_phone=enterprise.contact_phone,
        ),
        issued_on=issued_on, place=inspection.place, started_at=inspection.started_at,
        ended_at=inspection.ended_at,
        inspectors=tuple(Inspector(i.name, i.certificate_no) for i in inspectors),
        hazards=tuple(hazards), notes=notes,
    )
