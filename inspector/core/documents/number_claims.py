"""The numbers a block holds, one ``number_claim`` row each: the database refuses overlapping blocks.

The primary key (kind, prefix, year, seq) lets only one live block of a series hold a number, on
SQLite and on the office's PostgreSQL server alike (a plain key: KingbaseES and openGauss follow).
Claims are written in the block's own transaction; two PCs claiming the same number at once cannot
both commit (the second fails with a unique violation, reported as :class:`ClaimConflict`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.errors import UserError

if TYPE_CHECKING:
    from sqlmodel import Session

    from inspector.db.models import NumberBlock

_CLAIM_SQL = """
INSERT INTO number_claim (kind, prefix, year, seq, block_id)
WITH RECURSIVE n (seq) AS (
    SELECT CAST(:first AS INTEGER)
    UNION ALL
    SELECT seq + 1 FROM n WHERE seq < CAST(:last AS INTEGER)
)
SELECT CAST(:kind AS VARCHAR), CAST(:prefix AS VARCHAR), CAST(:year AS INTEGER), seq, CAST(:block_id AS VARCHAR)
FROM n
"""


class ClaimConflict(UserError):
    """The database refused a block: another block of the series holds one of its numbers."""


def claim_numbers(session: "Session", block: "NumberBlock") -> None:
    """Claim first..last for ``block`` (already flushed) in the session's transaction, or ClaimConflict."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    try:
        session.execute(text(_CLAIM_SQL), {"first": block.first, "last": block.last, "kind": block.kind,
                                           "prefix": block.prefix, "year": block.year, "block_id": block.id})
    except IntegrityError as exc:
        raise ClaimConflict(f"号段 {block.first}–{block.last} 与其他号段重叠（可能是其他用户刚刚分配的），"
                            "同一文号序列的号段不能重叠。") from exc


def release_claims(session: "Session", block_id: str) -> None:
    """Free the numbers of a withdrawn block (numbers drawn from it stay used as document numbers)."""
    from sqlalchemy import text

    session.execute(text("DELETE FROM number_claim WHERE block_id = :id"), {"id": block_id})


def lowest_free_run(session: "Session", kind: str, prefix: str, year: int, count: int, *, drawn: set[int]) -> int:
    """The first number of the lowest run of ``count`` numbers that no claim holds and none of ``drawn``."""
    from sqlmodel import select

    from inspector.db.models import NumberClaim

    claimed = session.exec(select(NumberClaim.seq).where(
        NumberClaim.kind == kind, NumberClaim.prefix == prefix, NumberClaim.year == year)).all()
    start = 1
    for seq in sorted(set(claimed) | drawn):
        if seq - start >= count:
            break
        start = max(start, seq + 1)
    return start
