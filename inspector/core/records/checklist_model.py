"""The checklist data format (validated with pydantic).

One YAML file per sector in ``checklists/``::

    id: cold-storage
    title: 冷库及涉氨制冷企业安全检查表
    sector: cold_storage
    version: "2025.1"
    effective: 2025-03-01
    sources: [《工贸企业重大事故隐患判定标准》（应急管理部令第10号）]
    sections:
      - title: 氨制冷机房
        items:
          - id: LK-04
            text: 氨制冷机房是否设置氨气泄漏探测报警系统……      # what to check
            basis: GB 50072—2021《冷库设计标准》7.4.1            # legal / standard basis
            major: false                                         # failing it is a 重大事故隐患
            major_clause: ""                                     # which clause of which 判定标准
            hazard: 氨制冷机房未设氨气泄漏探测报警系统……        # default hazard description
            requirement: 设置氨气泄漏探测报警系统并与事故排风联动  # default rectification requirement
            deadline_days: 30
            photo_required: true
            verify: 【记】条号需核对                             # present while the source is unconfirmed
"""

from __future__ import annotations

from datetime import date
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SECTORS: dict[str, str] = {
    "cold_storage": "冷库/涉氨制冷",
    "hot_work": "电气焊/动火作业",
    "gas": "燃气（餐饮/瓶装液化石油气）",
    "ebike": "电动自行车停放充电",
    "fire": "消防（生命通道/九小场所）",
    "dust": "粉尘涉爆",
    "confined_space": "有限空间",
    "hazchem": "危险化学品储存",
    "general": "通用安全管理",
}

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
MAX_TEXT = 2000
MAX_ITEMS = 500


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ChecklistItem(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    basis: str = Field(min_length=1, max_length=MAX_TEXT)
    major: bool
    major_clause: str = Field(default="", max_length=500)
    hazard: str = Field(min_length=1, max_length=MAX_TEXT)
    requirement: str = Field(min_length=1, max_length=MAX_TEXT)
    deadline_days: int = Field(ge=0, le=365)
    photo_required: bool = False
    verify: Optional[str] = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _major_needs_clause(self) -> "ChecklistItem":
        if self.major and not self.major_clause:
            raise ValueError("重大隐患项必须填写 major_clause（判定标准条款）")
        return self


class ChecklistSection(_Strict):
    title: str = Field(min_length=1, max_length=200)
    items: list[ChecklistItem] = Field(min_length=1, max_length=MAX_ITEMS)


class Checklist(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1, max_length=200)
    sector: str
    version: str = Field(min_length=1, max_length=40)
    effective: date
    sources: list[str] = Field(default_factory=list, max_length=100)
    sections: list[ChecklistSection] = Field(min_length=1, max_length=100)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value):
        return str(value) if isinstance(value, (int, float)) else value

    @field_validator("sector")
    @classmethod
    def _known_sector(cls, value: str) -> str:
        if value not in SECTORS:
            raise ValueError(f"未知行业 {value!r}，可用：{', '.join(SECTORS)}")
        return value

    @model_validator(mode="after")
    def _unique_item_ids(self) -> "Checklist":
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ValueError(f"检查项编号重复：{item.id}")
            seen.add(item.id)
        if len(seen) > MAX_ITEMS:
            raise ValueError(f"检查项过多（{len(seen)} 项，上限 {MAX_ITEMS}）")
        return self

    @property
    def items(self) -> list[ChecklistItem]:
        return [item for section in self.sections for item in section.items]

    @property
    def sector_name(self) -> str:
        return SECTORS[self.sector]

    def item(self, item_id: str) -> ChecklistItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def major_count(self) -> int:
        return sum(item.major for item in self.items)
