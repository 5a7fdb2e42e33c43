"""Build the renderer's :class:`DocumentData` from an inspection in the database.

Hazards are the inspection's findings with result ``fail`` (not deleted), in ``seq`` order;
their photos are the ``before`` photos in ``seq`` order; inspectors come from
``inspection.inspector_ids`` in that order, with their certificate numbers; times are aware
datetimes that the renderer prints in China time, dates are China-time dates.

Which findings a kind lists follows ``competence`` in ``documents.yaml`` (``finding_rules``):
an order or a 现场处理措施决定书 lists only the authority's own (work-safety) findings, a 移送书
only the fire-law ones, a record and a park notice all of them; each kind numbers its own
list 1..n. A 现场处理措施决定书 lists the major findings whose 整改要求 names an on-site measure;
the order then prints the rest of the requirement and a reference to that decision. A deadline
on the day of the inspection (a checklist's ``deadline_days: 0``) prints as 立即整改.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from inspector.errors import NotFoundError, UserError

if TYPE_CHECKING:
    from sqlmodel import Session

    from inspector.core.documents import DocumentData
    from inspector.db.database import Database

KINDS_NEEDING_HAZARDS = ("order", "park", "measure", "referral")
INSPECTION_KINDS = ("order", "park", "record", "measure", "referral")
MEASURE_KINDS = ("order", "measure")


@dataclass(frozen=True)
class InspectionDocument:
    """The document data plus what issuing needs to know about where it came from."""

    data: "DocumentData"
    enterprise_id: str
    inspection_id: str
    finding_ids: tuple[str, ...]  # one per hazard, in the order of ``data.hazards``
    hints: tuple[str, ...] = ()  # other documents this inspection needs (Chinese sentences)


def inspection_document_data(db: "Database", inspection_id: str, kind: str, config=None, *,
                             issued_on: date | None = None) -> "DocumentData":
    """The document of ``kind`` (order / park / record) for an inspection, unnumbered."""
    return inspection_document(db, inspection_id, kind, config, issued_on=issued_on).data


def inspection_document(db: "Database", inspection_id: str, kind: str, config=None, *,
                        issued_on: date | None = None, witness: str = "",
                        refusal_note: str = "") -> InspectionDocument:
    """As :func:`inspection_document_data`, with the ids issuing stores on the notice."""
    from inspector.core.common.clock import local_today
    from inspector.core.documents.config import bundled_config

    _check_kind(kind)
    config = config or bundled_config()
    with db.session() as session:
        inspection, enterprise = _inspection_and_enterprise(session, inspection_id)
        all_findings = _hazard_findings(session, inspection_id)
        if kind in KINDS_NEEDING_HAZARDS and not all_findings:
            raise UserError(f"该检查没有发现隐患，无法生成{_title(kind)}；"
                            "可改为生成现场检查记录（--kind record）。")
        prepared = prepare_findings(session, inspection, all_findings, config)
        listed = [p for p in prepared if _lists(kind, p, config)]
        if kind in KINDS_NEEDING_HAZARDS and not listed:
            raise UserError(_nothing_to_list(kind))
        photos = _before_photos(session, [p.finding.id for p in listed])
        inspectors = _inspectors(session, inspection.inspector_ids)
        notes = inspection.notes.strip() or (_summary(session, inspection, all_findings) if kind == "record" else "")
        related = _related_number(session, inspection.id, kind)
    data = _document_data(kind, inspection, enterprise, listed, photos, inspectors,
                          issued_on or local_today(), notes, related)
    data = replace(data, witness=witness.strip(), refusal_note=refusal_note.strip())
    return InspectionDocument(data, enterprise.id, inspection.id, tuple(p.finding.id for p in listed),
                              _hints(kind, prepared, config))


@dataclass(frozen=True)
class PreparedFinding:
    """A finding with what the documents make of it (matter, fact, measure, 立即整改)."""

    finding: object
    matter: str
    fact: str
    requirement: str
    measure: str
    immediate: bool
    fire_major_clause: str = ""  # the item is a 重大火灾隐患 (GB 35181): printed with that label and clause


def prepare_findings(session: "Session", inspection, findings: list, config) -> list[PreparedFinding]:
    from inspector.core.documents.finding_rules import fact_found, matter_of, split_measure
    from inspector.core.common.clock import local

    sectors = _sectors(session, findings)
    fire_majors = _fire_major_clauses(session, findings)
    inspected_on = local(inspection.started_at).date() if inspection.started_at else None
    out = []
    for f in findings:
        matter = matter_of(config.competence.fire, sector=sectors.get(f.snapshot_id or "", ""),
                           texts=(f.basis, f.major_clause))
        split = split_measure(f.requirement) if f.level == "major" and matter == "safety" else None
        immediate = f.deadline is not None and inspected_on is not None and f.deadline <= inspected_on
        out.append(PreparedFinding(f, matter, fact_found(f.description or f.item_text),
                                   split.requirement if split else f.requirement,
                                   split.measure if split else "", immediate,
                                   fire_majors.get(f.id, "") if matter == "fire" else ""))
    return out


def _fire_major_clauses(session: "Session", findings: list) -> dict[str, str]:
    """Findings whose checklist item is labelled 重大火灾隐患 (their level stays 一般: the fire service judges
    them under GB 35181, and they are no 重大事故隐患) -> the item's GB 35181 clause."""
    from inspector.core.records.checklist_model import FIRE_LABEL
    from inspector.db.models import ChecklistSnapshot

    labelled: dict[tuple[str, str], str] = {}
    for snapshot_id in {f.snapshot_id for f in findings if f.snapshot_id}:
        row = session.get(ChecklistSnapshot, snapshot_id)
        for section in (row.content.get("sections") or []) if row is not None else []:
            for item in section.get("items") or []:
                if item.get("major_label") == FIRE_LABEL:
                    labelled[(snapshot_id, item.get("id"))] = item.get("major_clause") or "GB 35181—2017"
    return {f.id: labelled[(f.snapshot_id, f.item_id)] for f in findings if (f.snapshot_id, f.item_id) in labelled}


