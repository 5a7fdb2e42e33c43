"""Verification payload: content hash, QR code and PDF metadata.

The payload is one line of text, also the QR code's content::

    XGAQ1|<kind>|<number or empty>|<credit code>|<issued YYYY-MM-DD>|<sha256 hex>

``content_hash`` hashes a canonical JSON of the *content* (photos by their SHA-256),
not the PDF bytes, so a verifier holding the database record can recompute it.  The
same line is stored in the PDF Info dictionary under ``/XGAQPayload`` and in
``/Keywords``; :func:`read_embedded_payload` reads it back with pypdf.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from datetime import date
from typing import Any

from .model import DocumentData, canonical_content

PAYLOAD_TAG = "XGAQ1"
INFO_KEY = "XGAQPayload"
_FIELDS = ("kind", "number", "credit_code", "issued_on", "content_hash")
#: The signed form (see seal.py): these facts, then the signature and the certificate.
SIGNED_TAG = "XGAQ2"
SIGNED_FACTS = ("kind", "number", "credit_code", "enterprise", "issued_on", "hazards", "content_hash")


def canonical_json(data: DocumentData) -> bytes:
    content = canonical_content(data)
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def content_hash(data: DocumentData) -> str:
    """SHA-256 (hex) of the canonical JSON of the document's content."""
    return hashlib.sha256(canonical_json(data)).hexdigest()


def payload_text(data: DocumentData) -> str:
    parts = (
        PAYLOAD_TAG, data.kind.value, data.number or "", _clean(data.enterprise.credit_code),
        data.issued_on.isoformat(), content_hash(data),
    )
    return "|".join(parts)


def parse_payload(text: str) -> dict[str, Any] | None:
    if text.startswith(SIGNED_TAG + "|"):
        return _parse_signed(text)
    parts = text.strip().split("|")
    if len(parts) != 1 + len(_FIELDS) or parts[0] != PAYLOAD_TAG:
        return None
    result: dict[str, Any] = {"version": parts[0], **dict(zip(_FIELDS, parts[1:]))}
    result["number"] = result["number"] or None
    if len(result["content_hash"]) != 64:
        return None
    return result


def _parse_signed(text: str) -> dict[str, Any] | None:
    """The facts of a signed QR text (:mod:`.seal`); whether the signature holds is seal.check_seal's job."""
    parts = text.strip().split("|")
    if len(parts) != 1 + len(SIGNED_FACTS) + 2:
        return None
    result: dict[str, Any] = {"version": parts[0], **dict(zip(SIGNED_FACTS, parts[1:1 + len(SIGNED_FACTS)]))}
    result["number"] = result["number"] or None
    try:  # the signed QR carries the first 16 bytes of the content hash
        result["content_hash_prefix"] = base64.urlsafe_b64decode(result.pop("content_hash") + "==").hex()
    except ValueError:
        return None
    return result


def read_embedded_payload(pdf_bytes: bytes) -> dict[str, Any] | None:
    """The payload dict of a PDF made by :func:`render_document`, or None.

    Never raises on foreign or damaged input: a verifier feeds it arbitrary files.
    """
    from pypdf import PdfReader

    try:
        info = PdfReader(io.BytesIO(pdf_bytes)).metadata or {}
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        return None
    for key in (f"/{INFO_KEY}", "/Keywords"):
        value = info.get(key)
        if value:
            parsed = parse_payload(str(value))
            if parsed:
                return parsed
    return None


def _clean(text: str) -> str:
    return text.replace("|", "").strip()


# --- drawing --------------------------------------------------------------------------

def draw_qr(canvas: Any, text: str, x: float, y: float, size: float) -> None:
    """Draw ``text`` as a vector QR code (lower-left corner at x, y; error level M).

    Dark runs of each row become one rectangle, written in module units under a scale
    transform: about 600 integer ``re`` operators instead of 2,400 formatted floats.
    """
    import segno

    # mask 0, not the best-scoring of the eight: every mask is valid (ISO/IEC 18004 §7.8), the choice only
    # lowers a penalty score, and scoring all eight was 14 % of a warm notice (tests read the code back)
    rows = [bytes(row) for row in segno.make(text, error="m", micro=False, mask=0).matrix]
    count = len(rows)
    ops: list[str] = []
    for r, row in enumerate(rows):
        top = count - 1 - r
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                ops.append(f"{start} {top} {c - start} 1 re")
            else:
                c += 1
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / count, size / count)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral("\n".join(ops) + "\nf")
    canvas.restoreState()


def make_info_class(payload: str, issued_on: date) -> type:
    """A ReportLab PDFInfo subclass that also writes ``/XGAQPayload``.

    CreationDate/ModDate are the issue date (00:00 China time) rather than the clock,
    which keeps the file deterministic and the date meaningful.
    """
    from reportlab.pdfbase.pdfdoc import PDFDate, PDFDictionary, PDFInfo, PDFName, PDFString

    stamp_text = f"D:{issued_on:%Y%m%d}000000+08'00'"

    class PayloadInfo(PDFInfo):
        def format(self, document: Any) -> bytes:
            stamp = PDFDate(ts=document._timeStamp, dateFormatter=lambda *_: stamp_text)
            entries = {
                "Title": PDFString(self.title), "Author": PDFString(self.author),
                "CreationDate": stamp, "ModDate": stamp,
                "Producer": PDFString(self.producer), "Creator": PDFString(self.creator),
                "Subject": PDFString(self.subject), "Keywords": PDFString(self.keywords),
                "Trapped": PDFName(self.trapped), INFO_KEY: PDFString(payload),
            }
            return PDFDictionary(entries).format(document)

    return PayloadInfo
