"""Number claims of merged number blocks on a laptop (or an office SQLite file), as the server merge makes them.

The rule is :mod:`~inspector.core.sync.server_claims`' (portable SQL with ``:names``): a merged block claims
its numbers that no other live block holds, the others are reported as collisions, a withdrawn block
releases its claims, a changed range gives up the numbers outside it. Here it runs on the merge's own
``sqlite3`` connection inside its transaction, and every claim it writes or removes is journaled first,
so undoing the merge gives the claims back as they were.
"""

from __future__ import annotations

import sqlite3

CLAIMS = "number_claim"


class _Connection:
    """What :func:`server_claims.claim_blocks` calls (``execute(text(...), params)``) on a ``sqlite3`` connection;
    ``connection`` for :func:`server_claims.merged_blocks`."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def execute(self, clause, params=None):
        return self.connection.execute(str(clause), params or {})


def claim_merged_blocks(connection: sqlite3.Connection, plans, journal=None) -> list[dict]:
    """Claim the numbers of the blocks the plans write (``journal``: the merge's, None for a preview, which only
    finds the collisions); returns the collisions, one entry per block."""
    from inspector.core.sync import server_claims

    wrapped = _Connection(connection)
    blocks = server_claims.merged_blocks(wrapped, plans)
    if not blocks:
        return []
    if journal is None:
        return server_claims.claim_blocks(wrapped, blocks, write=False)
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS claim_blocks (id TEXT PRIMARY KEY) WITHOUT ROWID")
    connection.execute("DELETE FROM temp.claim_blocks")
    connection.executemany("INSERT INTO temp.claim_blocks VALUES (?)", ((b["id"],) for b in blocks))
    held = f"SELECT kind, prefix, year, seq FROM main.{CLAIMS} WHERE block_id IN (SELECT id FROM temp.claim_blocks)"
    journal.save(CLAIMS, held)  # what these blocks held before (released or kept)
    collisions = server_claims.claim_blocks(wrapped, blocks, write=True)
    journal.added(CLAIMS, held)  # what they hold now and did not before
    return collisions
