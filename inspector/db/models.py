"""SQLModel tables.

Designed to merge row by row between databases: every synced table has a UUID text
primary key, UTC ``created_at``/``updated_at``, the id of the device that created
the row, a revision counter bumped on every change and a ``deleted_at`` tombstone.
Codes stored in the database are English (``fail``, ``major``); the UI shows Chinese.

The schema itself is created by the numbered migrations in ``inspector.db.migrations``;
a test checks that these models and the migrated schema agree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, Index, LargeBinary, text
from sqlmodel import Field, SQLModel

from inspector.db.types import UTCDateTime, new_id, utcnow

RESULTS = ("pass", "fail", "na")  # 合格 / 不合格 / 不适用
LEVELS = ("general", "major")  # 一般 / 重大
INSPECTION_STATUSES = ("draft", "completed")


class SyncedRow(SQLModel):
    """Columns every merged table carries."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    device_id: str = Field(default="", max_length=36)
    rev: int = Field(default=1)
    deleted_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)


class Enterprise(SyncedRow, table=True):
    __tablename__ = "enterprise"

    name: str = Field(index=True)  # 名称
    credit_code: Optional[str] = Field(default=None, index=True, max_length=18)  # 统一社会信用代码
    address: str = ""  # 地址
    industry: str = ""  # 行业
    legal_representative: str = ""  # 法定代表人/负责人
    contact_phone: str = ""  # 联系电话
    liaison: str = ""  # 包保责任人
    name_initials: str = Field(default="", index=True)  # pinyin initials, for search


class Inspector(SyncedRow, table=True):
    __tablename__ = "inspector"

    name: str  # 姓名
    certificate_no: str = ""  # 执法证号
    active: bool = True


class ChecklistSnapshot(SQLModel, table=True):
    """The exact checklist an inspection used, so old inspections keep their item texts.

    The id is derived from the content hash, so every device that used the same
    version of a checklist stores the same row: snapshots merge by id with no conflict.
    """

    __tablename__ = "checklist_snapshot"

    id: str = Field(primary_key=True, max_length=36)
    checklist_id: str = Field(index=True)
    version: str
    title: str
    sector: str
    content_sha256: str = Field(max_length=64)
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Inspection(SyncedRow, table=True):
    __tablename__ = "inspection"

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True, max_length=36)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    ended_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    inspector_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # 检查人员
    place: str = ""  # 检查场所
    snapshot_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="draft", index=True)  # draft / completed
    notes: str = ""
    method: str = ""  # 检查方式: 日常检查 / 专项检查 / 联合检查 / 复查 / 暗查暗访 (schema v4)


class Finding(SyncedRow, table=True):
    """One answered checklist item, or a free-text finding; result ``fail`` is a hazard."""

    __tablename__ = "finding"
    # schema v7: the inspection list's per-inspection counts read this index alone (no wide finding rows).
    # The migrations create the partial indexes on both backends; a ``postgresql_where`` here made
    # SQLAlchemy import its PostgreSQL dialect in every laptop process (33 ms of a cold ``notice --issue``).
    __table_args__ = (Index("ix_finding_live_result", "inspection_id", "result", "level",
                            sqlite_where=text("deleted_at IS NULL")),)

    inspection_id: str = Field(foreign_key="inspection.id", index=True, max_length=36)
    snapshot_id: Optional[str] = Field(default=None, max_length=36)
    item_id: Optional[str] = None  # checklist item id, None for a free-text finding
    item_text: str = ""  # the check text as the inspector saw it
    seq: int = 0
    result: str = "fail"  # pass / fail / na
    description: str = ""  # 隐患描述
    location: str = ""  # 隐患部位
    level: str = "general"  # general / major
    major_clause: str = ""  # 判定标准条款 when major
    requirement: str = ""  # 整改要求
    deadline: Optional[date] = None  # 整改期限
    basis: str = ""  # 依据
    status: str = Field(default="pending", index=True)  # hazard life cycle, see HAZARD_STATUSES (schema v2)
    responsible_person: str = ""  # 整改责任人 (schema v2)
    closed_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)  # 销号 time (schema v2)
    # what a 隐患排查治理台账 holds for major hazards, as entered (schema v4)
    interim_measures: str = ""  # 临时管控措施
    governance_plan: str = ""  # 治理方案
    governance_funds: str = ""  # 治理资金 (amount with its unit)
    responsible_phone: str = ""  # 整改责任人联系电话
    supervision: str = ""  # 挂牌督办 (level and authority)
    enforcement: str = ""  # 处罚/立案 (case number or decision)
    remarks: str = ""  # 备注


