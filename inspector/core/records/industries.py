"""Checklists and 重大 flags for an enterprise's registered industry (see :mod:`sectors` for the matching).

:func:`suggested_checklists` gives the loaded lists a new inspection should offer ticked; :func:`finding_level`
evaluates an item's conditional 重大 flag for the enterprise (kind by industry, all conditions failed).
"""

from __future__ import annotations

from typing import Iterable, Sequence

from inspector.core.records.checklist_model import Checklist, ChecklistItem
from inspector.core.records.sectors import (
    INDUSTRIES, INDUSTRY_SECTORS, SAMPLE_INDUSTRIES, Industry, enterprise_kinds, matching_industries, suggested_sectors,
)

__all__ = ["Industry", "INDUSTRIES", "INDUSTRY_SECTORS", "SAMPLE_INDUSTRIES", "matching_industries", "enterprise_kinds",
           "suggested_sectors", "suggested_checklists", "finding_level", "finding_defaults"]


def suggested_checklists(industry: str, checklists: Iterable[Checklist]) -> list[Checklist]:
    """The loaded checklists a new inspection of an enterprise of ``industry`` should offer ticked."""
    by_sector: dict[str, list[Checklist]] = {}
    for checklist in checklists:
        by_sector.setdefault(checklist.sector, []).append(checklist)
    return [checklist for sector in suggested_sectors(industry) for checklist in by_sector.get(sector, [])]


def finding_level(item: ChecklistItem, industry: str, failed: Sequence[str] | set[str] = ()) -> tuple[str, str]:
    """(``"major"``/``"general"``, 判定标准 clause) of a failed item for an enterprise of ``industry``,
    when the items ``failed`` (ids, the item itself included) have failed in the same inspection."""
    if item.is_major_for(enterprise_kinds(industry), set(failed) | {item.id}):
        return "major", item.major_clause
    return "general", ""


def finding_defaults(item: ChecklistItem, industry: str, failed: Sequence[str] | set[str] = ()) -> dict[str, object]:
    """The hazard fields a failed item fills in (as :func:`inspections.answer_item` does), for generated data."""
    level, clause = finding_level(item, industry, failed)
    return {"description": item.hazard, "level": level, "major_clause": clause, "requirement": item.requirement,
            "basis": item.basis}
