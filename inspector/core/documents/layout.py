"""Page geometry after GB/T 9704, paragraph styles, the page decorations and the PDF build.

A4; margins top 37 mm, bottom 35, left 28, right 26 (版心 156 x 225 mm); body 3号
(16 pt) with 28.9 pt fixed leading (22 lines a page); title 2号 (22 pt).  Page
decorations (one page number "— 1 —", the appendix header, QR code, draft watermark) are drawn when the
document is saved, once the page count is known (deferred-canvas pattern, one pass).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, Sequence

from reportlab.lib.colors import Color, black
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from .fonts import FontSet
from .payload import draw_qr, make_info_class

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = 37 * mm
MARGIN_BOTTOM = 35 * mm
MARGIN_LEFT = 28 * mm
MARGIN_RIGHT = 26 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm

TITLE_SIZE = 22  # 二号
BODY_SIZE = 16  # 三号
SMALL_SIZE = 14  # 四号
CAPTION_SIZE = 12  # 小四
LEADING = 28.9  # fixed leading that fits 22 lines into 225 mm
CHAR = BODY_SIZE  # GB/T 9704 "字": one body character
PAGE_NUMBER_GAP = 7 * mm  # dash line 7 mm below the type area
RED = Color(0.8, 0.0, 0.0)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle  # first line indented two characters, wraps flush left
    flush: ParagraphStyle  # addressee line and continuation text: no indent
    center: ParagraphStyle
    small: ParagraphStyle  # 四号, for forms' signature and footnote lines
    caption: ParagraphStyle
    heading: ParagraphStyle  # 黑体 三号 ("附件")
    marker_font: str  # font name for the 重大 marker (heading font)


def make_styles(fonts: FontSet) -> Styles:
    body = ParagraphStyle(
        "body", fontName=fonts.body.name, fontSize=BODY_SIZE, leading=LEADING,
        firstLineIndent=2 * CHAR, alignment=TA_JUSTIFY, wordWrap="CJK",
        allowWidows=0,  # a paragraph never leaves its last line alone at the top of a page
    )
    flush = ParagraphStyle("flush", parent=body, firstLineIndent=0, alignment=TA_LEFT)
    return Styles(
        body=body,
        flush=flush,
        center=ParagraphStyle("center", parent=flush, alignment=TA_CENTER),
        small=ParagraphStyle("small", parent=flush, fontSize=SMALL_SIZE, leading=22),
        caption=ParagraphStyle(
            "caption", parent=flush, fontSize=CAPTION_SIZE, leading=15, alignment=TA_CENTER,
        ),
        heading=ParagraphStyle("heading", parent=flush, fontName=fonts.heading.name),
        marker_font=fonts.heading.name,
    )


@dataclass(frozen=True)
class PageDecor:
    """What the deferred canvas draws on every page once the page count is known."""

    fonts: FontSet
    page_numbers: str  # "center" | "alternate"; one page number per page (GB/T 9704)
    qr_text: str | None
    qr_size: float
    qr_caption: str
    watermark: str | None  # drafts only
    appendix_header: str = ""  # printed atop every page from the appendix on (文号 + 附件)


@dataclass(frozen=True)
class PdfMeta:
    title: str
    author: str
    subject: str
    payload: str
    issued_on: date


def build_pdf(story: Sequence[Flowable], decor: PageDecor, meta: PdfMeta) -> bytes:
    """Lay out ``story`` on A4 pages and return the PDF bytes (invariant: deterministic)."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4,
        leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
        title=meta.title, author=meta.author, subject=meta.subject, keywords=meta.payload,
        creator="Inspector", invariant=1, initialFontName=decor.fonts.body.name, initialFontSize=BODY_SIZE,
    )
    frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    maker = partial(_DeferredCanvas, decor=decor, info_class=make_info_class(meta.payload, meta.issued_on))
    doc.build(list(story), canvasmaker=maker)
    return buffer.getvalue()


class _DeferredCanvas(Canvas):
    """Keeps each finished page's state and draws the decorations at save time."""

    def __init__(self, *args: Any, decor: PageDecor, info_class: type, **kwargs: Any):
        super().__init__(*args, **kwargs)
        info = info_class()
        info.__dict__.update(self._doc.info.__dict__)
        self._doc.info = info
        self._decor = decor
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab API)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            setattr(self, APPENDIX_FLAG, state.get(APPENDIX_FLAG, False))
            decorate_page(self, self._decor, number, total)
            Canvas.showPage(self)
        Canvas.save(self)


def decorate_page(canvas: Canvas, decor: PageDecor, number: int, total: int) -> None:
    canvas.saveState()
    baseline = MARGIN_BOTTOM - PAGE_NUMBER_GAP - SMALL_SIZE * 0.8
    _draw_page_number(canvas, decor, number, baseline)
    if decor.appendix_header and getattr(canvas, APPENDIX_FLAG, False):
        _draw_appendix_header(canvas, decor)
    if number == 1 and decor.qr_text:
        _draw_qr_block(canvas, decor)
    if decor.watermark:
        _draw_watermark(canvas, decor)
    canvas.restoreState()


def _draw_page_number(canvas: Canvas, decor: PageDecor, number: int, baseline: float) -> str:
    canvas.setFont(decor.fonts.page_number.name, SMALL_SIZE)
    text = f"\u2014 {number} \u2014"
    if decor.page_numbers == "center":
        canvas.drawCentredString(PAGE_WIDTH / 2, baseline, text)
        return "center"
    if number % 2:  # odd page: right, one character in
        canvas.drawRightString(PAGE_WIDTH - MARGIN_RIGHT - SMALL_SIZE, baseline, text)
        return "right"
    canvas.drawString(MARGIN_LEFT + SMALL_SIZE, baseline, text)
    return "left"


APPENDIX_FLAG = "_inspector_appendix"


class AppendixStart(Flowable):
    """Zero-size marker: this page and every later one carry the appendix header."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        setattr(self.canv, APPENDIX_FLAG, True)


def _draw_appendix_header(canvas: Canvas, decor: PageDecor) -> None:
    """文号 at the top of each appendix page, right-aligned above the type area."""
    canvas.setFillColor(black)
    canvas.setFont(decor.fonts.body.name, CAPTION_SIZE)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, PAGE_HEIGHT - MARGIN_TOP + 12, decor.appendix_header)


def _draw_qr_block(canvas: Canvas, decor: PageDecor) -> None:
    size = decor.qr_size
    x = PAGE_WIDTH - MARGIN_RIGHT - size
    y = PAGE_HEIGHT - 8 * mm - size
    draw_qr(canvas, decor.qr_text, x, y, size)
    canvas.setFillColor(black)
    canvas.setFont(decor.fonts.heading.name, 7)
    canvas.drawCentredString(x + size / 2, y - 9, decor.qr_caption)


def _draw_watermark(canvas: Canvas, decor: PageDecor) -> None:
    canvas.setFillColor(black)
    canvas.setFillAlpha(0.10)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(40)
    canvas.setFont(decor.fonts.heading.name, 110)
    canvas.drawCentredString(0, -40, decor.watermark)
