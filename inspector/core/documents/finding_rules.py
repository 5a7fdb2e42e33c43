"""How a stored finding becomes a printed hazard: the fact found, its matter, its on-site measure.

* **Fact found.** A checklist's hazard text may list alternatives ("正压除尘方式（或其他可燃性
  粉尘……）"); a document states one fact. :func:`alternatives` splits such a text and
  :func:`fact_found` prints the chosen one (the first, the checklist's main case, unless the
  inspector chose another or wrote their own description).
* **Matter.** :func:`matter_of` tells a fire-law finding (消防法, GB 35181, XF standards, 九小场所,
  a fire checklist) from a work-safety one, after ``competence.fire`` in ``documents.yaml``.
* **On-site measure.** Under 《安全生产法》第六十五条第一款第（三）项 a major hazard may need
  撤出作业人员 / 暂时停产停业 / 停止使用相关设施、设备: :func:`split_measure` takes those clauses
  (and the "方可恢复…" condition that goes with them) out of the 整改要求.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MEASURE_WORDS = ("停止使用", "停产停业", "暂时停产", "停止生产", "停止作业", "停止营业", "停业整顿",
                 "撤出作业人员", "撤出人员", "撤离人员", "撤人", "停用")
RESUME_WORDS = ("方可恢复",)
_CLAUSE = re.compile(r"[^，；。,;]+[，；。,;]?")


def _paren_end(text: str, start: int) -> int:
    """Index after the "）" closing the "（" at ``start`` (nesting respected), or -1."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "（":
            depth += 1
        elif text[index] == "）":
            depth -= 1
            if depth == 0:
                return index + 1
    return -1


def alternatives(text: str) -> list[str]:
    """``A（或B）（或C）`` → ``[A, B, C]``; a text without "（或" → ``[text]``."""
    text = (text or "").strip()
    main, others, index = [], [], 0
    while index < len(text):
        if text.startswith("（或", index):
            end = _paren_end(text, index)
            if end > 0:
                others.append(text[index + 2:end - 1].strip())
                index = end
                continue
        main.append(text[index])
        index += 1
    first = "".join(main).strip()
    return [first, *[o for o in others if o]] if others else [text]


def fact_found(description: str, chosen: int = 0) -> str:
    """The one fact a document prints for ``description`` (alternative ``chosen``, else the first)."""
    options = alternatives(description)
    return options[chosen] if 0 <= chosen < len(options) else options[0]


def matter_of(fire, *, sector: str = "", texts: tuple[str, ...] = ()) -> str:
    """``fire`` for a fire checklist's finding, or one citing the fire matter and none of the
    authority's own law (a hot-work finding under 《安全生产法》 and 《消防法》 stays ``safety``)."""
    if sector and sector in fire.sectors:
        return "fire"
    joined = " ".join(t for t in texts if t)
    if any(word in joined for word in fire.own_law):
        return "safety"
    return "fire" if any(word in joined for word in fire.keywords) else "safety"


@dataclass(frozen=True)
class SplitRequirement:
    requirement: str  # what the order keeps
    measure: str  # what the 现场处理措施决定书 decides


def split_measure(requirement: str) -> SplitRequirement:
    """Clauses naming an on-site measure (and the resume condition) go to ``measure``."""
    keep, measure = [], []
    for clause in _CLAUSE.findall(requirement or ""):
        bare = clause.strip().rstrip("，；。,;")
        if not bare:
            continue
        if any(word in bare for word in MEASURE_WORDS):
            measure.append(bare)
        elif measure and any(word in bare for word in RESUME_WORDS):
            measure.append(bare)
        else:
            keep.append(bare)
    if not measure:
        return SplitRequirement((requirement or "").strip(), "")
    return SplitRequirement("，".join(keep), "，".join(measure))
