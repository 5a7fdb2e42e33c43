"""The full export's own path: the snapshot checked while it is copied, the digest from the copy's stamps
(repaired when they are not one per row), the history it records, the check of the b-trees it wrote."""

from __future__ import annotations

import sqlite3
import struct

import pytest

from inspector.core.sync.export import export_database
from inspector.core.sync.manifest import Manifest, read_manifest_text
from inspector.core.sync.verify import ExportRefused, verify_export, verify_written
from inspector.errors import UserError
from tests.core.sync.test_sync_support import Device


def _device_with_rows(folder) -> Device:
    device = Device(folder / "a", "a")
    for n in range(3):
        enterprise = device.enterprise(1 + n, name=f"兴国县测试{n}号有限公司")
        device.photo(3 + n, device.finding(2 + n, device.inspection(2 + n, enterprise)), picture=n)
    return device


def _page_of(path, name: str) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]


def _break_page(path, page: int) -> None:
    """Make a b-tree page claim far more cells than it can hold (SQLite's checks report it)."""
    with open(path, "r+b") as handle:
        size = struct.unpack(">H", (handle.seek(16), handle.read(2))[1])[0]
        handle.seek((page - 1) * size + (100 if page == 1 else 0) + 3)
        handle.write(struct.pack(">H", 0xFFF0))


def _misreport_fragments(path, page: int) -> None:
    """A b-tree page whose header misstates its fragmented bytes: readable, but ``quick_check`` reports it."""
    with open(path, "r+b") as handle:
        size = struct.unpack(">H", (handle.seek(16), handle.read(2))[1])[0]
        offset = (page - 1) * size + (100 if page == 1 else 0) + 7
        value = (handle.seek(offset), handle.read(1))[1][0]
        handle.seek(offset)
        handle.write(bytes([(value + 7) % 60]))


