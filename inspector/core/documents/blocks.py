"""Reusable pieces of the documents: title, field lines, signature rows, seal area, photos."""

from __future__ import annotations

import re

import hashlib
import io
from dataclasses import dataclass
from typing import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, black
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Spacer, Table, TableStyle

from inspector.errors import UserError

from .fonts import FontSet
from .layout import CAPTION_SIZE, CHAR, FRAME_WIDTH, LEADING, SMALL_SIZE, Styles

GRAY = Color(0.55, 0.55, 0.55)


class TitleFlowable(Flowable):
    """Centered title lines; "fake bold" strokes the glyph outlines (小标宋-like)."""

    def __init__(self, text: str, font: str, size: float, *, fake_bold: bool,
                 color: Color = black, leading: float | None = None, space_after: float = 0):
        super().__init__()
        self.text, self.font, self.size, self.fake_bold, self.color = text, font, size, fake_bold, color
        self.leading = leading or size * 1.45
        self.space_after = space_after
        self._lines: list[str] = [text]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._lines = _split_to_width(self.text, self.font, self.size, avail_width)
        self.width = avail_width
        self.height = len(self._lines) * self.leading + self.space_after
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()  # q/Q also restores the text render mode
        canvas.setFillColor(self.color)
        canvas.setStrokeColor(self.color)
        canvas.setLineWidth(self.size * 0.035)
        for index, line in enumerate(self._lines):
            baseline = self.height - self.space_after - (index + 1) * self.leading + (self.leading - self.size) / 2 + 0.15 * self.size
            text = canvas.beginText()
            text.setFont(self.font, self.size)
            text.setTextRenderMode(2 if self.fake_bold else 0)
            width = stringWidth(line, self.font, self.size)
            text.setTextOrigin((self.width - width) / 2, baseline)
            text.textOut(line)
            text.setTextRenderMode(0)
            canvas.drawText(text)
        canvas.restoreState()


def _split_to_width(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for char in text:
        if current and stringWidth(current + char, font, size) > width:
            lines.append(current)
            current = ""
        current += char
    return lines + [current] if current else lines or [""]


def info_grid(styles: Styles, fonts: FontSet, rows: Sequence[Sequence[tuple[str, str]]]) -> Table:
    """A ruled form grid: each row holds one (label, value) pair spanning the width, or two.

    Labels may contain ``<br/>``; values are user text (escaped here).
    """
    label = ParagraphStyle("grid-label", parent=styles.small, alignment=TA_CENTER, leading=19)
    value = ParagraphStyle("grid-value", parent=styles.small, leading=19)
    widths = [8 * SMALL_SIZE + 10, 0, 4 * SMALL_SIZE + 10, 7 * SMALL_SIZE + 10]
    widths[1] = FRAME_WIDTH - sum(widths)
    data: list[list[object]] = []
    commands: list[tuple] = []
    for r, pairs in enumerate(rows):
        cells: list[object] = []
        for name, text in pairs:
            cells += [Paragraph(name, label), Paragraph(fonts.markup(text), value)]
        if len(pairs) == 1:
            cells += ["", ""]
            commands.append(("SPAN", (1, r), (3, r)))
        data.append(cells)
    table = Table(data, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),  # empty cells: no Helvetica
        ("GRID", (0, 0), (-1, -1), 0.6, black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        *commands,
    ]))
    return table


@dataclass(frozen=True)
class SignatureRow:
    label: str  # "" continues the previous label
    note: str = ""  # markup printed after the blank, e.g. "证号：3607…" or "联系电话："
    name: str = ""  # the signer's printed name, beside the blank (markup)


