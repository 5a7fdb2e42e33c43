"""Issued documents: numbered, rendered once, stored frozen with their hashes; voiding, verifying.

Issuing (:func:`issue_document`) is one write transaction: check, draw the next number
from this device's block, render with that number, store the PDF bytes with their
SHA-256 and the content hash, mark the number used. Later edits to findings never touch
an issued notice; a correction is a new notice that supersedes the old one with a reason.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Sequence

from inspector.core.documents.notice_checks import issuing_problems, problems_from_database
from inspector.core.documents.numbering import KIND_NAMES, check_kind, series_prefix, void_number, write_session
from inspector.errors import NotFoundError, UserError

if TYPE_CHECKING:
    from sqlmodel import Session

    from inspector.core.documents import DocumentConfig, DocumentData
    from inspector.db.database import Database
    from inspector.db.models import Notice

__all__ = [
    "AlreadyIssued", "double_live_notices", "IssueRefused", "IssuePreflight", "issue_preflight", "live_notices",
    "numbering_problem", "NoticeSummary", "VerifyResult", "document_config", "find_notices", "get_notice",
    "issue_document", "issue_for_inspection", "issuing_problems", "notice_summaries", "template_family_of",
    "verify_pdf", "void_notice", "void_number", "default_kind", "STATUS_NAMES", "date_order_warnings",
]

from inspector.core.documents.notice_list import NoticeSummary, double_live_notices, notice_summaries  # noqa: E402,F401
from inspector.core.documents.notice_verify import STATUS_NAMES, VerifyResult, verify_pdf  # noqa: E402,F401 - re-exported


class IssueRefused(UserError):
    """Issuing was refused; ``problems`` lists every reason (Chinese sentences)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        lines = "\n".join(f"{index}. {problem}" for index, problem in enumerate(self.problems, start=1))
        super().__init__(f"无法签发，请先处理以下问题：\n{lines}")


class AlreadyIssued(UserError):
    """The inspection (or re-inspection) already has a live document of this kind.

    ``notice_id``/``number_text`` name it: the way forward is a correction that supersedes it.
    """

    def __init__(self, kind: str, notice_id: str, number_text: str, source: str = "检查"):
        self.kind, self.notice_id, self.number_text = kind, notice_id, number_text
        name = KIND_NAMES.get(kind, kind)
        super().__init__(f"这次{source}已签发{name} {number_text}，同一次{source}的同一种文书只能有一份有效文书。"
                         "如需修改，请更正该文书（填写更正原因，由新文号取代原文书）。")


# --- configuration ------------------------------------------------------------------------

def document_config(services) -> "DocumentConfig":
    """The bundled document configuration with ``settings["document_overrides"]`` merged over it."""
    from inspector.core.documents import load_config

    overrides = services.settings.get("document_overrides") or {}
    return load_config(overrides=overrides if isinstance(overrides, dict) else None)


def template_family_of(kind: str) -> str:
    """``park`` for the park committee's notice, ``enforcement`` for family A documents."""
    return "park" if kind == "park" else "enforcement"


def default_kind(services) -> str:
    """The rectification document of the template family chosen in settings."""
    return "order" if services.settings.get("template_family") == "enforcement" else "park"


# --- issuing ------------------------------------------------------------------------------

