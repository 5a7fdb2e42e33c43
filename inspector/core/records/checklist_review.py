"""What legal staff must still confirm, and which 判定标准 articles the checklists reach.

:func:`review_entries` lists every registry source and checklist item still marked 【记】 (from
memory, not found in the reference pack), citations whose article numbers are pending, and
standards cited without a clause. :func:`coverage` maps each article (and numbered item) of the
判定标准 outline to the checklist items whose ``major_rule`` points at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from inspector.core.records.checklist_model import Checklist, _split_article
from inspector.core.records.checklist_sources import Registry

#: The 判定标准 (应急管理部令第10号) and the articles every bundled checklist set must reach.
JUDGING_STANDARD = "mem-10"
COVERED_ARTICLES = ("第三条", "第四条", "第五条", "第六条", "第七条", "第八条", "第九条", "第十条",
                    "第十一条", "第十二条", "第十三条")


@dataclass(frozen=True)
class ReviewEntry:
    kind: str  # 来源 / 条文目录 / 检查项 / 条号待补充 / 未注明条款
    where: str  # registry key, or checklist-id/item-id
    subject: str  # what it is (source name, item basis)
    confidence: str
    why: str

    def as_json(self) -> dict:
        return {"kind": self.kind, "where": self.where, "subject": self.subject, "confidence": self.confidence,
                "why": self.why}


def review_entries(registry: Registry, checklists: list[Checklist]) -> list[ReviewEntry]:
    entries = [*_source_entries(registry)]
    for checklist in checklists:
        entries.extend(_item_entries(registry, checklist))
    return entries


def _source_entries(registry: Registry):
    for key, source in registry.sources.items():
        if source.confidence != "【源】" or source.pending_articles or source.review:
            why = "；".join(filter(None, [source.review, source.pending_articles]))
            yield ReviewEntry("来源", key, source.display, source.confidence, why)
        for article, entry in source.outline.items():
            if entry.confidence != "【源】":
                why = ("判定标准条文凭记忆整理，资料包未收录原文，项号和措辞须核对" if entry.confidence == "【记】"
                       else "部分项的条文凭记忆补全（资料包只检索到前半部分），须核对")
                yield ReviewEntry("条文目录", f"{key} {article}", f"{source.display}{article}（{entry.title}）",
                                  entry.confidence, why)


def _item_entries(registry: Registry, checklist: Checklist):
    for item in checklist.items:
        where = f"{checklist.id}/{item.id}"
        if item.verify and "【记" in item.verify:
            confidence = "【记】" if "【记】" in item.verify else "【记·高】"
            yield ReviewEntry("检查项", where, item.basis, confidence, item.verify)
        for cite in item.cite:
            source = registry.sources.get(cite.source)
            if source is None or cite.article:
                continue
            if source.pending_articles:
                yield ReviewEntry("条号待补充", where, source.display, source.confidence, source.pending_articles)
            elif source.articles == "clauses":
                yield ReviewEntry("未注明条款", where, source.display, source.confidence,
                                  "整体引用标准，未注明条款号，须补充具体条款")


@dataclass
class CoverageRow:
    article: str
    item: str  # "（一）" or "" for the article as a whole
    text: str
    confidence: str
    items: list[str] = field(default_factory=list)  # "checklist-id/item-id"

    @property
    def label(self) -> str:
        return f"{self.article}{self.item}"

    def as_json(self) -> dict:
        return {"article": self.label, "text": self.text, "confidence": self.confidence, "items": self.items}


def coverage(registry: Registry, checklists: list[Checklist], source_key: str = JUDGING_STANDARD) -> list[CoverageRow]:
    """One row per outlined article item (or per article without items) of the judging standard."""
    source = registry.sources[source_key]
    rows: dict[tuple[str, str], CoverageRow] = {}
    for article, entry in source.outline.items():
        if not entry.items:
            rows[(article, "")] = CoverageRow(article, "", entry.title, entry.confidence)
        for number, text in entry.items.items():
            rows[(article, number)] = CoverageRow(article, number, text, entry.confidence)
    for checklist in checklists:
        for item in checklist.items:
            rule = item.major_rule
            if rule is None or rule.source != source_key:
                continue
            article, number = _split_article(rule.article)
            row = rows.get((article, number)) or rows.get((article, ""))
            if row is not None:
                row.items.append(f"{checklist.id}/{item.id}")
    return list(rows.values())


def uncovered_articles(rows: list[CoverageRow], articles=COVERED_ARTICLES) -> list[str]:
    """Articles of ``articles`` that no item reaches, then outlined items no item reaches."""
    reached = {row.article for row in rows if row.items}
    missing = [article for article in articles if article not in reached]
    missing += [row.label for row in rows if row.article in articles and row.item and not row.items]
    return missing
