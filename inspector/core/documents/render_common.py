"""Story pieces shared by all kinds: headings, hazard items, signatures, photo appendix."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, PageBreak, Paragraph, Spacer

from .blocks import (
    EmptyPhoto, PhotoCell, PhotoFlowable, SignatureRow, TitleFlowable, image_reader, photo_box, photo_grid,
)
from .config import DocumentConfig
from .fonts import FontSet
from .citations import citation_text
from .layout import LEADING, RED, SMALL_SIZE, TITLE_SIZE, AppendixStart, Styles
from .model import DocumentData, HazardEntry, PhotoEntry
from .text import format_date, format_datetime

_END_PUNCTUATION = "。！？…"


@dataclass(frozen=True)
class Ctx:
    """Everything a story builder needs."""

    data: DocumentData
    config: DocumentConfig
    fonts: FontSet
    styles: Styles

    def m(self, text: str) -> str:
        """User text as Paragraph markup (escaped, glyph fallback)."""
        return self.fonts.markup(text)

    def para(self, markup: str, style: str = "body") -> Paragraph:
        return Paragraph(markup, getattr(self.styles, style))

    def marker(self, text: str) -> str:
        return f'<font name="{self.styles.marker_font}">{self.m(text)}</font>'

    @property
    def number_text(self) -> str:
        return self.data.number or self.config.numbering.draft_label


def sentence(text: str) -> str:
    """``text`` ending in a full stop (unless it already ends in closing punctuation)."""
    text = text.strip().rstrip("，,;；:：.、")
    if text.endswith("”") and len(text) > 1 and text[-2] in _END_PUNCTUATION:
        return text
    return text if not text or text[-1] in _END_PUNCTUATION else text + "。"


def bare(text: str) -> str:
    return text.strip().rstrip("。，,;；.")


# --- headings -------------------------------------------------------------------------

def heading_enforcement(ctx: Ctx) -> list[Flowable]:
    """Family A: optional small header line, title, number line."""
    out: list[Flowable] = []
    header = ctx.config.authority.header_line
    if header:
        out.append(Paragraph(ctx.m(header), _centered_heading(ctx, SMALL_SIZE)))
        out.append(Spacer(1, 4))
    out.append(_title(ctx, ctx.config.title(ctx.data.kind)))
    out.append(ctx.para(ctx.m(ctx.number_text), "center"))
    out.append(Spacer(1, LEADING / 2))
    return out


def heading_park(ctx: Ctx) -> list[Flowable]:
    """Family B (GB/T 9704 版头): red issuer name, number, red rule, then the title."""
    park = ctx.config.park
    color = RED if park.red_header else black
    out: list[Flowable] = [
        TitleFlowable(park.committee, ctx.fonts.title.name, TITLE_SIZE, fake_bold=True,
                      color=color, leading=TITLE_SIZE * 1.4),
        TitleFlowable(park.office, ctx.fonts.title.name, 18, fake_bold=True, color=color, leading=18 * 1.6),
        ctx.para(ctx.m(ctx.number_text), "center"),
        HRFlowable(width="100%", thickness=1.6, color=color, spaceBefore=2, spaceAfter=LEADING * 0.8),
        _title(ctx, ctx.config.title(ctx.data.kind)),
        Spacer(1, LEADING / 3),
    ]
    return out


def _title(ctx: Ctx, text: str) -> TitleFlowable:
    return TitleFlowable(text, ctx.fonts.title.name, TITLE_SIZE, fake_bold=ctx.fonts.title_fake_bold,
                         leading=TITLE_SIZE * 1.6)


def _centered_heading(ctx: Ctx, size: float) -> ParagraphStyle:
    return ParagraphStyle("header-line", parent=ctx.styles.center, fontName=ctx.fonts.heading.name,
                          fontSize=size, leading=size * 1.5)


def addressee(ctx: Ctx) -> Paragraph:
    return ctx.para(ctx.m(ctx.data.enterprise.name) + "：", "flush")


# --- hazards --------------------------------------------------------------------------

def major_marker(ctx: Ctx, hazard: HazardEntry) -> str:
    """【重大事故隐患】, or 【重大火灾隐患】 for a fire-law hazard (GB 35181)."""
    if not hazard.is_major:
        return ""
    return ctx.config.competence.fire.major_label if hazard.is_fire else ctx.config.labels.major_marker


def hazard_head(ctx: Ctx, hazard: HazardEntry, *, basis_style: str = "plain", with_basis: bool = True) -> str:
    """``1．【重大事故隐患】部位：查见的事实。依据：…。`` as markup; the basis is printed once."""
    parts = [f"{hazard.no}．"]
    if hazard.is_major:
        parts.append(ctx.marker(major_marker(ctx, hazard)))
    what = bare(hazard.description)
    if hazard.location.strip():
        what = f"{bare(hazard.location)}：{what}"
    parts.append(ctx.m(sentence(what)))
    basis = citation_text(hazard.basis, hazard.major_clause if hazard.is_major else "") if with_basis else ""
    if basis:
        parts.append(ctx.m(f"【依据：{basis}】" if basis_style == "bracket" else f"依据：{basis}。"))
    return "".join(parts)


def requirement_text(hazard: HazardEntry, *, measure_reference: str = "") -> str:
    """整改要求; a hazard with an on-site measure refers to the separate decision instead."""
    parts = [bare(hazard.requirement)] if hazard.requirement.strip() else []
    if hazard.measure.strip() and measure_reference:
        parts.append(bare(measure_reference))
    return f"整改要求：{'；'.join(parts)}。" if parts else ""


def deadline_text(hazard: HazardEntry, label: str = "整改完成时限") -> str:
    if hazard.immediate:
        return f"{label}：立即整改。"
    return f"{label}：{format_date(hazard.deadline)}前。"


# --- signatures -----------------------------------------------------------------------

def officer_rows(ctx: Ctx, label: str, *, with_certificate: bool = True) -> list[SignatureRow]:
    """Two rows at least, one per inspector: blank to sign, the officer's printed name and 证号 beside it."""
    inspectors = list(ctx.data.inspectors) or []
    count = max(2, len(inspectors))
    rows: list[SignatureRow] = []
    for index in range(count):
        name = inspectors[index].name.strip() if index < len(inspectors) else ""
        cert = inspectors[index].certificate_no if index < len(inspectors) else ""
        note = ctx.m(f"证号：{cert}") if with_certificate else ""
        rows.append(SignatureRow(label if index == 0 else "", note, ctx.m(name)))
    return rows


