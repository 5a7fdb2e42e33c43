"""Record ids: time-ordered UUIDs (version 7, RFC 9562) as canonical lowercase text.

Every table is keyed by a UUID in text. A version-4 id is random, so each new row goes to a random place
of every B-tree keyed by id (the laptop's SQLite tables, the office PostgreSQL's indexes, a merge's
inserts): in the 10,000-inspection demo ~30 % of the findings' insert was finding that place
(``sqlite3BtreeIndexMoveto`` + ``memcmp``). A version-7 id starts with its creation time in
milliseconds, so new rows are appended at the end of those trees. It tells nothing the row does not
carry already (its ``created_at``), and it is still a canonical UUID, so releases that check ids by
the UUID pattern (:data:`inspector.core.sync.rules.UUID_PATTERN`) accept it and merge it. Ids already
stored (version 4) stay as they are: the two kinds mix freely.

This module imports nothing heavy (the sync core uses it without SQLAlchemy); ``uuid_utils`` is loaded
at the first id.
"""

from __future__ import annotations

_uuid7 = None


def new_id() -> str:
    """A new version-7 UUID as text: the current time in ms, then random bits, increasing within a millisecond
    (``uuid_utils.uuid7``, Rust: ~0.6 µs, against ~8 µs for ``str(uuid.uuid4())``)."""
    global _uuid7
    if _uuid7 is None:
        from uuid_utils import uuid7

        _uuid7 = uuid7
    return str(_uuid7())


def short_id(record_id: str) -> str:
    """The 8 hex digits that tell a record apart where it is printed short (a hazard's ledger number): the last
    8 of a time-ordered id (version 7: random bits; its first 8 are the time, shared by everything made within
    the same ~65 s), the first 8 of any other id (version 4: as printed before, so old numbers stay)."""
    return record_id[-8:] if len(record_id) == 36 and record_id[14] == "7" else record_id[:8]


def new_device_id() -> str:
    """A new device id: random (version 4), not time-ordered. It keys no big table, and it is shown and typed by
    its first 8 digits (号段 lists, ``inspector numbers``): laptops set up within the same minute must not
    share them, as version-7 ids of the same minute do (as :mod:`~inspector.core.common.device_binding`
    does for a re-keyed copy)."""
    import uuid

    return str(uuid.uuid4())
