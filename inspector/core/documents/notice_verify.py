"""Verifying a PDF against this database: byte for byte with a stored notice, else what the PDF claims
to be (the signed QR is checked offline by :mod:`.seal` and :mod:`.printout`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from inspector.core.documents.numbering import KIND_NAMES

if TYPE_CHECKING:
    from sqlmodel import Session

    from inspector.db.database import Database
    from inspector.db.models import Notice

STATUS_NAMES = {"issued": "有效", "voided": "已作废", "superseded": "已更正"}


@dataclass(frozen=True)
class VerifyResult:
    """``status``: valid / voided / superseded (the bytes match a stored notice), altered
    (it claims to be a notice of this database but the bytes differ), unknown, unreadable."""

    status: str
    message: str
    notice_id: str | None = None
    number_text: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "valid"


def verify_pdf(db: "Database", pdf_bytes: bytes) -> VerifyResult:
    """Does this PDF match, byte for byte, a notice this database issued?"""
    from sqlmodel import select

    from inspector.db.models import Notice

    digest = hashlib.sha256(pdf_bytes).hexdigest()
    with db.session() as session:
        notice = session.exec(select(Notice).where(Notice.pdf_sha256 == digest, Notice.deleted_at.is_(None))).first()
        if notice is not None:
            return _matched(notice)
        if not pdf_bytes.startswith(b"%PDF"):
            return VerifyResult("unreadable", "该文件不是 PDF 文件。")
        payload = _payload(pdf_bytes)
        if payload is None:
            return VerifyResult("unknown", "该 PDF 不是本数据库签发的文书（未找到核验信息）。")
        claimed = _claimed_notice(session, payload)
    if claimed is None and not payload.get("number"):
        return VerifyResult("unknown", "该 PDF 是未编号的草稿，不是签发的文书。")
    if claimed is None:
        return VerifyResult("unknown", f"该 PDF 自称文号 {payload['number']}，但不是本数据库签发的文书。")
    title = KIND_NAMES.get(claimed.kind, claimed.kind)
    return VerifyResult("altered", f"该 PDF 自称是 {claimed.number_text}（{title}，{_day(claimed)}签发），"
                        "但与本数据库签发的文件不一致，已被修改。", claimed.id, claimed.number_text)


def _matched(notice: "Notice") -> VerifyResult:
    title = KIND_NAMES.get(notice.kind, notice.kind)
    what = f"{notice.number_text}（{title}，{_day(notice)}签发）"
    if notice.status == "issued":
        return VerifyResult("valid", f"与本数据库签发的文书一致：{what}。", notice.id, notice.number_text)
    if notice.status == "voided":
        return VerifyResult("voided", f"与本数据库签发的文书一致：{what}，但该文书已作废（{notice.void_reason}）。",
                            notice.id, notice.number_text)
    return VerifyResult("superseded", f"与本数据库签发的文书一致：{what}，但该文书已被更正文书取代。",
                        notice.id, notice.number_text)


def _payload(pdf_bytes: bytes) -> dict | None:
    from inspector.core.documents import read_embedded_payload

    try:
        return read_embedded_payload(pdf_bytes)
    except ImportError:  # pypdf missing: only the byte-exact check is possible
        return None


def _claimed_notice(session: "Session", payload: dict):
    from sqlmodel import select

    from inspector.db.models import Notice

    number = payload.get("number")
    if not number:
        return None
    query = select(Notice).where(Notice.number_text == number, Notice.kind == payload.get("kind"),
                                 Notice.deleted_at.is_(None))
    return session.exec(query).first()


def _day(notice: "Notice") -> str:
    """The printed record date of a notice."""
    from inspector.core.documents.issue_dates import record_date

    return record_date(notice).isoformat()
