"""Chinese line breaking (禁则) for ReportLab paragraphs.

ReportLab's CJK wrapper cuts "like a knife" and only hangs one closing mark at the line end;
it never keeps an opening bracket off the line end and lets a second closing mark (``）。``)
start the next line. The rules applied here:

* a line never starts with a closing or pausing mark (``。，、；：？！）」』】〕》”’…``);
* a line never ends with an opening mark (``（「『【〔《“‘``);
* one closing mark may hang into the margin when the next character can start a line,
  otherwise the break moves back until both rules hold;
* a run of ASCII letters and digits ("2026", "15577") is not cut (up to 12 characters).

:func:`line_ends` is the rule; :func:`installed` swaps it into ReportLab's two wrapping
paths (single-font ``dumbSplit`` and multi-font ``cjkFragSplit``) for one build.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Sequence

CANNOT_START = "。，、；：？！）」』】〕》〉”’…．%·—,.;:!?)]}"
CANNOT_END = "（「『【〔《〈“‘([{"
_FUZZ = 1e-6


def line_ends(chars: Sequence[str], widths: Sequence[float], max_widths: Sequence[float],
              forced: frozenset[int] = frozenset()) -> list[int]:
    """End index (exclusive) of each line; ``forced`` holds indexes that end a line (``<br/>``)."""
    ends: list[int] = []
    start = index = 0
    used = 0.0
    count = len(chars)
    while index < count:
        limit = max_widths[min(len(ends), len(max_widths) - 1)]
        used += widths[index]
        if used > limit + _FUZZ and index > start:
            end = _break_before(chars, start, index)
            ends.append(end)
            start = index = end
            used = 0.0
            continue
        if index in forced:
            ends.append(index + 1)
            start = index + 1
            used = 0.0
        index += 1
    if start < count:
        ends.append(count)
    return ends


def _break_before(chars: Sequence[str], start: int, overflow: int) -> int:
    """Where the line that overflows at ``overflow`` ends (the next line starts there)."""
    count = len(chars)
    if (chars[overflow] in CANNOT_START and chars[overflow - 1] not in CANNOT_END
            and (overflow + 1 >= count or chars[overflow + 1] not in CANNOT_START)):
        return overflow + 1  # hang one closing mark
    end = overflow
    while end > start + 1 and (chars[end] in CANNOT_START or chars[end - 1] in CANNOT_END):
        end -= 1
    word = end
    while word > start + 1 and word > overflow - 12 and _in_word(chars[word - 1]) and _in_word(chars[word]):
        word -= 1  # keep a number or a Latin word ("2026", "GB") whole
    at_boundary = not (_in_word(chars[word - 1]) and _in_word(chars[word]))
    if word < end and at_boundary and chars[word - 1] not in CANNOT_END and chars[word] not in CANNOT_START:
        return word
    return end


def _in_word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in ".-")


def _dumb_split(word: str, widths: Sequence[float], max_widths) -> list[list]:
    if not isinstance(max_widths, (list, tuple)):
        max_widths = [max_widths]
    lines, start = [], 0
    for number, end in enumerate(line_ends(word, widths, max_widths)):
        limit = max_widths[min(number, len(max_widths) - 1)]
        lines.append([limit - sum(widths[start:end]), word[start:end]])
        start = end
    return lines


def _cjk_frag_split(frags, max_widths, calc_bounds, encoding="utf8"):
    from reportlab.lib.utils import isBytes
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

    units = []
    for frag in frags:
        text = frag.text.decode(encoding) if isBytes(frag.text) else frag.text
        units.extend([cjkU(t, frag, encoding) for t in text] if text else [cjkU(text, frag, encoding)])
    widths = []
    for unit in units:
        width = unit.width
        if hasattr(width, "normalizedValue"):
            width._normalizer = max_widths[0]
            width = width.normalizedValue(max_widths[0])
        widths.append(width)
    forced = frozenset(i for i, unit in enumerate(units) if hasattr(unit.frag, "lineBreak"))
    lines, start = [], 0
    ends = line_ends([str(u) for u in units], widths, list(max_widths), forced)
    for number, end in enumerate(ends):
        limit = max_widths[min(number, len(max_widths) - 1)]
        used = sum(widths[start:end])
        is_break = end - 1 in forced
        if used > 0 or is_break or end < len(units):
            lines.append(makeCJKParaLine(units[start:end], limit, used, limit - used, is_break, calc_bounds))
        start = end
    return ParaLines(kind=1, lines=lines)


@contextmanager
def installed() -> Iterator[None]:
    """Use :func:`line_ends` for every CJK paragraph built inside the block (not thread-safe)."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    saved = textsplit.dumbSplit, paragraph.cjkFragSplit
    textsplit.dumbSplit, paragraph.cjkFragSplit = _dumb_split, _cjk_frag_split
    try:
        yield
    finally:
        textsplit.dumbSplit, paragraph.cjkFragSplit = saved