# --- photos ---------------------------------------------------------------------------

_INTERNAL_CODE = re.compile(r"^\s*[A-Za-z]{1,6}-?\d{1,4}\b\s*")
_GENERIC_CAPTIONS = {"", "现场照片", "照片", "隐患照片"}


def photo_remark(caption: str) -> str:
    """The inspector's own words on a photo; internal item codes ("FC-03 现场照片") are dropped."""
    text = _INTERNAL_CODE.sub("", caption or "").strip()
    return "" if text in _GENERIC_CAPTIONS else text


def photo_caption(hazard_no: int, index: int, photo: PhotoEntry, place: str, stage: str = "") -> str:
    """``第1项隐患 照片1 2026年3月12日15时16分 粉料投料间`` (+ the inspector's remark)."""
    head = f"第{hazard_no}项隐患{stage}\u3000照片{index}" if index else f"第{hazard_no}项隐患{stage}"
    lines = [f"{head}\u3000{bare(place)}" if place.strip() else head]
    if photo.taken_at is not None:
        lines.append(f"拍摄时间：{format_datetime(photo.taken_at)}")
    remark = photo_remark(photo.caption)
    return "\n".join(lines + ([remark] if remark else []))


def hazard_photo_cells(ctx: Ctx, hazards: tuple[HazardEntry, ...] | None = None) -> list[PhotoCell]:
    width, height = photo_box(ctx.config.layout.photos_per_row)
    cells: list[PhotoCell] = []
    for hazard in ctx.data.hazards if hazards is None else hazards:
        for index, photo in enumerate(hazard.photos, start=1):
            reader = image_reader(photo.jpeg, f"第{hazard.no}项隐患照片{index}", photo.sha256)
            number = index if len(hazard.photos) > 1 else 0
            cells.append(PhotoCell(PhotoFlowable(reader, width, height),
                                   photo_caption(hazard.no, number, photo, hazard.location)))
    return cells


def review_photo_cells(ctx: Ctx) -> list[PhotoCell]:
    """Before / after pairs, one pair per row."""
    width, height = photo_box(2)
    cells: list[PhotoCell] = []
    for item in ctx.data.review_items:
        place = ctx.data.hazard(item.hazard_no).location
        for stage, photo in (("整改前", item.before), ("整改后", item.after)):
            cells.append(_pair_cell(ctx, item.hazard_no, stage, photo, place, width, height))
    return cells