def signature_table(styles: Styles, rows: Sequence[SignatureRow], blank_width: float = 9 * SMALL_SIZE) -> Table:
    """Label, a blank line to sign on by hand, then a printed note (证号).

    A label too long for the label column gets a row of its own above its blanks.
    """
    style = ParagraphStyle("signature", parent=styles.small, leading=SMALL_SIZE * 1.25)

    def width(text: str) -> float:
        return stringWidth(text, style.fontName, style.fontSize)

    fitting = [width(r.label + "：") for r in rows if r.label and width(r.label + "：") <= FRAME_WIDTH * 0.45]
    label_width = max(fitting, default=FRAME_WIDTH * 0.3) + 4
    named = ParagraphStyle("signature-name", parent=style, alignment=TA_RIGHT)
    rows = [_place_name(r, label_width, width) for r in rows]
    notes = max((width(re.sub(r"<[^>]+>", "", r.note)) for r in rows if r.note), default=0.0)
    blank_width = max(6 * SMALL_SIZE, min(blank_width, FRAME_WIDTH - label_width - notes - 12))  # 证号 on one line
    note_width = FRAME_WIDTH - label_width - blank_width
    data: list[list[object]] = []
    commands: list[tuple] = []
    for row in rows:
        text = escape(row.label) + "：" if row.label else ""
        if text and width(text) + 4 > label_width:
            data.append([Paragraph(text, style), "", ""])  # long label: a row of its own
            commands.append(("SPAN", (0, len(data) - 1), (2, len(data) - 1)))
            text = ""
        first = Paragraph(text, style) if text else Paragraph(row.name + "\u3000" if row.name else "", named)
        data.append([first, "", Paragraph(row.note, style)])
        commands.append(("LINEBELOW", (1, len(data) - 1), (1, len(data) - 1), 0.6, black))
    table = Table(data, colWidths=[label_width, blank_width, note_width], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),  # empty cells: no Helvetica
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LEFTPADDING", (2, 0), (2, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 16), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        *commands,
    ]))
    return table


def _place_name(row: SignatureRow, label_width: float, width) -> SignatureRow:
    """A row with no label shows the name in the label column; otherwise before the note."""
    if row.name and row.label and width(row.label + "：") + 4 <= label_width:
        note = f"{row.name}\u3000{row.note}" if row.note else row.name
        return SignatureRow(row.label, note)
    return row  # a long label gets a row of its own; the name stays in the label column below it


def ruled_lines(styles: Styles, label: str, text: str, lines: int = 2) -> Table:
    """``label：text`` over ``lines`` full-width rules to write on by hand (e.g. 拒绝签字情况)."""
    style = ParagraphStyle("ruled", parent=styles.small, leading=SMALL_SIZE * 1.25)
    data = [[Paragraph(f"{label}：{text}", style)]] + [[""] for _ in range(lines - 1)]
    table = Table(data, colWidths=[FRAME_WIDTH], rowHeights=[None] + [SMALL_SIZE * 2] * (lines - 1), hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),
        ("LINEBELOW", (0, 0), (-1, -1), 0.6, black),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 12), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


class SealBlock(Flowable):
    """署名 lines centered over the date; the date ends four characters from the right.

    The blank space above is where the seal goes (no seal is drawn).
    """

    def __init__(self, font: str, lines: Sequence[str], date_text: str, *, seal_space: float = LEADING):
        super().__init__()
        self.font, self.lines, self.date_text, self.seal_space = font, list(lines), date_text, seal_space

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.seal_space + (len(self.lines) + 1) * LEADING
        return self.width, self.height

    def draw(self) -> None:
        size = 16
        date_width = stringWidth(self.date_text, self.font, size)
        widest = max([date_width] + [stringWidth(t, self.font, size) for t in self.lines])
        center = self.width - 4 * CHAR - date_width / 2
        center = min(center, self.width - widest / 2)
        self.canv.setFont(self.font, size)
        y = self.height - self.seal_space - LEADING + 8
        for text in [*self.lines, self.date_text]:
            self.canv.drawCentredString(center, y, text)
            y -= LEADING


def footnote(styles: Styles, text: str) -> list[Flowable]:
    """A thin rule and a small line under it (本文书一式两份……)."""
    return [
        Spacer(1, 6),
        HRFlowable(width="100%", thickness=0.6, color=black, spaceBefore=0, spaceAfter=4),
        Paragraph(text, styles.small),
    ]


