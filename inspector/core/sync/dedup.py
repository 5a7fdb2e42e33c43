"""Photos de-duplicated by SHA-256: one finding never shows the same original photo twice.

The same picture can be attached to the same finding on two laptops (both imported it from the
same card) under two different ids. After every merge, the photos of a finding that share
``kind`` and ``original_sha256`` form a group whose *canonical* member is the earliest created
(``created_at``, then id), whether or not it is deleted; every other live member becomes a
tombstone. The tombstone is derived from the version it deletes only (``deleted_at`` set to its
``updated_at``, nothing else changed), so it sorts right above that version and below any later
edit, and every laptop derives the same one: the rule is a function of the merged content, and
merging stays order-independent. No row is removed: the duplicate's id and bytes stay, deleted.

Blob storage is not shared between rows (the schema stores each JPEG in its row); what the merge
does avoid is writing a blob again when the local row already has the same ``jpeg_sha256``.
"""

from __future__ import annotations

import sqlite3
from typing import Iterable

KEY_COLUMNS = ("id", "finding_id", "kind", "original_sha256", "created_at", "deleted_at")


def duplicates(rows: Iterable[dict]) -> list[str]:
    """Ids of live photos that are not the canonical member of their group."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["finding_id"], row["kind"], row["original_sha256"]), []).append(row)
    result = []
    for members in groups.values():
        if len(members) < 2:
            continue
        canonical = min(members, key=lambda r: (r["created_at"], r["id"]))
        result += [r["id"] for r in members if r is not canonical and not r["deleted_at"]]
    return sorted(result)


def photo_keys(connection: sqlite3.Connection, schema: str = "main", where: str = "") -> dict[str, dict]:
    columns = ", ".join(KEY_COLUMNS)
    return {row[0]: dict(zip(KEY_COLUMNS, row)) for row in
            connection.execute(f"SELECT {columns} FROM {schema}.photo {where}")}


def candidate_groups_sql(schema: str = "main") -> str:
    """Photos in groups with more than one member (the only ones the rule can touch); both scans are of the
    covering index ``ix_photo_duplicates`` (schema v8), never of the photo rows with their blobs."""
    return (f"WHERE (finding_id, kind, original_sha256) IN (SELECT finding_id, kind, original_sha256 "
            f"FROM {schema}.photo GROUP BY finding_id, kind, original_sha256 HAVING count(*) > 1)")


def tombstone(connection: sqlite3.Connection, ids: list[str]) -> None:
    connection.executemany("UPDATE main.photo SET deleted_at = updated_at WHERE id = ? AND deleted_at IS NULL",
                           ((row_id,) for row_id in ids))