class Photo(SyncedRow, table=True):
    __tablename__ = "photo"
    # schema v7: live photos of a finding without reading photo rows (they hold the JPEG)
    __table_args__ = (Index("ix_photo_live_finding", "finding_id",
                            sqlite_where=text("deleted_at IS NULL")),
                      # schema v8: the merge's duplicate-photo groups found in the index alone
                      Index("ix_photo_duplicates", "finding_id", "kind", "original_sha256", "created_at", "id",
                            "deleted_at"))

    finding_id: str = Field(foreign_key="finding.id", index=True, max_length=36)
    seq: int = 0
    caption: str = ""
    jpeg: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # stored, upright, downscaled
    thumbnail: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    original_sha256: str = Field(index=True, max_length=64)  # SHA-256 of the file as imported
    jpeg_sha256: str = Field(max_length=64, index=True)  # (index: schema v7) SHA-256 of ``jpeg``, checked by ``inspector check``
    original_size: int = 0  # bytes of the original file
    width: int = 0
    height: int = 0
    captured_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)  # EXIF capture time
    original_name: str = ""
    kind: str = "before"  # before / after (rectification evidence, schema v2)
    reinspection_id: Optional[str] = Field(default=None, max_length=36)  # for "after" photos (schema v2)


class LocalMeta(SQLModel, table=True):
    """Per-database facts that never travel in a sync (device id, number blocks...)."""

    __tablename__ = "local_meta"

    key: str = Field(primary_key=True)
    value: str


SYNCED_TABLES = ("enterprise", "inspector", "checklist_snapshot", "inspection", "finding", "photo")


# --- schema version 2: closed loop, notices and numbering, sync bookkeeping -----------------

HAZARD_STATUSES = ("pending", "rectifying", "awaiting_review", "closed", "escalated")
# 待整改 / 整改中 / 待复查 / 已销号 / 移交执法; 逾期 (overdue) is derived: deadline passed, not closed/escalated
PHOTO_KINDS = ("before", "after")
NOTICE_KINDS = ("order", "park", "record", "review", "measure", "referral")
NOTICE_STATUSES = ("issued", "voided", "superseded")
REVIEW_OUTCOMES = ("rectified", "not_rectified", "escalated")


class HazardEvent(SyncedRow, table=True):
    """One dated, attributed step in a hazard's life; append-only, so it merges without conflict."""

    __tablename__ = "hazard_event"

    finding_id: str = Field(foreign_key="finding.id", index=True, max_length=36)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    inspector_id: Optional[str] = Field(default=None, max_length=36)
    from_status: str = ""
    to_status: str = ""
    deadline: Optional[date] = None  # a new deadline set by this step
    reinspection_id: Optional[str] = Field(default=None, max_length=36)
    notice_id: Optional[str] = Field(default=None, max_length=36)
    note: str = ""


class Reinspection(SyncedRow, table=True):
    """复查: a visit that checks an enterprise's open hazards."""

    __tablename__ = "reinspection"

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True, max_length=36)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    ended_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    inspector_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = "draft"  # draft / completed
    notes: str = ""


class ReinspectionItem(SyncedRow, table=True):
    __tablename__ = "reinspection_item"

    reinspection_id: str = Field(foreign_key="reinspection.id", index=True, max_length=36)
    finding_id: str = Field(foreign_key="finding.id", index=True, max_length=36)
    outcome: str = "rectified"  # rectified / not_rectified / escalated
    new_deadline: Optional[date] = None
    note: str = ""


class Notice(SyncedRow, table=True):
    """An issued document. Issued means frozen: the PDF bytes and hashes never change;
    a correction is a new notice whose ``supersedes_id`` names the old one, with a reason."""

    __tablename__ = "notice"

    kind: str = Field(index=True)  # order / park / record / review
    enterprise_id: str = Field(foreign_key="enterprise.id", index=True, max_length=36)
    inspection_id: Optional[str] = Field(default=None, max_length=36, index=True)
    reinspection_id: Optional[str] = Field(default=None, max_length=36)
    finding_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    number_id: Optional[str] = Field(default=None, max_length=36)
    number_text: str = ""
    issued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    status: str = "issued"  # issued / voided / superseded
    template_family: str = ""  # enforcement / park
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    pdf_sha256: str = Field(max_length=64, index=True)
    content_sha256: str = Field(max_length=64)
    supersedes_id: Optional[str] = Field(default=None, max_length=36)
    correction_reason: str = ""
    void_reason: str = ""
    issued_on: Optional[date] = None  # the record date printed on the document (schema v4)
    backdate_reason: str = ""  # why it is dated before the day it was issued (schema v4)
    # finding id -> printed deadline "YYYY-MM-DD" or "immediate" (立即整改) (schema v4)
    printed_deadlines: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class DocumentNumber(SyncedRow, table=True):
    """A document number drawn from a block: never reused; a voided one keeps its reason."""

    __tablename__ = "document_number"

    kind: str = Field(index=True)
    prefix: str  # e.g. "（兴）应急责改" or "兴经开安改"
    year: int
    seq: int
    notice_id: Optional[str] = Field(default=None, max_length=36)
    voided_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    void_reason: str = ""


class NumberBlock(SyncedRow, table=True):
    """号段: the numbers [first, last] of one kind and year that one device may use offline."""

    __tablename__ = "number_block"

    kind: str
    prefix: str
    year: int
    first: int
    last: int
    assigned_device_id: str = Field(max_length=36, index=True)
    note: str = ""


