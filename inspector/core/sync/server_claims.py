"""Number blocks that arrive by a server merge claim their numbers (``number_claim``), or are reported.

A block made on the office database claims its numbers when it is added
(:mod:`inspector.core.documents.number_claims`). A block that arrives in an export file (made on
a laptop, or handed out by another office database) is claimed here, in the merge's transaction:
its numbers not yet held by another block are claimed for it; numbers another live block already
holds are left to that block and the collision is reported (the block itself is merged: the export
is what the laptop did, and ``inspector numbers report`` keeps showing the overlap). A merged block
that was withdrawn (deleted) releases its claims; a block whose range changed gives up the numbers
outside it. The merge holds the office database's number lock (the ``device_id`` row of
``local_meta``, as ``numbering.write_session`` takes it), so no block is being added meanwhile.
"""

from __future__ import annotations

from typing import Iterable

_CLAIM_FREE_SQL = """
INSERT INTO number_claim (kind, prefix, year, seq, block_id)
WITH RECURSIVE n (seq) AS (
    SELECT CAST(:first AS INTEGER)
    UNION ALL
    SELECT seq + 1 FROM n WHERE seq < CAST(:last AS INTEGER)
)
SELECT CAST(:kind AS VARCHAR), CAST(:prefix AS VARCHAR), CAST(:year AS INTEGER), n.seq, CAST(:block_id AS VARCHAR)
FROM n
WHERE NOT EXISTS (SELECT 1 FROM number_claim c WHERE c.kind = CAST(:kind AS VARCHAR)
                  AND c.prefix = CAST(:prefix AS VARCHAR) AND c.year = CAST(:year AS INTEGER) AND c.seq = n.seq)
"""
BLOCK_COLUMNS = ("id", "kind", "prefix", "year", "first", "last", "deleted_at")


def claim_blocks(server, blocks: Iterable[dict], *, write: bool) -> list[dict]:
    """Claim the numbers of merged ``blocks`` (dicts of :data:`BLOCK_COLUMNS`, their merged state);
    return one entry per block whose numbers are (partly) held by other blocks. ``write=False``
    (a preview) only finds the collisions."""
    collisions = []
    for block in blocks:
        if block["deleted_at"]:
            if write:
                _release(server, block["id"], None)
            continue
        held = _held_by_others(server, block)
        if held:
            collisions.append({"block_id": block["id"], "kind": block["kind"], "prefix": block["prefix"],
                               "year": block["year"], "first": block["first"], "last": block["last"],
                               "numbers": sorted(held), "other_blocks": sorted(set(held.values()))})
        if write:
            _release(server, block["id"], (block["first"], block["last"]))
            _claim_free(server, block)
    return collisions


def _held_by_others(server, block: dict) -> dict[int, str]:
    from sqlalchemy import text

    rows = server.execute(text(
        "SELECT seq, block_id FROM number_claim WHERE kind = :kind AND prefix = :prefix AND year = :year "
        "AND seq BETWEEN :first AND :last AND block_id <> :id"), _params(block))
    return {seq: block_id for seq, block_id in rows}


def _release(server, block_id: str, keep: tuple[int, int] | None) -> None:
    from sqlalchemy import text

    if keep is None:
        server.execute(text("DELETE FROM number_claim WHERE block_id = :id"), {"id": block_id})
    else:
        server.execute(text("DELETE FROM number_claim WHERE block_id = :id AND (seq < :first OR seq > :last)"),
                       {"id": block_id, "first": keep[0], "last": keep[1]})


def _claim_free(server, block: dict) -> None:
    from sqlalchemy import text

    params = _params(block)
    server.execute(text(_CLAIM_FREE_SQL), {k: params[k] for k in ("first", "last", "kind", "prefix", "year")}
                   | {"block_id": block["id"]})


def _params(block: dict) -> dict:
    return {"id": block["id"], "kind": block["kind"], "prefix": block["prefix"], "year": int(block["year"]),
            "first": int(block["first"]), "last": int(block["last"])}


def merged_blocks(shadow, plans) -> list[dict]:
    """The merged state of every number block the files write (a later file's winner replaces an earlier's)."""
    final: dict[str, dict] = {}
    names = ", ".join(f'"{c}"' for c in BLOCK_COLUMNS)
    for plan in plans:
        ids = set(plan.upserts.get("number_block", []))
        if not ids:
            continue
        for row in shadow.connection.execute(f"SELECT {names} FROM {plan.alias}.number_block"):
            if row[0] in ids:
                final[row[0]] = dict(zip(BLOCK_COLUMNS, row))
    return [final[i] for i in sorted(final)]