def _pair_cell(ctx: Ctx, no: int, stage: str, photo: PhotoEntry | None, place: str,
               width: float, height: float) -> PhotoCell:
    if photo is None:
        return PhotoCell(EmptyPhoto(ctx.fonts.body.name, "（无照片）", width, height), f"第{no}项隐患{stage}")
    reader = image_reader(photo.jpeg, f"第{no}项隐患{stage}照片", photo.sha256)
    return PhotoCell(PhotoFlowable(reader, width, height), photo_caption(no, 0, photo, place, f"（{stage}）"))


def attachment_note(ctx: Ctx, title: str, count: int, unit: str = "张") -> Paragraph:
    """附件说明 under the body text: ``附件：隐患照片（6张）``."""
    return ctx.para(ctx.m(f"附件：{title}（{count}{unit}）"))


def appendix(ctx: Ctx, title: str, cells: list[PhotoCell], per_row: int) -> list[Flowable]:
    """New page: ``附件`` (黑体, flush left), then the photos, balanced over the pages so that no
    page holds a single photo while the one before could have given it a second.

    Every appendix page carries the document's number at its top (``AppendixStart``)."""
    if not cells:
        return []
    heading = ctx.para(f"附件：{ctx.m(title)}", "heading")
    out: list[Flowable] = [PageBreak(), AppendixStart(), heading, Spacer(1, LEADING / 3)]
    pages = photo_pages(ctx, cells, per_row, heading)
    for number, page in enumerate(pages):
        if number:
            out.append(PageBreak())
        out.append(photo_grid(ctx.styles, ctx.fonts, page, per_row))
    return out


def photo_pages(ctx: Ctx, cells: list[PhotoCell], per_row: int, heading: Flowable) -> list[list[PhotoCell]]:
    """Cells per page: rows packed by their measured heights, then the last page given a second
    photo (one row moved over) rather than left holding a single one."""
    from .layout import FRAME_HEIGHT, FRAME_WIDTH

    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    heights = [photo_grid(ctx.styles, ctx.fonts, row, per_row).wrap(FRAME_WIDTH, FRAME_HEIGHT)[1] for row in rows]
    room = FRAME_HEIGHT - heading.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1] - LEADING / 3 - 2
    pages: list[list[list[PhotoCell]]] = [[]]
    for row, height in zip(rows, heights):
        if pages[-1] and height > room:
            pages.append([])
            room = FRAME_HEIGHT - 2
        pages[-1].append(row)
        room -= height
    last = pages[-1]
    if len(pages) > 1 and sum(len(r) for r in last) == 1 and len(pages[-2]) > 1:
        last.insert(0, pages[-2].pop())  # fits: the moved row is no taller than the one it joins
    return [[cell for row in page for cell in row] for page in pages]


def keep_with_closing(story: list[Flowable], closing: list[Flowable], keep: int, fixed: int = 0,
                      lines: int = 2) -> None:
    """Append ``closing`` (signatures, seal, date) so that it always shares its page with body text:
    the last ``fixed`` flowables (remedy clause, 附件 note) go over whole with it, and with them at
    least ``lines`` lines of the ``keep - fixed`` flowables before. So no page holds only the
    signatures, nor only the remedy clause and the signatures."""
    tail = story[-keep:] if keep else []
    del story[len(story) - len(tail):]
    cut = len(tail) - fixed
    story.append(KeepTail(tail[:cut], tail[cut:] + closing, lines))


class KeepTail(KeepTogether):
    """Text followed by a block that must not be separated from the text's last ``lines`` lines."""

    def __init__(self, text: list[Flowable], closing: list[Flowable], lines: int):
        super().__init__(text + closing)
        self._text, self._closing, self._lines = list(text), list(closing), lines

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        if self._H <= avail_height or not self._text:
            return super().split(avail_width, avail_height)
        heights = [f.wrap(avail_width, avail_height)[1] for f in self._text]
        need, tail, j = self._lines * LEADING - 1, 0.0, len(self._text) - 1
        while j > 0 and tail + heights[j] < need:
            tail += heights[j]
            j -= 1
        used, first = 0.0, []
        for index in range(j):
            if used + heights[index] > avail_height:
                return super().split(avail_width, avail_height)
            first.append(self._text[index])
            used += heights[index]
        room = min(avail_height - used, heights[j] - (need - tail))
        parts = self._text[j].split(avail_width, room) if room >= LEADING else []
        carry = self._text[j:] if len(parts) != 2 else [parts[1], *self._text[j + 1:]]
        if len(parts) == 2:
            first.append(parts[0])
        if not first:
            return super().split(avail_width, avail_height)
        return [*first, KeepTogether(carry + self._closing)]