def issue_document(db: "Database", *, kind: str, data: "DocumentData", enterprise_id: str,
                   inspection_id: str | None = None, reinspection_id: str | None = None,
                   finding_ids: Sequence[str] = (), config: "DocumentConfig | None" = None,
                   template_family: str | None = None, supersedes_id: str | None = None,
                   correction_reason: str = "", backdate_reason: str = "", today: date | None = None) -> "Notice":
    """Check, number, render and store ``data`` in one transaction; returns the stored notice.

    ``today`` is the day the date rules measure against (the clock's by default; the demo simulates one).

    ``finding_ids`` name the findings behind ``data.hazards`` in the same order. The printed
    date ``data.issued_on`` is checked (``issue_dates``) and stored with ``backdate_reason``.
    Raises :class:`IssueRefused` listing every problem, or UserError (no number block left...).
    """
    from inspector.core.common.clock import local_today
    from inspector.core.documents.issue_dates import date_problems, printed_deadlines
    from inspector.db.models import Notice

    config = config or _default_config()
    check_kind(kind)
    if data.kind.value != kind:
        raise ValueError(f"kind {kind!r} does not match data.kind {data.kind.value!r}")
    if supersedes_id and not correction_reason.strip():
        raise IssueRefused(["更正文书须填写更正原因。"])
    with write_session(db) as session:
        wrong_target: list[str] = []
        old = _superseded_notice(session, supersedes_id, kind, wrong_target) if supersedes_id else None
        if not wrong_target:
            _refuse_second_live(session, kind, inspection_id, reinspection_id, supersedes_id)
        problems = wrong_target + problems_from_database(session, data, inspection_id=inspection_id,
                                                         finding_ids=finding_ids)
        problems += date_problems(data, today=today or local_today(), backdate_reason=backdate_reason,
                                  inspection_date=inspection_date_in(session, data, inspection_id))
        if problems:
            raise IssueRefused(problems)
        notice = Notice(kind=kind, enterprise_id=enterprise_id, inspection_id=inspection_id,
                        reinspection_id=reinspection_id, finding_ids=list(finding_ids),
                        template_family=template_family or template_family_of(kind), pdf=b"",
                        pdf_sha256="", content_sha256="", supersedes_id=supersedes_id,
                        correction_reason=correction_reason.strip(), device_id=db.device_id,
                        issued_on=data.issued_on, backdate_reason=backdate_reason.strip(),
                        printed_deadlines=printed_deadlines(data, finding_ids))
        _number_and_render(session, notice, data, config, db.device_id)
        session.add(notice)
        if old is not None:
            _mark_superseded(session, old)
        if kind in RECTIFICATION_KINDS:
            session.flush()
            _record_in_hazard_history(session, notice, inspection_id, db.device_id)
    return notice


RECTIFICATION_KINDS = ("order", "park")


def _live_query(kind: str | None, inspection_id: str | None, reinspection_id: str | None):
    """Issued (not voided, not superseded) notices of one inspection or re-inspection."""
    from sqlmodel import select

    from inspector.db.models import Notice

    query = select(Notice).where(Notice.status == "issued", Notice.deleted_at.is_(None))
    if kind is not None:
        query = query.where(Notice.kind == kind)
    if inspection_id:
        return query.where(Notice.inspection_id == inspection_id)
    return query.where(Notice.reinspection_id == reinspection_id)


def _refuse_second_live(session: "Session", kind: str, inspection_id: str | None, reinspection_id: str | None,
                        supersedes_id: str | None) -> None:
    """One live document per inspection (or re-inspection) and kind; a correction replaces the live one.

    Checked inside the issuing transaction, which holds SQLite's write lock, so two windows
    (or a window and the CLI) issuing at once cannot both pass.
    """
    if not inspection_id and not reinspection_id:
        return
    for live in session.exec(_live_query(kind, inspection_id, reinspection_id)).all():
        if live.id != supersedes_id:
            raise AlreadyIssued(kind, live.id, live.number_text, "检查" if inspection_id else "复查")


def inspection_date_in(session: "Session", data: "DocumentData", inspection_id: str | None) -> date | None:
    from inspector.core.common.clock import local

    if data.started_at is not None:
        return local(data.started_at).date()
    from inspector.db.models import Inspection

    inspection = session.get(Inspection, inspection_id) if inspection_id else None
    return local(inspection.started_at).date() if inspection else None


def _record_in_hazard_history(session: "Session", notice: "Notice", inspection_id: str | None, device_id: str) -> None:
    """Issuing an order moves its pending hazards to 整改中, in the same transaction."""
    from inspector.core.loop.hazards import record_notice_in_session
    from inspector.db.models import Inspection

    inspection = session.get(Inspection, inspection_id) if inspection_id else None
    team = inspection.inspector_ids if inspection else []
    record_notice_in_session(session, device_id, notice, team[0] if team else None)


