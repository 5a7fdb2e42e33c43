"""The printed 依据 of a hazard: its basis, printed once.

A major hazard's basis and its 判定标准 clause often name the same article in two spellings
("判定标准第十一条（三）" and "《工贸企业重大事故隐患判定标准》第十一条（三）"); the documents
print one 依据, never a second "重大事故隐患判定依据" copy. The clause is added to the basis
only when it cites an article the basis does not already cite. (Cleaning the citation strings
themselves -- statute with article, standard with number, year and clause -- belongs to the
checklists' source registry; this module only assembles what they give.)
"""

from __future__ import annotations

import re

_ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇\d]+条(?:第?[（(][一二三四五六七八九十\d]+[）)]项?)*")
_SEPARATORS = "；;"


def _bare(text: str) -> str:
    return (text or "").strip().rstrip("。，,;；.")


def _articles(text: str) -> set[str]:
    return {re.sub(r"[()（）项第]", "", match) for match in _ARTICLE.findall(text or "")}


def citation_text(basis: str, major_clause: str = "") -> str:
    """``basis`` plus ``major_clause`` when it cites something new, joined by "；" (no final stop)."""
    basis, clause = _bare(basis), _bare(major_clause)
    if not clause:
        return basis
    if not basis:
        return clause
    if clause in basis or basis in clause:
        return clause if len(clause) > len(basis) else basis
    clause_articles, basis_articles = _articles(clause), _articles(basis)
    if clause_articles and clause_articles == basis_articles and len(split_citations(basis)) == 1:
        return clause if len(clause) > len(basis) else basis  # one citation in two spellings
    if clause_articles and clause_articles <= basis_articles:
        return basis
    return f"{basis}；{clause}"


def split_citations(text: str) -> list[str]:
    """The single citations of a basis string (separated by "；")."""
    return [part.strip() for part in re.split(f"[{_SEPARATORS}]", text or "") if part.strip()]
