"""Notices keep the date they print, why they were backdated, and the deadlines they printed.

``issued_on`` is the record date (成文日期) printed on the document, which lists, ``verify``,
reviews and the ledger show; ``issued_at`` stays the moment the laptop stored it. Existing
notices get the date their PDF carries in its verification payload (``XGAQ1|…|YYYY-MM-DD|hash``
in the Info dictionary), else the China-time date of ``issued_at``. ``backdate_reason`` is the
stated reason of a document dated before the day it was issued. ``printed_deadlines`` maps each
finding id to the deadline the document printed (``YYYY-MM-DD``, or ``immediate`` for 立即整改),
so that a review quotes what the order said, not what the finding says now; old notices get ``{}``.
"""

from __future__ import annotations

import re
import sqlite3

_PAYLOAD_DATE = re.compile(r"^XGAQ1\|[^|]*\|[^|]*\|[^|]*\|(\d{4}-\d{2}-\d{2})\|[0-9a-f]{64}$")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def upgrade(connection: sqlite3.Connection) -> None:
    connection.execute("ALTER TABLE notice ADD COLUMN issued_on DATE")
    connection.execute("ALTER TABLE notice ADD COLUMN backdate_reason VARCHAR NOT NULL DEFAULT ''")
    connection.execute("ALTER TABLE notice ADD COLUMN printed_deadlines JSON NOT NULL DEFAULT '{}'")
    rows = connection.execute("SELECT id, pdf, issued_at FROM notice").fetchall()
    for notice_id, pdf, issued_at in rows:
        day = printed_date(pdf) or _china_date(connection, issued_at)
        connection.execute("UPDATE notice SET issued_on = ? WHERE id = ?", (day, notice_id))
    if rows:  # the sync layer records each notice's new version hash next to the old one (core/sync/rehash.py)
        connection.execute("INSERT INTO local_meta (key, value) VALUES ('sync_rehash:notice', ?) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           ('["issued_on", "backdate_reason", "printed_deadlines"]',))


def printed_date(pdf: bytes | None) -> str | None:
    """The issue date in a notice PDF's ``/XGAQPayload`` string, or None."""
    if not pdf:
        return None
    start = pdf.find(b"/XGAQPayload (")
    if start < 0:
        return None
    text = _literal_string(pdf, start + len(b"/XGAQPayload ("))
    match = _PAYLOAD_DATE.match(text or "")
    return match.group(1) if match else None


def _literal_string(pdf: bytes, index: int, limit: int = 4096) -> str | None:
    """Decode a PDF literal string starting after its "(" (escapes, UTF-16 with BOM)."""
    out, depth, end = bytearray(), 1, min(len(pdf), index + limit)
    while index < end:
        byte = pdf[index:index + 1]
        if byte == b"\\":
            nxt = pdf[index + 1:index + 2]
            octal = re.match(rb"[0-7]{1,3}", pdf[index + 1:index + 4])
            if octal:
                out.append(int(octal.group(0), 8) & 0xFF)
                index += 1 + len(octal.group(0))
                continue
            out += _ESCAPES.get(nxt, nxt)
            index += 2
            continue
        if byte == b"(":
            depth += 1
        elif byte == b")":
            depth -= 1
            if depth == 0:
                break
        out += byte
        index += 1
    else:
        return None
    raw = bytes(out)
    try:
        return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
    except UnicodeDecodeError:
        return None


def _china_date(connection: sqlite3.Connection, issued_at: str | None) -> str | None:
    if not issued_at:
        return None
    return connection.execute("SELECT date(?, '+8 hours')", (issued_at,)).fetchone()[0]