def _number_and_render(session: "Session", notice: "Notice", data: "DocumentData",
                       config: "DocumentConfig", device_id: str) -> None:
    from inspector.core.documents import content_hash, format_number, render_document
    from inspector.core.documents.numbering import draw_number

    prefix = series_prefix(config, notice.kind)
    year = data.issued_on.year
    number = draw_number(session, kind=notice.kind, prefix=prefix, year=year, device_id=device_id,
                         notice_id=notice.id)
    numbered = dataclasses.replace(data, number=format_number(config, notice.kind, year, number.seq))
    numbered = dataclasses.replace(numbered, seal=_seal(session, numbered, device_id))
    pdf = render_document(numbered, config)
    notice.number_id, notice.number_text = number.id, numbered.number
    notice.pdf, notice.pdf_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
    notice.content_sha256 = content_hash(numbered)


def _seal(session: "Session", data: "DocumentData", device_id: str) -> str:
    """The QR text signed by this laptop's key (created on first use), so the printout verifies offline."""
    from inspector.core.documents.seal import device_signer

    return device_signer(session.connection(), device_id).seal(data)


def _superseded_notice(session: "Session", notice_id: str, kind: str, problems: list[str]):
    from inspector.db.models import Notice

    old = session.get(Notice, notice_id)
    if old is None or old.deleted_at is not None:
        raise NotFoundError(f"找不到要更正的文书 {notice_id}。")
    if old.kind != kind:
        problems.append(f"更正文书应与原文书种类相同（原文书为{KIND_NAMES.get(old.kind, old.kind)}）。")
    if old.status != "issued":
        problems.append(f"原文书 {old.number_text} {STATUS_NAMES.get(old.status, old.status)}，不能再更正。")
    return old


def _mark_superseded(session: "Session", old: "Notice") -> None:
    from inspector.db.types import utcnow

    old.status, old.updated_at, old.rev = "superseded", utcnow(), old.rev + 1
    session.add(old)


def issue_for_inspection(db: "Database", inspection_id: str, kind: str, config: "DocumentConfig | None" = None, *,
                         issued_on: date | None = None, supersedes_id: str | None = None,
                         correction_reason: str = "", backdate_reason: str = "", witness: str = "",
                         refusal_note: str = "", today: date | None = None) -> "Notice":
    """Build the document of an inspection from the database as it is now and issue it."""
    from inspector.core.documents.notice_data import inspection_document

    config = config or _default_config()
    document = inspection_document(db, inspection_id, kind, config, issued_on=issued_on, witness=witness,
                                   refusal_note=refusal_note)
    return issue_document(db, kind=kind, data=document.data, enterprise_id=document.enterprise_id,
                          inspection_id=inspection_id, finding_ids=document.finding_ids, config=config,
                          supersedes_id=supersedes_id, correction_reason=correction_reason,
                          backdate_reason=backdate_reason, today=today)


def date_order_warnings(db: "Database", notice_id: str) -> list[str]:
    """Warnings when this notice's number and date run against its series (see ``issue_dates``)."""
    from inspector.core.documents.issue_dates import date_order_warnings as warnings_in
    from inspector.db.models import Notice

    with db.session() as session:
        notice = session.get(Notice, notice_id)
        return warnings_in(session, notice) if notice is not None else []


# --- before issuing: what is already issued, is a number free ------------------------------

NO_BLOCK_GUI_HINT = ("请打开菜单“文书 → 号段与文书设置”，在“本机号段”中添加号段后再签发"
                     "（办公室分配给本机的号段同步后也会出现在那里）。")


@dataclass(frozen=True)
class IssuePreflight:
    """What the issuing window checks before it asks anything: the live document of this kind
    (``None`` if there is none) and why no number could be drawn (``""`` if one can)."""

    live: "Notice | None"
    numbering: str


def live_notices(db: "Database", *, inspection_id: str | None = None,
                 reinspection_id: str | None = None, kind: str | None = None) -> list["Notice"]:
    """The issued (live) notices of an inspection or re-inspection, newest first."""
    from inspector.db.models import Notice

    if not inspection_id and not reinspection_id:
        return []
    with db.session() as session:
        query = _live_query(kind, inspection_id, reinspection_id).order_by(Notice.issued_at.desc(), Notice.id)
        return list(session.exec(query).all())


