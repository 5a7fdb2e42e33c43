"""Input dataclasses for the document renderer (plain values, no database, no Qt).

All classes are frozen; list arguments are converted to tuples so that a
:class:`DocumentData` can be hashed and compared.  ``DocumentData.validate()``
raises :class:`inspector.errors.UserError` for problems a person can fix (an empty
enterprise name, an order without hazards, a review item that names no hazard) and
``ValueError`` for programming errors (naive datetimes, an unknown kind).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from enum import StrEnum
from functools import cached_property
from hashlib import sha256
from typing import Any, Iterable, Literal

from inspector.errors import UserError

HazardLevel = Literal["general", "major"]
HAZARD_LEVELS: tuple[str, ...] = ("general", "major")
#: Subject matter of a hazard: ``safety`` (安全生产, the emergency-management authority's own)
#: or ``fire`` (消防: the fire and rescue authority's; major ones are 重大火灾隐患 after GB 35181).
MATTERS: tuple[str, ...] = ("safety", "fire")


class DocumentKind(StrEnum):
    """The printable documents.

    Family "A" are enforcement documents issued in the name of the county authority
    (现场检查记录, 责令限期整改指令书, 整改复查意见书, 现场处理措施决定书, 移送书); family "B"
    is the park committee's non-enforcement 安全隐患整改通知书 (no appeal clauses).
    """

    RECORD = "record"  # 现场检查记录
    ORDER = "order"  # 责令限期整改指令书
    REVIEW = "review"  # 整改复查意见书
    PARK = "park"  # 安全隐患整改通知书
    MEASURE = "measure"  # 现场处理措施决定书 (《安全生产法》第六十五条)
    REFERRAL = "referral"  # 移送书: matters outside the authority's competence (fire)

    @property
    def family(self) -> str:
        return "B" if self is DocumentKind.PARK else "A"


def _blank_nones(obj: object) -> None:
    """Database rows often hold NULL for optional text: treat None as ""."""
    for name, value in vars(obj).items():
        if value is None and name in _TEXT_FIELDS.get(type(obj).__name__, ()):
            object.__setattr__(obj, name, "")


_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "EnterpriseInfo": ("credit_code", "address", "legal_representative", "contact_phone", "representative_title"),
    "Inspector": ("certificate_no",),
    "PhotoEntry": ("caption",),
    "HazardEntry": ("location", "major_clause", "requirement", "basis", "measure"),
    "DocumentData": ("place", "notes", "refusal_note", "witness"),
}


@dataclass(frozen=True)
class EnterpriseInfo:
    """The inspected enterprise (被检查单位)."""

    name: str
    credit_code: str = ""  # 统一社会信用代码
    address: str = ""
    legal_representative: str = ""  # 法定代表人（负责人）
    contact_phone: str = ""
    representative_title: str = ""  # 职务 (printed on the 现场检查记录)

    def __post_init__(self) -> None:
        _blank_nones(self)


@dataclass(frozen=True)
class Inspector:
    """One inspector / enforcement officer and the number of the enforcement certificate."""

    name: str
    certificate_no: str = ""

    def __post_init__(self) -> None:
        _blank_nones(self)


@dataclass(frozen=True)
class PhotoEntry:
    """An already downscaled, already EXIF-rotated JPEG; embedded as-is (never re-encoded)."""

    jpeg: bytes = field(repr=False)
    caption: str = ""
    taken_at: datetime | None = None  # aware; printed in the caption with the hazard's place

    def __post_init__(self) -> None:
        _blank_nones(self)

    @cached_property
    def sha256(self) -> bytes:
        """SHA-256 of ``jpeg``, once per entry: the content hash and the PDF's image name both need it."""
        return sha256(self.jpeg).digest()


