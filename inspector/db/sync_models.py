"""Tables of file sync added by schema version 3 (imported at the end of ``inspector.db.models``)."""

from __future__ import annotations

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
