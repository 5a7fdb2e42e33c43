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

from sqlalchemy import JSON, Column, LargeBinary
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


class Finding(SyncedRow, table=True):
    """One answered checklist item, or a free-text finding; result ``fail`` is a hazard."""

    __tablename__ = "finding"

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


class Photo(SyncedRow, table=True):
    __tablename__ = "photo"

    finding_id: str = Field(foreign_key="finding.id", index=True, max_length=36)
    seq: int = 0
    caption: str = ""
    jpeg: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # stored, upright, downscaled
    thumbnail: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    original_sha256: str = Field(index=True, max_length=64)  # SHA-256 of the file as imported
    jpeg_sha256: str = Field(max_length=64)  # SHA-256 of ``jpeg``, checked by ``inspector check``
    original_size: int = 0  # bytes of the original file
    width: int = 0
    height: int = 0
    captured_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)  # EXIF capture time
    original_name: str = ""


class LocalMeta(SQLModel, table=True):
    """Per-database facts that never travel in a sync (device id, number blocks...)."""

    __tablename__ = "local_meta"

    key: str = Field(primary_key=True)
    value: str


SYNCED_TABLES = ("enterprise", "inspector", "checklist_snapshot", "inspection", "finding", "photo")