def _checkpoint(path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def test_a_damaged_local_database_is_refused_before_anything_is_written(folder):
    device = _device_with_rows(folder)
    _checkpoint(device.path)
    _break_page(device.path, _page_of(device.path, "ix_enterprise_name"))  # no export step reads it before the check
    with sqlite3.connect(device.path) as connection:
        seq_before = connection.execute("SELECT value FROM local_meta WHERE key = 'sync_seq'").fetchone()
    out = folder / "out.db"
    with pytest.raises(UserError, match="本机数据库已损坏（SQLite 完整性检查"):
        export_database(device.path, out)
    assert sorted(p.name for p in folder.iterdir()) == ["a"]  # no file, no temporary file
    with sqlite3.connect(device.path) as connection:
        assert connection.execute("SELECT value FROM local_meta WHERE key = 'sync_seq'").fetchone() == seq_before


@pytest.mark.parametrize("tree", ["sync_stamp", "sync_version"])
def test_damage_that_the_digest_meets_while_the_check_runs_is_refused_as_damage(folder, tree):
    device = _device_with_rows(folder)
    device.export()
    _checkpoint(device.path)
    _break_page(device.path, _page_of(device.path, tree))  # read by the digest (stamps) or the copy's history
    with pytest.raises(UserError, match="本机数据库已损坏（SQLite 完整性检查"):
        export_database(device.path, folder / "out.db")
    assert sorted(p.name for p in folder.iterdir()) == ["a"]


def test_stamps_missing_or_left_over_are_repaired_in_the_copy_and_the_digest_is_the_receivers(folder):
    device = _device_with_rows(folder)
    device.export()
    with device.connect() as connection:  # as a bug would leave them: not listed as local changes
        connection.execute("DELETE FROM sync_stamp WHERE table_name = 'finding' AND row_id = "
                           "(SELECT min(id) FROM finding)")
        connection.execute("INSERT INTO sync_stamp VALUES ('inspection', 'ffffffff-no-such-row', ?)", ("0" * 64,))
    out = folder / "repaired.db"
    result = export_database(device.path, out)
    assert verify_export(out).manifest.content_sha256 == result.manifest.content_sha256
    with device.connect() as connection:  # the live stamps are not the export's to change
        assert connection.execute("SELECT count(*) FROM sync_stamp WHERE row_id = 'ffffffff-no-such-row'").fetchone()[0] == 1


def test_a_full_export_records_every_version_it_carried_and_only_those(folder):
    device = _device_with_rows(folder)
    first = export_database(device.path, folder / "one.db")
    enterprise = device.rows("enterprise")
    edited = sorted(enterprise)[0]
    device.update("enterprise", edited, 20, address="改过的地址")
    second = export_database(device.path, folder / "two.db")
    with device.connect() as connection:
        missing = connection.execute(
            "SELECT count(*) FROM sync_stamp AS s WHERE NOT EXISTS (SELECT 1 FROM sync_version AS v WHERE "
            "v.table_name = s.table_name AND v.row_id = s.row_id AND v.version = s.version)").fetchone()[0]
        by_seq = dict(connection.execute("SELECT seen_seq, count(*) FROM sync_version GROUP BY seen_seq").fetchall())
        edited_version = connection.execute("SELECT version FROM sync_stamp WHERE row_id = ?", (edited,)).fetchone()[0]
        seen = connection.execute("SELECT seen_seq FROM sync_version WHERE row_id = ? AND version = ?",
                                  (edited, edited_version)).fetchone()[0]
        local_history = sorted(connection.execute("SELECT * FROM sync_version"))
    assert missing == 0 and seen == second.seq
    assert by_seq[second.seq] == 1 and by_seq[first.seq] == sum(first.manifest.counts.values()) - \
        first.manifest.counts["sync_version"]  # the first carried every row's version, the second the edit only
    exported = sqlite3.connect(folder / "two.db")
    # the file's history is the local one as this export left it, seen_seq included (operation numbers only)
    assert sorted(exported.execute("SELECT * FROM sync_version")) == local_history
    assert exported.execute("SELECT count(*) FROM sync_version WHERE row_id = ?", (edited,)).fetchone()[0] == 2
    exported.close()


def test_the_check_of_the_written_file_looks_at_the_b_trees_the_export_wrote(folder):
    device = _device_with_rows(folder)
    out = folder / "out.db"
    export_database(device.path, out)
    text = read_manifest_text(sqlite3.connect(f"file:{out}?mode=ro", uri=True))
    manifest = Manifest.from_json(text)
    verify_written(out, manifest, [], text, written=("sync_version", "local_meta", "sqlite_schema"))
    _misreport_fragments(out, _page_of(out, "sync_version"))
    verify_written(out, manifest, [], text, written=("local_meta",))  # a b-tree the check is not told of
    with pytest.raises(ExportRefused, match="写入后已损坏（SQLite 完整性检查"):
        verify_written(out, manifest, [], text, written=("sync_version", "local_meta", "sqlite_schema"))
    with pytest.raises(ExportRefused):
        verify_written(out, manifest, [], text)  # the whole file, as for an export made through the backup API


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16le"])
def test_digest_lines_made_by_sqlite_are_the_utf8_lines_whatever_the_file_encoding(tmp_path, encoding):
    import hashlib

    from inspector.core.sync.full_export import _Lines

    connection = sqlite3.connect(tmp_path / "lines.db")
    connection.execute(f"PRAGMA encoding = '{encoding}'")
    connection.execute("CREATE TABLE t (a TEXT, b TEXT)")
    rows = [("兴国县", "é\t1"), ("b", "")]
    connection.executemany("INSERT INTO t VALUES (?, ?)", rows)
    lines = _Lines(connection, "main")
    assert lines.raw == (encoding == "UTF-8")
    digest = hashlib.sha256()
    assert lines.feed(digest, f"SELECT {lines.of(chr(39) + 'h' + chr(39), 'a', 'b')} FROM t ORDER BY rowid") == 2
    assert digest.hexdigest() == hashlib.sha256("".join(f"h\t{a}\t{b}\n" for a, b in rows).encode()).hexdigest()
    connection.close()