@dataclass(frozen=True)
class HazardEntry:
    """One hazard (事故隐患) with its own deadline (逐项期限), or 立即整改 (``immediate``).

    ``description`` is the fact found, as printed. ``measure`` is an on-site measure
    (停止使用…, 撤出作业人员…) that a 现场处理措施决定书 decides; an order listing such a
    hazard refers to that decision instead of printing the measure. ``matter`` ``fire``
    marks a fire-law hazard (labelled 重大火灾隐患 when major).
    """

    no: int
    description: str
    deadline: date | None
    location: str = ""
    level: HazardLevel = "general"
    major_clause: str = ""  # 重大事故隐患判定标准条款, required for a numbered document
    requirement: str = ""  # 整改要求 (without the on-site measure)
    basis: str = ""  # 违反的法规/标准条款, printed once
    photos: tuple[PhotoEntry, ...] = ()
    immediate: bool = False  # 立即整改 instead of a dated deadline
    measure: str = ""  # 现场处理措施 (《安全生产法》第六十五条)
    matter: str = "safety"  # safety / fire

    def __post_init__(self) -> None:
        _blank_nones(self)
        object.__setattr__(self, "photos", tuple(self.photos or ()))

    @property
    def is_major(self) -> bool:
        return self.level == "major"

    @property
    def is_fire(self) -> bool:
        return self.matter == "fire"


@dataclass(frozen=True)
class ReviewItem:
    """The re-inspection result for one hazard of the reviewed order."""

    hazard_no: int
    result: str  # 复查意见, e.g. "已按要求整改完毕，符合要求。"
    before: PhotoEntry | None = None
    after: PhotoEntry | None = None


@dataclass(frozen=True)
class DocumentData:
    """Everything one document prints.  See the package docstring for which kind uses what."""

    kind: DocumentKind
    enterprise: EnterpriseInfo
    issued_on: date
    number: str | None = None  # formatted number; None prints the draft label
    place: str = ""  # 检查场所
    started_at: datetime | None = None  # aware; printed in Asia/Shanghai time
    ended_at: datetime | None = None
    inspectors: tuple[Inspector, ...] = ()
    hazards: tuple[HazardEntry, ...] = ()
    notes: str = ""  # 检查情况 (record) / free remarks
    review_items: tuple[ReviewItem, ...] = ()
    reviewed_number: str | None = None  # number of the order being re-inspected
    reviewed_on: date | None = None  # date of that order, as it printed
    reviewed_kind: str = ""  # kind of the reviewed document when not an order ("park")
    related_number: str | None = None  # order: the 现场处理措施决定书 it refers to; measure: the order
    refusal_note: str = ""  # record: 被检查单位负责人拒绝签字的情况
    witness: str = ""  # record: 见证人 (name, and unit or ID)
    recipient: str = ""  # referral: the authority the matters are handed to
    seal: str | None = None  # signed QR text of an issued document (see seal.py); not part of the content

    def __post_init__(self) -> None:
        _blank_nones(self)
        object.__setattr__(self, "kind", DocumentKind(self.kind))
        object.__setattr__(self, "inspectors", tuple(_as_inspector(i) for i in self.inspectors))
        object.__setattr__(self, "hazards", tuple(self.hazards))
        object.__setattr__(self, "review_items", tuple(self.review_items))

    @property
    def is_draft(self) -> bool:
        return not self.number

    @property
    def major_hazards(self) -> tuple[HazardEntry, ...]:
        return tuple(h for h in self.hazards if h.is_major)

    def hazard(self, no: int) -> HazardEntry:
        for item in self.hazards:
            if item.no == no:
                return item
        raise UserError(f"复查项引用了不存在的第{no}项隐患。")

    def validate(self) -> None:
        """Raise UserError (fixable content) or ValueError (programming error)."""
        _check_datetimes(self)
        if not self.enterprise.name.strip():
            raise UserError("文书缺少被检查单位名称。")
        if self.number is not None and "|" in self.number:
            raise ValueError("document number must not contain '|'")
        _check_hazards(self.hazards, final=not self.is_draft)
        if self.kind in (DocumentKind.ORDER, DocumentKind.PARK) and not self.hazards:
            raise UserError("整改文书至少需要列出一项隐患。")
        if self.kind is DocumentKind.MEASURE and not any(h.measure.strip() for h in self.hazards):
            raise UserError("现场处理措施决定书至少需要一项现场处理措施。")
        if self.kind is DocumentKind.REFERRAL and not self.hazards:
            raise UserError("移送书至少需要列出一项移送的问题。")
        if self.kind is DocumentKind.REVIEW:
            _check_review(self)
        if self.kind.family == "A" and not self.is_draft and len(self.inspectors) < 2:
            raise UserError("执法文书须由两名以上执法人员签署，请补充执法人员及证号。")


def _as_inspector(value: Inspector | Iterable[str]) -> Inspector:
    if isinstance(value, Inspector):
        return value
    name, certificate_no = tuple(value)
    return Inspector(str(name), str(certificate_no))


