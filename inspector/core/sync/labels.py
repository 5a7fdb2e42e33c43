"""Words a person recognises a row by, and how two versions of a row differ (for conflict lists)."""

from __future__ import annotations

import base64
import hashlib
import sqlite3
from typing import Any

from inspector.db.ids import short_id

SYNC_COLUMNS = {"id", "created_at", "updated_at", "device_id", "rev"}


def row_label(connection: sqlite3.Connection, table: str, row: dict[str, Any] | None) -> str:
    if not row:
        return ""
    if table in ("enterprise", "inspector"):
        return row.get("name") or short_id(row["id"])
    if table in ("inspection", "reinspection", "notice"):
        name = _enterprise_name(connection, row.get("enterprise_id"))
        detail = row.get("number_text") or (row.get("place") or "") or (row.get("started_at") or "")[:10]
        return f"{name} {detail}".strip()
    if table == "finding":
        return (row.get("description") or row.get("item_text") or "")[:40] or short_id(row["id"])
    if table == "photo":
        return row.get("caption") or row.get("original_name") or short_id(row["id"])
    if table == "document_number":
        return f"{row.get('prefix')}〔{row.get('year')}〕{row.get('seq')}号"
    if table == "hazard_event":
        return f"{row.get('from_status')} → {row.get('to_status')} {row.get('note') or ''}".strip()
    return short_id(row["id"])


def _enterprise_name(connection: sqlite3.Connection, enterprise_id: str | None) -> str:
    if not enterprise_id:
        return ""
    try:
        found = connection.execute("SELECT name FROM main.enterprise WHERE id = ?", (enterprise_id,)).fetchone()
    except sqlite3.Error:
        found = None
    return found[0] if found else ""


def differing_fields(kept: dict[str, Any] | None, other: dict[str, Any] | None) -> list[str]:
    if not kept or not other:
        return []
    return [name for name in kept if name not in SYNC_COLUMNS and kept.get(name) != other.get(name)]


def row_json(row: dict[str, Any] | None, reference: dict[str, Any] | None = None) -> dict[str, Any]:
    """A row as JSON; a blob is kept in full (base64) unless ``reference`` holds the same bytes."""
    if row is None:
        return {}
    result = {}
    for name, value in row.items():
        if isinstance(value, bytes):
            same = reference is not None and reference.get(name) == value
            result[name] = {"sha256": hashlib.sha256(value).hexdigest(), "size": len(value)}
            if not same:
                result[name]["base64"] = base64.b64encode(value).decode("ascii")
        else:
            result[name] = value
    return result
