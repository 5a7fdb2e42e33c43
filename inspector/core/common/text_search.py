"""Search helpers for Chinese names: pinyin initials ("兴国冷链" -> "xgll")."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def initials(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: [c for c in chars if c.isalnum()])
    return "".join(letters).lower()


def matches(query: str, *fields: str) -> bool:
    """True when ``query`` is part of any field or of a field's pinyin initials."""
    query = query.strip().lower()
    if not query:
        return True
    return any(query in field.lower() or query in initials(field) for field in fields if field)