class SyncLog(SQLModel, table=True):
    """Local record of exports and merges (never travels)."""

    __tablename__ = "sync_log"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    kind: str  # export / merge
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    peer_device_id: str = ""
    path: str = ""
    watermark: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class SyncConflict(SQLModel, table=True):
    """A record edited on both sides: the winner is in its table, the other version is kept here."""

    __tablename__ = "sync_conflict"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    table_name: str
    row_id: str = Field(max_length=36, index=True)
    kept: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    other: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    detected_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    source: str = ""
    resolved_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)


SYNCED_TABLES = SYNCED_TABLES + (
    "hazard_event", "reinspection", "reinspection_item", "notice", "document_number", "number_block",
)

from inspector.db.sync_models import (  # noqa: E402,F401  (schema v3, v7, v8: file sync)
    LocalChange, MergeUndo, SyncStamp, SyncVersion,
)


class AnalysisSnapshot(SQLModel, table=True):
    """The monthly analysis of a closed month, frozen as it was closed (local to this database, schema v4)."""

    __tablename__ = "analysis_snapshot"

    month: str = Field(primary_key=True, max_length=7)  # YYYY-MM
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    content_sha256: str = Field(max_length=64)
    closed_at: str  # UTC, fixed-width text like every timestamp
    closed_by: str = ""
    document_number: str = ""


# --- validation metadata: what a stored row may hold (checked on every merged row and by `check`) ---
# The column types, nullability and ``max_length`` above are the base rules; ``inspector.core.sync.rules``
# turns them, with the declarations below, into one pydantic validator per table.

#: Code columns and the values they may hold.
ROW_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("inspection", "status"): INSPECTION_STATUSES,
    ("reinspection", "status"): INSPECTION_STATUSES,
    ("finding", "result"): RESULTS,
    ("finding", "level"): LEVELS,
    ("finding", "status"): HAZARD_STATUSES,
    ("hazard_event", "from_status"): ("",) + HAZARD_STATUSES,
    ("hazard_event", "to_status"): HAZARD_STATUSES,
    ("photo", "kind"): PHOTO_KINDS,
    ("reinspection_item", "outcome"): REVIEW_OUTCOMES,
    ("notice", "kind"): NOTICE_KINDS,
    ("notice", "status"): NOTICE_STATUSES,
    ("notice", "template_family"): ("enforcement", "park"),
    ("document_number", "kind"): NOTICE_KINDS,
    ("number_block", "kind"): NOTICE_KINDS,
    ("sync_version", "table_name"): SYNCED_TABLES,
}
#: Text columns capped below the general limit: enterprise fields match the import's cell cap (500).
TEXT_LIMIT = 4000  # free text, as record entry caps it (``inspector.core.records.inspections.MAX_TEXT``)
ROW_TEXT_LIMITS: dict[tuple[str, str], int] = {
    **{("enterprise", name): 500 for name in (
        "name", "address", "industry", "legal_representative", "contact_phone", "liaison", "name_initials")},
    ("inspector", "name"): 500, ("inspector", "certificate_no"): 500,
    ("photo", "original_name"): 500, ("notice", "number_text"): 500,
    ("document_number", "prefix"): 500, ("number_block", "prefix"): 500,
    ("checklist_snapshot", "checklist_id"): 500, ("checklist_snapshot", "version"): 500,
    ("checklist_snapshot", "title"): 500, ("checklist_snapshot", "sector"): 500,
}
#: JSON columns: a list of record ids, or an object.
ROW_JSON: dict[tuple[str, str], str] = {
    ("inspection", "inspector_ids"): "ids", ("inspection", "snapshot_ids"): "ids",
    ("reinspection", "inspector_ids"): "ids", ("notice", "finding_ids"): "ids",
    ("checklist_snapshot", "content"): "object", ("notice", "printed_deadlines"): "object",
}
#: Time stamps a device's clock writes as things happen: never later than the export that carries them.
CLOCK_COLUMNS = ("created_at", "updated_at", "deleted_at", "voided_at", "issued_at", "closed_at", "at")
#: Time stamps from elsewhere (a camera's EXIF clock): any real time, not bounded by the export's.
FOREIGN_CLOCK_COLUMNS = (("photo", "captured_at"),)
#: Integer columns with a range: (table, column) -> (lowest, highest).
ROW_INT_RANGES: dict[tuple[str, str], tuple[int, int]] = {
    **{(table, "rev"): (0, 2**62) for table in SYNCED_TABLES},
    ("document_number", "year"): (2000, 2100), ("number_block", "year"): (2000, 2100),
    ("document_number", "seq"): (1, 10**9), ("number_block", "first"): (1, 10**9),
    ("number_block", "last"): (1, 10**9),
}


class NumberClaim(SQLModel, table=True):
    """One number held by a live block (schema v5): the primary key makes overlapping blocks impossible.

    Local to a database (never synced); written with the block in one transaction by
    ``inspector.core.documents.numbering``.
    """

    __tablename__ = "number_claim"

    kind: str = Field(primary_key=True)
    prefix: str = Field(primary_key=True)
    year: int = Field(primary_key=True)
    seq: int = Field(primary_key=True)
    block_id: str = Field(max_length=36, index=True)
