"""Documents: the PDF renderer (without Qt or the database), and around it the stored notices
(``notices``: issue, void, correct, verify), their data from the database (``notice_data``,
``review_data``), the checks before issuing (``notice_checks``) and document numbers (``numbering``).

Kinds (``DocumentKind``)
    ``record``  现场检查记录            family A (enforcement, county authority's name)
    ``order``   责令限期整改指令书      family A, per-hazard deadlines (逐项期限), appeal sentence
    ``review``  整改复查意见书          family A, before/after photo pairs in its appendix
    ``park``    安全隐患整改通知书      family B (park committee, no appeal clauses)
    ``measure`` 现场处理措施决定书      family A, 《安全生产法》第六十五条 on-site measures, own appeal sentence
    ``referral`` 移送书                 family A, fire-law findings handed to the fire and rescue authority

Which findings each kind may list is ``competence`` in ``resources/documents.yaml``
(``finding_rules.matter_of``); the record date rules are in ``issue_dates``; the Chinese
line-breaking rules in ``linebreak``; the printed basis (once) in ``citations``.

API
    ``render_document(data: DocumentData, config: DocumentConfig | None = None) -> bytes``
        PDF bytes.  Deterministic for the same input (ReportLab ``invariant=1``).
    ``load_config(path=None, overrides: dict | None = None) -> DocumentConfig``
        ``resources/documents.yaml``, merged with an optional user file and overrides;
        raises ``inspector.errors.UserError`` (Chinese sentence) when malformed.
    ``format_number(config, kind, year, seq) -> str``
        ``（兴）应急责改〔2025〕12号``; park ``兴经开安改〔2025〕3号``.
    ``content_hash(data) -> str``
        SHA-256 hex of a canonical JSON of the content (photos by their SHA-256).
    ``read_embedded_payload(pdf_bytes) -> dict | None``
        ``{"version", "kind", "number", "credit_code", "issued_on", "content_hash"}``
        read back from the PDF Info dictionary (also printed as the QR code).

Input (``model.py``, frozen dataclasses; lists become tuples)
    ``DocumentData(kind, enterprise, issued_on, number=None, place="", started_at=None,
    ended_at=None, inspectors=(), hazards=(), notes="", review_items=(),
    reviewed_number=None, reviewed_on=None, related_number=None, refusal_note="",
    witness="", recipient="")``

    * ``enterprise``: ``EnterpriseInfo(name, credit_code, address, legal_representative,
      contact_phone, representative_title)``
    * ``inspectors``: ``Inspector(name, certificate_no)`` or plain ``(name, cert)`` pairs
    * ``hazards``: ``HazardEntry(no, description, deadline: date | None, location, level
      ("general" | "major"), major_clause, requirement, basis, photos, immediate, measure,
      matter ("safety" | "fire"))`` -- ``description`` is the fact found, ``immediate``
      prints 立即整改, ``measure`` is the on-site measure a 现场处理措施决定书 decides
    * ``photos``: ``PhotoEntry(jpeg: bytes, caption, taken_at)`` -- already downscaled and
      EXIF-rotated JPEG, embedded as-is (DCTDecode, never re-encoded); captions print the
      finding's number, its place and ``taken_at`` (internal item codes are dropped)
    * ``review_items`` (review only): ``ReviewItem(hazard_no, result, before, after)``
      with ``reviewed_number`` / ``reviewed_on`` naming the order being re-inspected
    * ``started_at`` / ``ended_at`` are aware datetimes printed in Asia/Shanghai time;
      ``number=None`` prints the configured draft label and a "草稿" watermark.

Which kind prints what: record -- enterprise fields, place, times, inspectors'
introduction, ``notes`` as 检查情况, the facts found (no orders, no deadlines), signature
lines with the officers' names, 见证人 and 拒绝签字情况; order -- hazards with requirement
(an on-site measure replaced by a reference to the decision) and deadline, "其中事故隐患N项
属于重大隐患。", the appeal sentence; measure -- the hazards, 第六十五条, the measures, the
appeal sentence ("不服本决定"); referral -- the fire-law findings addressed to the fire and
rescue authority; review -- the reviewed order with its printed date, per item the hazard,
its printed deadline and the result; park -- hazards, 五落实 request, escalation sentence.
One page number per page (GB/T 9704); appendix pages carry the document number.

Layout follows GB/T 9704 (see ``layout.py``); fonts come from ``fonts.py`` (system
仿宋/宋体/黑体 when configured and present, else the bundled AR PL UMing and
WenQuanYi Micro Hei).  ``render_document`` and ``format_number`` import ReportLab
only when first called, so importing this package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import DocumentConfig, format_number, load_config
from .model import DocumentData, DocumentKind, EnterpriseInfo, HazardEntry, Inspector, PhotoEntry, ReviewItem
from .payload import content_hash, read_embedded_payload

if TYPE_CHECKING:
    from .render import render_document

__all__ = [
    "DocumentConfig", "DocumentData", "DocumentKind", "EnterpriseInfo", "HazardEntry", "Inspector",
    "PhotoEntry", "ReviewItem", "content_hash", "format_number", "load_config", "read_embedded_payload",
    "render_document",
]


def __getattr__(name: str) -> Any:
    if name == "render_document":
        from .render import render_document

        return render_document
    raise AttributeError(name)
