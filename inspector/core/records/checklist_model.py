"""The checklist data format (validated with pydantic).

One YAML file per sector in ``checklists/``; legal bases cite the source registry
(``checklists/sources.yaml``, see :mod:`inspector.core.records.checklist_sources`)::

    id: cold-storage
    title: 冷库及涉氨制冷企业安全检查表
    sector: cold_storage
    version: "2026.1"
    effective: 2026-12-01
    sections:
      - title: 氨制冷机房
        items:
          - id: LK-01
            text: 包装、分割、产品整理场所的空调系统是否采用氨直接蒸发制冷    # what to check
            cite:                                   # legal / standard basis, by registry key + article
              - {source: mem-10, article: 第十二条（一）}
            major_rule:                             # only when failing it is a 重大隐患
              source: mem-10                        # a registry source with a major_label
              article: 第十二条（一）
              all_of: []                            # other items that must fail too (multi-condition article)
              only_for: []                          # enterprise kinds it applies to (ENTERPRISE_KINDS)
            hazard: 包装、分割、产品整理场所的空调系统采用氨直接蒸发制冷    # default hazard description
            requirement: 立即停止……                # default rectification requirement
            deadline_days: 30
            photo_required: true
            note: 事故教训、实例等说明（文书不打印）
            verify: 【记】条号需核对                 # present while the source is unconfirmed

Loaded against the registry (``context={"registry": ...}``), a file may not write the printed
``basis``, ``major``, ``major_clause``, ``major_label`` or ``sources``: they are composed from
``cite`` and ``major_rule``. Inspection snapshots store the composed values, so snapshots made
before the registry (only ``basis``/``major``/``major_clause``) still load without it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from inspector.core.records.sectors import ENTERPRISE_KINDS, SECTORS, suggested_sectors

__all__ = ["SECTORS", "ENTERPRISE_KINDS", "Citation", "MajorRule", "ChecklistItem", "ChecklistSection", "Checklist"]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
MAX_TEXT = 2000
MAX_ITEMS = 500
FIRE_LABEL = "重大火灾隐患"
#: Free text that must never reach a printed document (placeholders, examples, unnamed sources).
PLACEHOLDERS = re.compile(r"原文|某省|某市|某区|某县|××|XX|待补充|待定|TODO|（略）|_{3,}|DB…|地方标准（DB|实例：")
COMPOSED_ITEM_FIELDS = ("basis", "major", "major_clause", "major_label")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _registry(info: ValidationInfo):
    return (info.context or {}).get("registry") if info.context else None


def _no_placeholder(value: str) -> str:
    found = PLACEHOLDERS.search(value or "")
    if found:
        raise ValueError(f"含有占位或说明文字 {found.group(0)!r}：会打印在文书上，请写实际内容（说明放 note）")
    return value


class Citation(_Strict):
    source: str = Field(min_length=1, max_length=60)
    article: str = Field(default="", max_length=60)

    @field_validator("article", mode="before")
    @classmethod
    def _article_as_text(cls, value):
        return str(value) if isinstance(value, (int, float)) else value

    @model_validator(mode="after")
    def _known_to_registry(self, info: ValidationInfo) -> "Citation":
        registry = _registry(info)
        if registry is not None:
            problem = registry.citation_problem(self.source, self.article)
            if problem:
                raise ValueError(problem)
        return self


class MajorRule(Citation):
    """The article of a 重大隐患判定标准 an item maps to, and when it applies."""
    all_of: list[str] = Field(default_factory=list, max_length=10)
    only_for: list[str] = Field(default_factory=list, max_length=10)

    @field_validator("only_for")
    @classmethod
    def _known_kinds(cls, kinds: list[str]) -> list[str]:
        unknown = [k for k in kinds if k not in ENTERPRISE_KINDS]
        if unknown:
            raise ValueError(f"未知企业类型 {unknown}，可用：{', '.join(ENTERPRISE_KINDS)}")
        return kinds

    @model_validator(mode="after")
    def _is_a_judging_article(self, info: ValidationInfo) -> "MajorRule":
        registry = _registry(info)
        if registry is None or self.source not in registry.sources:
            return self
        source = registry.sources[self.source]
        if not source.major_label:
            raise ValueError(f"{self.source} 不是重大隐患判定标准（来源登记表中没有 major_label）")
        if not self.article:
            raise ValueError("重大隐患判定必须写明判定标准的条款")
        if source.outline:
            article, item = _split_article(self.article)
            entry = source.outline.get(article)
            if entry is None or (entry.items and item not in entry.items):
                raise ValueError(f"{self.article} 不在 {source.display} 的条文目录（outline）中")
        return self


def _split_article(article: str) -> tuple[str, str]:
    """``第十三条（一）`` → (``第十三条``, ``（一）``)."""
    head, _, rest = article.partition("条")
    return head + "条", rest


class ChecklistItem(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    cite: list[Citation] = Field(default_factory=list, max_length=20)
    basis: str = Field(min_length=1, max_length=MAX_TEXT)
    major_rule: Optional[MajorRule] = None
    major: bool = False
    major_clause: str = Field(default="", max_length=500)
    major_label: str = Field(default="", max_length=40)
    hazard: str = Field(min_length=1, max_length=MAX_TEXT)
    requirement: str = Field(min_length=1, max_length=MAX_TEXT)
    deadline_days: int = Field(ge=0, le=365)
    photo_required: bool = False
    note: Optional[str] = Field(default=None, max_length=MAX_TEXT)
    verify: Optional[str] = Field(default=None, max_length=1000)

    @model_validator(mode="before")
    @classmethod
    def _compose_from_registry(cls, data: Any, info: ValidationInfo) -> Any:
        registry = _registry(info)
        if registry is None or not isinstance(data, dict):
            return data
        written = [name for name in COMPOSED_ITEM_FIELDS if name in data]
        if written:
            raise ValueError(f"{'、'.join(written)} 由 cite / major_rule 生成，不得直接填写")
        if not data.get("cite"):
            raise ValueError("缺少 cite：依据必须引用来源登记表中的来源")
        return {**data, **_composed(data, registry)}

    @field_validator("text", "hazard", "requirement")
    @classmethod
    def _printable(cls, value: str, info: ValidationInfo) -> str:
        return _no_placeholder(value) if _registry(info) is not None else value

    def is_major_for(self, kinds: set[str] | frozenset[str] = frozenset(), failed: set[str] | frozenset[str] = frozenset()) -> bool:
        """Failing this item is a 重大事故隐患 for an enterprise of ``kinds`` with items ``failed``."""
        rule = self.major_rule
        if rule is None:
            return self.major  # snapshots made before the registry
        if self.major_label == FIRE_LABEL:
            return False  # 重大火灾隐患 is judged by the fire service (GB 35181), labelled apart
        if rule.only_for and not set(rule.only_for) & set(kinds):
            return False
        return set(rule.all_of) <= set(failed)

    @property
    def conditional(self) -> bool:
        return bool(self.major_rule and (self.major_rule.all_of or self.major_rule.only_for))


def _composed(data: dict, registry) -> dict:
    """basis / major / major_clause / major_label from the raw ``cite`` and ``major_rule``."""
    texts = []
    for cite in data.get("cite") or []:
        if isinstance(cite, dict) and registry.citation_problem(str(cite.get("source", "")), str(cite.get("article", "") or "")) is None:
            texts.append(registry.cite_text(cite["source"], str(cite.get("article", "") or "")))
    result: dict = {"basis": "；".join(texts) or "（依据无效）", "major": False, "major_clause": "", "major_label": ""}
    rule = data.get("major_rule")
    if isinstance(rule, dict) and rule.get("source") in registry.sources:
        source = registry.sources[rule["source"]]
        article = str(rule.get("article", "") or "")
        result["major_clause"] = source.cite_text(article)
        result["major_label"] = source.major_label
        unconditional = not rule.get("all_of") and not rule.get("only_for")
        result["major"] = bool(source.major_label and source.major_label != FIRE_LABEL and unconditional)
    return result


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

    @model_validator(mode="before")
    @classmethod
    def _sources_from_citations(cls, data: Any, info: ValidationInfo) -> Any:
        registry = _registry(info)
        if registry is None or not isinstance(data, dict):
            return data
        if "sources" in data:
            raise ValueError("sources 由各检查项的 cite 生成，不得直接填写")
        keys: dict[str, None] = {}
        for section in data.get("sections") or []:
            for item in (section.get("items") or []) if isinstance(section, dict) else []:
                for cite in (item.get("cite") or []) if isinstance(item, dict) else []:
                    if isinstance(cite, dict) and cite.get("source") in registry.sources:
                        keys[cite["source"]] = None
        return {**data, "sources": [registry.sources[key].display for key in keys]}

    @model_validator(mode="after")
    def _unique_item_ids(self) -> "Checklist":
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ValueError(f"检查项编号重复：{item.id}")
            seen.add(item.id)
        if len(seen) > MAX_ITEMS:
            raise ValueError(f"检查项过多（{len(seen)} 项，上限 {MAX_ITEMS}）")
        self._check_conditions()
        return self

    def _check_conditions(self) -> None:
        """Every item of a multi-condition article names the others, and they map to the same article."""
        by_id = {item.id: item for item in self.items}
        for item in self.items:
            rule = item.major_rule
            for other_id in rule.all_of if rule else []:
                other = by_id.get(other_id)
                if other is None or other_id == item.id:
                    raise ValueError(f"{item.id}: major_rule.all_of 中的 {other_id} 不是本检查表的其他检查项")
                theirs = other.major_rule
                if theirs is None or (theirs.source, theirs.article) != (rule.source, rule.article) \
                        or set(theirs.all_of) | {other_id} != set(rule.all_of) | {item.id}:
                    raise ValueError(f"{item.id} 与 {other_id} 是同一判定条款的并列条件，"
                                     f"两项的 major_rule（source、article、all_of）必须互相对应")

    @property
    def items(self) -> list[ChecklistItem]:
        return [item for section in self.sections for item in section.items]

    @property
    def sector_name(self) -> str:
        return SECTORS[self.sector]

    def suits(self, industry: str) -> bool:
        """Whether a new inspection of an enterprise registered under ``industry`` should offer this list."""
        return self.sector in suggested_sectors(industry)

    def item(self, item_id: str) -> ChecklistItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def major_count(self) -> int:
        return sum(item.major for item in self.items)
