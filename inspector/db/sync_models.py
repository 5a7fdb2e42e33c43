"""Tables of file sync added by schema versions 3, 7 and 8 (imported at the end of ``inspector.db.models``)."""

from __future__ import annotations

from typing import Optional

from sqlmodel import Field, SQLModel


class SyncVersion(SQLModel, table=True):
    """A version (content SHA-256) of a synced row that this database has seen.

    The set of versions of a row is its history: an incoming version whose history holds the
    local version is a fast-forward; two versions neither of which knows the other were edited
    on both sides since they last met. ``seen_seq`` is the local sync operation that first saw
    the version (``local_meta`` key ``sync_seq`` counts them); exports carry these rows.
    """

    __tablename__ = "sync_version"

    table_name: str = Field(primary_key=True)
    row_id: str = Field(primary_key=True, max_length=36)
    version: str = Field(primary_key=True, max_length=64)
    seen_seq: int = 0


class SyncStamp(SQLModel, table=True):
    """The current version of one synced row, kept so that exports and merges hash only what changed (v7).

    ``version`` is the row's version hash (:mod:`inspector.core.sync.rows`). SQLite triggers on every
    synced table delete the stamp of a row on each write (and list the row in ``local_change``);
    ``inspector.core.sync.stamps`` hashes the listed rows without a stamp. Local to a database (never synced).
    """

    __tablename__ = "sync_stamp"

    table_name: str = Field(primary_key=True)
    row_id: str = Field(primary_key=True, max_length=36)
    version: str = Field(max_length=64)


class LocalChange(SQLModel, table=True):
    """A synced row written on this device whose version no export or merge has seen yet (v7).

    Added by the same triggers; removed when an export or a merge records the row's current version.
    The "not yet exported" count is a GROUP BY over this table. Local to a database (never synced).
    """

    __tablename__ = "local_change"

    table_name: str = Field(primary_key=True)
    row_id: str = Field(primary_key=True, max_length=36)


class MergeUndo(SQLModel, table=True):
    """One row's state before a merge wrote it (v8): the undo journal of the newest merges.

    ``seq`` is the merge's sync operation; ``row_key`` the row's primary key (the id, or a JSON array of a
    composite key); ``content`` a JSON object of its columns before the merge, NULL when the merge added the
    row; ``blob_1``/``blob_2`` its BLOB columns in table order. Written and read by
    ``inspector.core.sync.undo``. Local to a database (never synced).
    """

    __tablename__ = "merge_undo"

    seq: int = Field(primary_key=True)
    table_name: str = Field(primary_key=True)
    row_key: str = Field(primary_key=True)
    content: Optional[str] = None
    blob_1: Optional[bytes] = None
    blob_2: Optional[bytes] = None