def _check_datetimes(data: DocumentData) -> None:
    for moment in (data.started_at, data.ended_at):
        if moment is not None and moment.utcoffset() is None:
            raise ValueError("started_at/ended_at must be timezone-aware datetimes")
    if data.started_at and data.ended_at and data.ended_at < data.started_at:
        raise UserError("检查结束时间早于开始时间，请核对检查时间。")


def _check_hazards(hazards: tuple[HazardEntry, ...], *, final: bool) -> None:
    seen: set[int] = set()
    for hazard in hazards:
        if hazard.no < 1 or hazard.no in seen:
            raise UserError(f"隐患序号 {hazard.no} 无效或重复，请重新编号。")
        seen.add(hazard.no)
        if hazard.level not in HAZARD_LEVELS:
            raise ValueError(f"hazard level must be one of {HAZARD_LEVELS}, got {hazard.level!r}")
        if hazard.matter not in MATTERS:
            raise ValueError(f"hazard matter must be one of {MATTERS}, got {hazard.matter!r}")
        if hazard.deadline is None and not hazard.immediate and final:
            raise UserError(f"第{hazard.no}项隐患未设整改期限。")
        if not hazard.description.strip():
            raise UserError(f"第{hazard.no}项隐患缺少描述。")
        if final and hazard.is_major and not hazard.is_fire and not hazard.major_clause.strip():
            raise UserError(f"第{hazard.no}项为重大事故隐患，须填写判定标准条款。")


def _check_review(data: DocumentData) -> None:
    if not data.review_items:
        raise UserError("整改复查意见书至少需要一项复查意见。")
    for item in data.review_items:
        data.hazard(item.hazard_no)
        if not item.result.strip():
            raise UserError(f"第{item.hazard_no}项隐患缺少复查意见。")
    if not data.is_draft and not data.reviewed_number:
        raise UserError("整改复查意见书须注明被复查的责令限期整改指令书编号。")


def canonical_content(data: DocumentData) -> dict[str, Any]:
    """A JSON-ready dict of the document's content (photos by SHA-256), used for hashing."""
    def photo(p: PhotoEntry | None) -> dict[str, str] | None:
        if p is None:
            return None
        return {"sha256": p.sha256.hex(), "caption": p.caption, **_set_only({"taken_at": moment(p.taken_at)})}

    def moment(m: datetime | None) -> str | None:
        return None if m is None else m.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def day(d: date | None) -> str | None:
        return None if d is None else d.isoformat()

    e = data.enterprise
    return {
        "schema": "inspector.document/1",
        "kind": data.kind.value,
        "number": data.number or None,
        "enterprise": {
            "name": e.name, "credit_code": e.credit_code, "address": e.address,
            "legal_representative": e.legal_representative,
            "representative_title": e.representative_title, "contact_phone": e.contact_phone,
        },
        "place": data.place,
        "started_at": moment(data.started_at),
        "ended_at": moment(data.ended_at),
        "inspectors": [[i.name, i.certificate_no] for i in data.inspectors],
        "hazards": [
            {
                "no": h.no, "description": h.description, "location": h.location, "level": h.level,
                "major_clause": h.major_clause, "requirement": h.requirement, "basis": h.basis,
                "deadline": day(h.deadline), "photos": [photo(p) for p in h.photos], **_hazard_extras(h),
            }
            for h in data.hazards
        ],
        "issued_on": day(data.issued_on),
        "notes": data.notes,
        "review_items": [
            {"hazard_no": r.hazard_no, "result": r.result, "before": photo(r.before), "after": photo(r.after)}
            for r in data.review_items
        ],
        "reviewed_number": data.reviewed_number or None,
        "reviewed_on": day(data.reviewed_on),
        **_set_only({"related_number": data.related_number or "", "reviewed_kind": data.reviewed_kind,
                     "refusal_note": data.refusal_note,
                     "witness": data.witness, "recipient": data.recipient}),
    }


def _hazard_extras(hazard: HazardEntry) -> dict[str, Any]:
    return _set_only({"immediate": hazard.immediate, "measure": hazard.measure,
                      "matter": "" if hazard.matter == "safety" else hazard.matter})


def _set_only(values: dict[str, Any]) -> dict[str, Any]:
    """Fields added after schema 1 are hashed only when set, so older documents keep their hash."""
    return {key: value for key, value in values.items() if value}
