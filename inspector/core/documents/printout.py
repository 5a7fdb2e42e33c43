"""Verify a document from what its holder has: the PDF, the QR code's text, or a photo or scan of the page.

No database is needed: the QR code carries the facts signed by the issuing laptop and the
office's certificate for that laptop (:mod:`.seal`); the office's public key comes from the
trust file (:mod:`.trust`). Reading is bounded: files over :data:`MAX_INPUT_BYTES` are refused,
images over :data:`MAX_IMAGE_PIXELS` pixels are scaled down before the QR reader sees them.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from inspector.errors import UserError

from .seal import SealCheck, check_seal

if TYPE_CHECKING:
    from .trust import Trust

MAX_INPUT_BYTES = 64 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
QR_READ_SIDES = (None, 2400, 1600)  # full size first, then smaller: blurry phone photos read better small
INFO_KEY = "/XGAQPayload"


def verify_bytes(data: bytes, trust: "Trust") -> SealCheck:
    """A PDF made by this app, or an image of a printed page (JPEG, PNG, ...)."""
    if len(data) > MAX_INPUT_BYTES:
        raise UserError("文件过大，不是文书的 PDF 或照片。")
    if data.startswith(b"%PDF"):
        text = pdf_qr_text(data)
        if text is None:
            return SealCheck("unreadable", "该 PDF 中没有核验信息：不是本程序签发的文书。")
        return check_seal(text, trust)
    texts = qr_texts_in_image(data)
    ours = [text for text in texts if text.startswith(("XGAQ2|", "XGAQ1|"))]
    if not ours:
        reason = "图片中的二维码不是本程序的核验二维码。" if texts else "图片中没有找到可读的二维码：请正对二维码拍摄，保持清晰。"
        return SealCheck("unreadable", reason)
    return check_seal(ours[0], trust)


def pdf_qr_text(pdf: bytes) -> str | None:
    """The QR text that the renderer stored in the PDF's Info dictionary, or None."""
    from pypdf import PdfReader

    try:
        info = PdfReader(io.BytesIO(pdf)).metadata or {}
        value = info.get(INFO_KEY)
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on damaged or foreign files
        return None
    return str(value) if value else None


def qr_texts_in_image(data: bytes) -> list[str]:
    """Every QR code's text found in an image; tries smaller copies when the full size finds none."""
    import zxingcpp
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_IMAGE_PIXELS:
                opened.draft("L", (opened.width // 4, opened.height // 4))
            image = ImageOps.exif_transpose(opened).convert("L")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise UserError("无法读取该文件：它不是 PDF，也不是可读的图片。") from exc
    for side in QR_READ_SIDES:
        candidate = image if side is None or max(image.size) <= side else _smaller(image, side)
        found = [result.text for result in zxingcpp.read_barcodes(candidate, formats=zxingcpp.BarcodeFormat.QRCode)]
        if found:
            return found
    return []


def _smaller(image, side: int):
    copy = image.copy()
    copy.thumbnail((side, side))
    return copy
