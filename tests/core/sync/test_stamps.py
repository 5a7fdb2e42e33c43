"""Version stamps kept on write (schema v7): every stamp equals the version Python computes from the row,
and the incremental "not yet exported" count equals the count that rehashes every row — after an
upgrade from every older fixture, after edits, exports and merges."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from inspector.core.sync import stamps
from inspector.core.sync.export import export_database
from inspector.core.sync.merge import merge_files
from inspector.core.sync.rows import SYNC_ORDER, table_specs, versions
from inspector.core.sync.status import unexported, unexported_rehashed
from inspector.services import Services
from tests.helpers import FIXTURES


def stamp_problems(path, stale_allowed: bool = True) -> list[str]:
    """Rows whose stamp is not the version of the row, or missing (unless allowed for a row listed as a local
    change: hashed at the next export or merge), and stamps of no row."""
    connection = sqlite3.connect(path)
    try:
        specs = table_specs(connection)
        problems = []
        for table in SYNC_ORDER:
            actual = {row_id: v.digest for row_id, v in versions(connection, specs[table]).items()}
            stored = dict(connection.execute("SELECT row_id, version FROM sync_stamp WHERE table_name = ?", (table,)))
            listed = {r for (r,) in connection.execute("SELECT row_id FROM local_change WHERE table_name = ?", (table,))}
            problems += [f"{table} {row_id}: {stored.get(row_id, 'missing')} != {digest}"
                         for row_id, digest in actual.items() if stored.get(row_id, "missing") != digest
                         and not (stale_allowed and row_id not in stored and row_id in listed)]
            problems += [f"{table} {row_id}: stamp of no row" for row_id in stored.keys() - actual.keys()]
        return problems
    finally:
        connection.close()


def open_as_app(folder) -> None:
    Services(folder).db  # migrations, then the one-time seed of the stamps (services._after_upgrade)


def edit(path, table: str = "finding") -> None:
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(f"UPDATE {table} SET rev = rev + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%f000Z', 'now') "
                           f"WHERE id = (SELECT min(id) FROM {table})")
    connection.close()


def fixture_version(path) -> int:
    return int(path.stem.rsplit("_v", 1)[1])


def latest_fixture():
    """The fixture of the newest released schema (upgraded by the app when it is older than the code)."""
    return max(FIXTURES.glob("schema_v*.db"), key=fixture_version)


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_v*.db")), ids=lambda p: p.name)
def test_every_fixture_upgrades_to_exact_stamps_and_the_same_unexported_count(fixture, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(fixture, folder / "inspector.db")
    keeps_stamps = fixture_version(fixture) >= 7
    if not keeps_stamps:  # older fixtures: the count the old code gives, computed before stamps exist
        open_as_app(folder)
    path = folder / "inspector.db"
    expected = unexported_rehashed(path)
    if keeps_stamps:
        open_as_app(folder)  # upgraded to the latest schema: the count stays what it was
    assert stamp_problems(path) == []
    assert unexported(path) == expected
    edit(path)
    assert unexported(path) == unexported_rehashed(path) and unexported(path).records >= max(expected.records, 1)
    export_database(path, tmp_path / "full.db")
    assert not unexported(path).any and unexported_rehashed(path) == unexported(path)
    assert stamp_problems(path, stale_allowed=False) == []


def test_the_v7_fixture_lists_the_edit_made_after_its_export():
    assert unexported(FIXTURES / "schema_v7.db").records == 1 == unexported_rehashed(FIXTURES / "schema_v7.db").records


def test_merge_stores_the_verified_versions_and_edits_after_it_are_counted(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, source in ((a, "schema_v3.db"), (b, "schema_v7.db")):
        folder.mkdir()
        shutil.copy(FIXTURES / source, folder / "inspector.db")
        open_as_app(folder)
    export_database(b / "inspector.db", tmp_path / "b.db")
    merge_files(a / "inspector.db", [tmp_path / "b.db"], backups_dir=tmp_path / "backups")
    assert stamp_problems(a / "inspector.db", stale_allowed=False) == []
    assert unexported(a / "inspector.db") == unexported_rehashed(a / "inspector.db")
    connection = sqlite3.connect(a / "inspector.db")
    assert connection.execute("SELECT count(*) FROM local_meta WHERE key = ?", (stamps.APPLYING,)).fetchone()[0] == 0
    connection.close()
    edit(a / "inspector.db", "enterprise")
    assert unexported(a / "inspector.db").records >= 1
    assert unexported(a / "inspector.db") == unexported_rehashed(a / "inspector.db")
    export_database(a / "inspector.db", tmp_path / "a.db")
    assert stamp_problems(a / "inspector.db", stale_allowed=False) == [] and not unexported(a / "inspector.db").any


def test_triggers_mark_writes_skip_the_merge_flag_and_forget_deleted_rows(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(FIXTURES / "schema_v7.db", folder / "inspector.db")
    path = folder / "inspector.db"
    connection = sqlite3.connect(path, isolation_level=None)
    row_id = connection.execute("SELECT min(id) FROM inspector").fetchone()[0]
    connection.execute("UPDATE inspector SET rev = rev + 1 WHERE id = ?", (row_id,))
    stamp = "SELECT version FROM sync_stamp WHERE table_name = 'inspector' AND row_id = ?"
    changed = "SELECT count(*) FROM local_change WHERE table_name = 'inspector' AND row_id = ?"
    assert connection.execute(stamp, (row_id,)).fetchone() is None  # no stamp: hashed at the next export
    assert connection.execute(changed, (row_id,)).fetchone() == (1,)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("DELETE FROM local_change")
    stamps.set_applying(connection, True)
    connection.execute("UPDATE inspector SET rev = rev + 1 WHERE id = ?", (row_id,))
    assert connection.execute(changed, (row_id,)).fetchone() == (0,)  # a merge's write is not a local change
    stamps.set_applying(connection, False)
    connection.execute("DELETE FROM hazard_event")  # hard deletes (never done by the app) leave no stamp behind
    connection.execute("COMMIT")
    assert connection.execute("SELECT count(*) FROM sync_stamp WHERE table_name = 'hazard_event'").fetchone() == (0,)
    connection.close()


def test_a_full_export_carries_nothing_of_the_local_tables_not_even_in_free_space(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(latest_fixture(), folder / "inspector.db")
    path = folder / "inspector.db"
    marker = "LOCAL-ONLY-" + "私钥" * 40
    connection = sqlite3.connect(path, isolation_level=None)
    for n in range(3):  # rewritten and deleted: old copies linger in free space of the live file
        connection.execute("INSERT OR REPLACE INTO local_meta (key, value) VALUES ('probe', ?)", (f"{marker}{n}" * 20,))
    connection.execute("DELETE FROM local_meta WHERE key = 'probe'")
    connection.execute("INSERT INTO local_meta (key, value) VALUES ('probe-kept', ?)", (marker,))
    connection.close()
    assert marker.encode() in path.read_bytes()
    export_database(path, tmp_path / "full.db")
    data = (tmp_path / "full.db").read_bytes()
    assert marker.encode() not in data and b"signing_key" not in data
    exported = sqlite3.connect(tmp_path / "full.db")
    assert [exported.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in
            ("local_meta", "sync_log", "sync_stamp", "local_change", "merge_undo")] == [0, 0, 0, 0, 0]
    exported.close()