# --- photos ---------------------------------------------------------------------------

class _JpegReader(ImageReader):
    """ImageReader that names a JPEG by its SHA-256 instead of decoding every pixel.

    ReportLab's drawImage() calls getRGBData() only to derive a de-duplication name;
    for JPEG input the bytes themselves are embedded (DCTDecode), so a full decode
    would be wasted work (about 30 ms per 1600x1200 photo).
    """

    def __init__(self, data: bytes, digest: bytes | None = None):
        super().__init__(io.BytesIO(data))
        self._digest = digest or hashlib.sha256(data).digest()
        self._dataA = None

    def getRGBData(self) -> bytes:  # noqa: N802 (ReportLab API)
        return self._digest


def image_reader(data: bytes, what: str, digest: bytes | None = None) -> ImageReader:
    """``digest``: the SHA-256 of ``data`` when the caller has it already."""
    try:
        reader = ImageReader(io.BytesIO(data)) if not data.startswith(b"\xff\xd8") else _JpegReader(data, digest)
        reader.getSize()
    except Exception as exc:  # PIL raises many kinds for a damaged file
        raise UserError(f"{what}无法读取，不是有效的 JPEG 图片。") from exc
    if isinstance(reader, _JpegReader) and getattr(reader._image, "format", None) != "JPEG":
        return ImageReader(io.BytesIO(data))
    return reader


class PhotoFlowable(Flowable):
    """A photo scaled to fit a box (aspect kept), centered, with a hairline frame."""

    def __init__(self, reader: ImageReader, box_width: float, box_height: float):
        super().__init__()
        self.reader, self.width, self.height = reader, box_width, box_height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        image_width, image_height = self.reader.getSize()
        scale = min(self.width / image_width, self.height / image_height)
        w, h = image_width * scale, image_height * scale
        x, y = (self.width - w) / 2, (self.height - h) / 2
        self.canv.drawImage(self.reader, x, y, w, h)
        self.canv.setStrokeColor(GRAY)
        self.canv.setLineWidth(0.4)
        self.canv.rect(x, y, w, h, stroke=1, fill=0)


class EmptyPhoto(Flowable):
    """A dashed box standing in for a missing photo."""

    def __init__(self, font: str, text: str, box_width: float, box_height: float):
        super().__init__()
        self.font, self.text, self.width, self.height = font, text, box_width, box_height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setStrokeColor(GRAY)
        self.canv.setDash(3, 3)
        self.canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        self.canv.setFillColor(GRAY)
        self.canv.setFont(self.font, CAPTION_SIZE)
        self.canv.drawCentredString(self.width / 2, self.height / 2 - 4, self.text)


@dataclass(frozen=True)
class PhotoCell:
    picture: Flowable
    caption: str


def photo_grid(styles: Styles, fonts: FontSet, cells: Sequence[PhotoCell], per_row: int) -> Table:
    """Photos ``per_row`` to a row, caption under each; rows may split across pages."""
    column = FRAME_WIDTH / per_row
    rows: list[list[object]] = []
    for start in range(0, len(cells), per_row):
        chunk = list(cells[start:start + per_row])
        row: list[object] = [[c.picture, Spacer(1, 3), Paragraph(_caption_markup(fonts, c.caption), styles.caption)]
                             for c in chunk]
        rows.append(row + [""] * (per_row - len(row)))
    table = Table(rows, colWidths=[column] * per_row, hAlign="CENTER")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.body.fontName),  # empty cells: no Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
    ]))
    return table


def _caption_markup(fonts: FontSet, caption: str) -> str:
    return "<br/>".join(fonts.markup(line) for line in caption.split("\n"))


def photo_box(per_row: int) -> tuple[float, float]:
    """Width and height of one photo box (4:3) for ``per_row`` columns."""
    width = FRAME_WIDTH / per_row - 8
    return width, width * 3 / 4
