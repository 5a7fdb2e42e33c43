"""A migration that widens a synced table leaves every row's place in the sync history intact."""

from __future__ import annotations

import shutil
import sqlite3

from inspector.core.sync.rehash import rehash_pending
from inspector.core.sync.status import unexported
from inspector.services import Services
from tests.helpers import FIXTURES


def test_upgrading_the_v3_fixture_keeps_what_was_exported_exported(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    path = data / "inspector.db"
    shutil.copy(FIXTURES / "schema_v3.db", path)
    before = unexported(path)
    assert before.records < sum(_count(path, t) for t in ("enterprise", "inspection", "finding"))  # some were exported
    services = Services(data)
    try:
        services.db  # migrates, then rehashes the widened tables
    finally:
        services.close()
    after = unexported(path)
    assert (after.records, after.photos) == (before.records, before.photos)
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("SELECT count(*) FROM local_meta WHERE key LIKE 'sync_rehash:%'").fetchone() == (0,)
        assert rehash_pending(connection) == 0  # done once
    finally:
        connection.close()


def test_without_the_rehash_every_widened_row_would_look_unexported(tmp_path):
    from inspector.db.database import Database

    path = tmp_path / "inspector.db"
    shutil.copy(FIXTURES / "schema_v3.db", path)
    before = unexported(path)
    Database.open(path, tmp_path / "backups").close()  # the db layer alone: migrated, not yet rehashed
    assert unexported(path).records > before.records
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        assert rehash_pending(connection) > 0
    finally:
        connection.close()
    assert unexported(path).records == before.records


def _count(path, table: str) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        connection.close()
