"""Story pieces shared by all kinds: headings, hazard items, signatures, photo appendix."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, PageBreak, Paragraph, Spacer

from .blocks import (
    EmptyPhoto, PhotoCell, PhotoFlowable, SignatureRow, TitleFlowable, image_reader, photo_box, photo_grid,
)
from .config import DocumentConfig
from .fonts import FontSet
from .layout import LEADING, RED, SMALL_SIZE, TITLE_SIZE, Styles
from .model import DocumentData, HazardEntry, PhotoEntry
from .text import format_date

_END_PUNCTUATION = "。！？；：”）」…"


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
    text = text.strip().rstrip("，,;.")
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

def hazard_head(ctx: Ctx, hazard: HazardEntry, *, basis_style: str = "plain") -> str:
    """``1．【重大事故隐患】部位：现象。依据…。判定依据…。`` as markup."""
    parts = [f"{hazard.no}．"]
    if hazard.is_major:
        parts.append(ctx.marker(ctx.config.labels.major_marker))
    what = bare(hazard.description)
    if hazard.location.strip():
        what = f"{bare(hazard.location)}：{what}"
    parts.append(ctx.m(sentence(what)))
    if hazard.basis.strip():
        basis = bare(hazard.basis)
        parts.append(ctx.m(f"【依据：{basis}】" if basis_style == "bracket" else f"依据：{basis}。"))
    if hazard.is_major and hazard.major_clause.strip():
        parts.append(ctx.m(f"重大事故隐患判定依据：{bare(hazard.major_clause)}。"))
    return "".join(parts)


def requirement_text(hazard: HazardEntry) -> str:
    return f"整改要求：{bare(hazard.requirement)}。" if hazard.requirement.strip() else ""


def deadline_text(hazard: HazardEntry, label: str = "整改完成时限") -> str:
    return f"{label}：{format_date(hazard.deadline)}前。"


# --- signatures -----------------------------------------------------------------------

def officer_rows(ctx: Ctx, label: str, *, with_certificate: bool = True) -> list[SignatureRow]:
    """Two rows at least, one per inspector: blank to sign, printed 证号."""
    inspectors = list(ctx.data.inspectors) or []
    count = max(2, len(inspectors))
    rows: list[SignatureRow] = []
    for index in range(count):
        cert = inspectors[index].certificate_no if index < len(inspectors) else ""
        note = ctx.m(f"证号：{cert}") if with_certificate else ""
        rows.append(SignatureRow(label if index == 0 else "", note))
    return rows


# --- photos ---------------------------------------------------------------------------

def hazard_photo_cells(ctx: Ctx) -> list[PhotoCell]:
    width, height = photo_box(ctx.config.layout.photos_per_row)
    cells: list[PhotoCell] = []
    for hazard in ctx.data.hazards:
        for index, photo in enumerate(hazard.photos, start=1):
            label = f"隐患{hazard.no}-照片{index}"
            reader = image_reader(photo.jpeg, f"{label}的照片")
            caption = f"{label}：{photo.caption.strip()}" if photo.caption.strip() else label
            cells.append(PhotoCell(PhotoFlowable(reader, width, height), caption))
    return cells


def review_photo_cells(ctx: Ctx) -> list[PhotoCell]:
    """Before / after pairs, one pair per row."""
    width, height = photo_box(2)
    cells: list[PhotoCell] = []
    for item in ctx.data.review_items:
        for stage, photo in (("整改前", item.before), ("整改后", item.after)):
            cells.append(_pair_cell(ctx, f"隐患{item.hazard_no} {stage}", photo, width, height))
    return cells


def _pair_cell(ctx: Ctx, label: str, photo: PhotoEntry | None, width: float, height: float) -> PhotoCell:
    if photo is None:
        return PhotoCell(EmptyPhoto(ctx.fonts.body.name, "（无照片）", width, height), label)
    reader = image_reader(photo.jpeg, f"{label}的照片")
    caption = f"{label}：{photo.caption.strip()}" if photo.caption.strip() else label
    return PhotoCell(PhotoFlowable(reader, width, height), caption)


def attachment_note(ctx: Ctx, title: str, count: int, unit: str = "张") -> Paragraph:
    """附件说明 under the body text: ``附件：隐患照片（6张）``."""
    return ctx.para(ctx.m(f"附件：{title}（{count}{unit}）"))


def appendix(ctx: Ctx, title: str, cells: list[PhotoCell], per_row: int) -> list[Flowable]:
    """New page: ``附件`` (黑体, flush left), centered title, photo grid."""
    if not cells:
        return []
    return [
        PageBreak(),
        ctx.para(f"附件：{ctx.m(title)}", "heading"),
        Spacer(1, LEADING / 3),
        photo_grid(ctx.styles, ctx.fonts, cells, per_row),
    ]


def keep_with_closing(story: list[Flowable], closing: list[Flowable], keep: int) -> None:
    """Append ``closing`` (signatures, seal, date) kept on one page with the last ``keep``
    body flowables, so that the signature block never stands alone on a page."""
    tail = story[-keep:] if keep else []
    del story[len(story) - len(tail):]
    story.append(KeepTogether(tail + closing))