def _sectors(session: "Session", findings: list) -> dict[str, str]:
    from inspector.db.models import ChecklistSnapshot

    ids = {f.snapshot_id for f in findings if f.snapshot_id}
    rows = (session.get(ChecklistSnapshot, i) for i in ids)
    return {row.id: row.sector for row in rows if row is not None}


def _lists(kind: str, prepared: PreparedFinding, config) -> bool:
    if not config.competence.allows(kind, prepared.matter):
        return False
    return kind != "measure" or bool(prepared.measure)


def _nothing_to_list(kind: str) -> str:
    if kind == "measure":
        return ("该检查没有需要现场处理措施（撤出作业人员、暂时停产停业、停止使用相关设施设备）的重大事故隐患，"
                "无需现场处理措施决定书。")
    if kind == "referral":
        return "该检查没有属于消防方面的问题，无需移送。"
    return (f"该检查发现的问题均属消防方面，不属于本机关责令整改的范围，无法生成{_title(kind)}；"
            "请生成移送书（--kind referral）或园区安全隐患整改通知书（--kind park）。")


def _hints(kind: str, prepared: list[PreparedFinding], config) -> tuple[str, ...]:
    """What the inspector should know before issuing ``kind``: descriptions still holding the
    checklist's alternatives (printed as the first), and the order's companion documents."""
    from inspector.core.documents.finding_rules import alternatives

    listed = [p for p in prepared if _lists(kind, p, config)]
    hints = [f"第{n}项隐患描述仍列有检查表的备选情形，已按第一种情形印制（{p.fact}）；"
             "如实际查见的是其他情形，请先修改隐患描述。"
             for n, p in enumerate(listed, start=1) if len(alternatives(p.finding.description or "")) > 1]
    if kind != "order":
        return tuple(hints)
    safety = [p for p in prepared if config.competence.allows("order", p.matter)]
    measured = [n for n, p in enumerate(safety, start=1) if p.measure]
    if measured:
        hints.append(f"第{'、'.join(map(str, measured))}项重大事故隐患需要现场处理措施，"
                     "请另行签发现场处理措施决定书。")
    fire = sum(p.matter == "fire" for p in prepared)
    if fire:
        hints.append(f"另有{fire}项消防方面的问题未列入责令限期整改指令书，请签发移送书"
                     "移送消防救援机构，或由园区签发整改通知书。")
    return tuple(hints)


def _related_number(session: "Session", inspection_id: str, kind: str) -> str | None:
    """The order names the inspection's live 现场处理措施决定书, and the decision the order."""
    from sqlmodel import select

    from inspector.db.models import Notice

    other = {"order": "measure", "measure": "order"}.get(kind)
    if other is None:
        return None
    notice = session.exec(select(Notice).where(
        Notice.inspection_id == inspection_id, Notice.kind == other, Notice.status == "issued",
        Notice.deleted_at.is_(None)).order_by(Notice.issued_at.desc())).first()
    return notice.number_text if notice else None


def _check_kind(kind: str) -> None:
    if kind == "review":
        raise UserError("整改复查意见书由复查生成，请在复查中签发。")
    if kind not in INSPECTION_KINDS:
        raise UserError(f"未知的文书种类“{kind}”，可用：order（责令限期整改指令书）、"
                        "park（安全隐患整改通知书）、record（现场检查记录）、"
                        "measure（现场处理措施决定书）、referral（移送书）。")


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


def _document_data(kind, inspection, enterprise, listed, photos, inspectors, issued_on, notes,
                   related=None) -> "DocumentData":
    from inspector.core.documents import DocumentData, EnterpriseInfo, HazardEntry, Inspector, PhotoEntry

    measures = kind in MEASURE_KINDS  # only an enforcement decision takes the measure out of the requirement
    hazards = [
        HazardEntry(
            no=index, description=p.fact, deadline=p.finding.deadline, location=p.finding.location,
            level="major" if p.fire_major_clause else p.finding.level if p.finding.level in ("general", "major")
            else "general",
            major_clause=p.fire_major_clause or p.finding.major_clause, requirement=p.requirement if measures else p.finding.requirement,
            basis=p.finding.basis,
            photos=tuple(PhotoEntry(ph.jpeg, ph.caption, ph.captured_at) for ph in photos.get(p.finding.id, [])),
            immediate=p.immediate, measure=p.measure if measures else "", matter=p.matter,
        )
        for index, p in enumerate(listed, start=1)
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
        hazards=tuple(hazards), notes=notes, related_number=related,
    )