def numbering_problem(db: "Database", kind: str, year: int, config: "DocumentConfig | None" = None) -> str:
    """Why this device cannot number a ``kind`` document of ``year`` now, in words for the GUI; ``""`` if it can."""
    from inspector.core.documents.numbering import list_blocks, next_seq

    config = config or _default_config()
    prefix = series_prefix(config, kind)
    with db.session() as session:
        try:
            next_seq(session, kind=kind, prefix=prefix, year=year, device_id=db.device_id)
            return ""
        except UserError:
            pass
    name = KIND_NAMES.get(kind, kind)
    blocks = [b for b in list_blocks(db, db.device_id) if (b.kind, b.prefix, b.year) == (kind, prefix, year)]
    if not blocks:
        return f"本机还没有{year}年“{prefix}”（{name}）的号段，无法编号。{NO_BLOCK_GUI_HINT}"
    ranges = "、".join(f"{b.first}–{b.last}" for b in blocks)
    return f"本机{year}年“{prefix}”（{name}）的号段 {ranges} 已用完。{NO_BLOCK_GUI_HINT}"


def issue_preflight(db: "Database", kind: str, *, inspection_id: str | None = None,
                    reinspection_id: str | None = None, config: "DocumentConfig | None" = None,
                    issued_on: date | None = None) -> IssuePreflight:
    """The checks an issuing window makes at click time, before any confirmation."""
    from inspector.core.common.clock import local_today

    live = live_notices(db, inspection_id=inspection_id, reinspection_id=reinspection_id, kind=kind)
    year = (issued_on or local_today()).year
    return IssuePreflight(live[0] if live else None, numbering_problem(db, kind, year, config))


def _default_config() -> "DocumentConfig":
    from inspector.core.documents import load_config

    return load_config()


# --- reading ------------------------------------------------------------------------------

def find_notices(db: "Database", *, inspection_id: str | None = None, reinspection_id: str | None = None,
                 enterprise_id: str | None = None) -> list["Notice"]:
    """Stored notices (with their PDFs), newest first, filtered by any of the given ids."""
    from sqlmodel import select

    from inspector.db.models import Notice

    query = select(Notice).where(Notice.deleted_at.is_(None))
    for column, value in ((Notice.inspection_id, inspection_id), (Notice.reinspection_id, reinspection_id),
                          (Notice.enterprise_id, enterprise_id)):
        if value is not None:
            query = query.where(column == value)
    with db.session() as session:
        return list(session.exec(query.order_by(Notice.issued_at.desc(), Notice.id)).all())


def get_notice(db: "Database", notice_id: str) -> "Notice":
    from inspector.db.models import Notice

    with db.session() as session:
        notice = session.get(Notice, notice_id)
    if notice is None or notice.deleted_at is not None:
        raise NotFoundError(f"找不到文书 {notice_id}。")
    return notice


# --- voiding ------------------------------------------------------------------------------

def void_notice(db: "Database", notice_id: str, reason: str) -> "Notice":
    """Void an issued notice and its number (both keep the reason; the number is never reused)."""
    from inspector.core.documents.numbering import mark_voided
    from inspector.db.models import DocumentNumber, Notice
    from inspector.db.types import utcnow

    reason = (reason or "").strip()
    if not reason:
        raise UserError("作废文书须填写原因。")
    with db.session() as session:
        notice = session.get(Notice, notice_id)
        if notice is None or notice.deleted_at is not None:
            raise NotFoundError(f"找不到文书 {notice_id}。")
        if notice.status != "issued":
            raise UserError(f"文书 {notice.number_text} {STATUS_NAMES.get(notice.status, notice.status)}，不能作废。")
        notice.status, notice.void_reason = "voided", reason
        notice.updated_at, notice.rev = utcnow(), notice.rev + 1
        session.add(notice)
        number = session.get(DocumentNumber, notice.number_id) if notice.number_id else None
        if number is not None and number.voided_at is None:
            mark_voided(number, reason)
            session.add(number)
    return notice
