"""Damaged and foreign files are refused with a clear message, and the local database is left byte for byte."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from inspector.cli import main
from inspector.db import migrations
from tests.core.sync.test_sync_support import Device, fast_tmp_dir


@pytest.fixture(scope="module")
def good_export(tmp_path_factory) -> Path:
    """A sound export with photos and a notice, made once."""
    folder = fast_tmp_dir()
    try:
        device = Device(folder / "peer", "peer")
        enterprise = device.enterprise(1)
        finding = device.finding(2, device.inspection(2, enterprise))
        device.photo(3, finding, picture=0)
        device.photo(4, finding, picture=1)
        device.notice(5, enterprise)
        target = tmp_path_factory.mktemp("good") / "peer.db"
        shutil.copy(device.export(), target)
        return target
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edit(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def _text(path, good):
    path.write_text("检查记录,企业\n1,兴国县\n", encoding="utf-8")


def _empty(path, good):
    path.write_bytes(b"")


def _garbage_with_header(path, good):
    path.write_bytes(migrations.SQLITE_HEADER + bytes(range(256)) * 40)


def _foreign(path, good):
    edit(path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)", "INSERT INTO notes (body) VALUES ('x')")


def _foreign_app_id(path, good):
    shutil.copy(good, path)
    edit(path, "PRAGMA application_id = 1234")


def _truncated(path, good):
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _cut_mid_page(path, good):
    data = good.read_bytes()
    path.write_bytes(data[:-100])


def _damaged_pages(path, good):
    data = bytearray(good.read_bytes())
    page = 4096
    for start in range(page * 2, len(data) - page, page * 3):
        data[start:start + 64] = b"\xde\xad\xbe\xef" * 16
    path.write_bytes(bytes(data))


def _tampered_row(path, good):
    shutil.copy(good, path)
    edit(path, "UPDATE finding SET description = '被改过的描述'")


def _text_not_utf8(path, good):  # sqlite3 decodes every text value: a forged one must be refused, not crash
    shutil.copy(good, path)
    edit(path, "UPDATE finding SET description = CAST(X'BEADDEEF' AS TEXT)")


def _tampered_photo(path, good):
    shutil.copy(good, path)
    edit(path, "UPDATE photo SET jpeg = CAST(substr(jpeg, 1, length(jpeg) - 10) || zeroblob(10) AS BLOB) WHERE seq = 0")


def _tampered_photo_and_its_hash(path, good):
    shutil.copy(good, path)
    edit(path, "UPDATE photo SET jpeg = zeroblob(100), jpeg_sha256 = lower(hex(zeroblob(32)))")


def _newer_schema(path, good):
    shutil.copy(good, path)
    edit(path, f"PRAGMA user_version = {migrations.latest_version() + 1}")


def _older_schema(path, good):
    shutil.copy(good, path)
    edit(path, "PRAGMA user_version = 2")


def _newer_format(path, good):
    shutil.copy(good, path)
    connection = sqlite3.connect(path)
    manifest = json.loads(connection.execute("SELECT value FROM export_manifest").fetchone()[0])
    connection.execute("UPDATE export_manifest SET value = ?", (json.dumps(manifest | {"format_version": 99}),))
    connection.commit()
    connection.close()


def _no_manifest(path, good):
    shutil.copy(good, path)
    edit(path, "DROP TABLE export_manifest")


def _broken_manifest(path, good):
    shutil.copy(good, path)
    edit(path, "UPDATE export_manifest SET value = '{not json'")


def _data_database(path, good):
    device = Device(path.parent / "other-laptop", "other")
    device.enterprise(1)
    shutil.copy(device.path, path)


CASES = {
    "text": (_text, "不是 SQLite"),
    "empty": (_empty, "不是 SQLite"),
    "garbage-with-header": (_garbage_with_header, "不完整"),
    "foreign-database": (_foreign, "其他程序"),
    "foreign-application-id": (_foreign_app_id, "其他程序"),
    "truncated-half": (_truncated, "不完整"),
    "truncated-mid-page": (_cut_mid_page, "不完整"),
    "damaged-pages": (_damaged_pages, "损坏"),
    "text-not-utf8": (_text_not_utf8, "损坏"),
    "tampered-row": (_tampered_row, "内容校验失败"),
    "tampered-photo": (_tampered_photo, "照片"),
    "tampered-photo-and-hash": (_tampered_photo_and_its_hash, "校验失败"),
    "newer-schema": (_newer_schema, "更新版本"),
    "older-schema": (_older_schema, "旧版本"),
    "newer-export-format": (_newer_format, "更新的导出格式"),
    "no-manifest": (_no_manifest, "不是导出文件"),
    "broken-manifest": (_broken_manifest, "导出清单已损坏"),
    "a-data-database": (_data_database, "不是导出文件"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_is_refused_and_the_local_database_is_untouched(case, good_export, demo_dir, tmp_path, capsys):
    make, expected = CASES[case]
    bad = tmp_path / f"{case}.db"
    make(bad, good_export)
    bad_before = digest(bad)
    database = demo_dir / "inspector.db"
    before, backups_before = digest(database), sorted((demo_dir / "backups").iterdir())
    for argv in (["merge", "--dry-run", str(bad)], ["merge", str(bad)]):
        code = main(["--data-dir", str(demo_dir), *argv])
        err = capsys.readouterr().err
        assert code != 0
        assert err.startswith("错误：") and expected in err and err.count("\n") == 1 and "Traceback" not in err, err
    assert digest(database) == before and not (demo_dir / "inspector.db-wal").exists()
    assert sorted((demo_dir / "backups").iterdir()) == backups_before  # refused before any backup
    assert digest(bad) == bad_before  # verifying never writes to the incoming file


def test_one_bad_file_refuses_the_whole_merge(good_export, demo_dir, tmp_path, capsys):
    bad = tmp_path / "bad.db"
    _tampered_row(bad, good_export)
    before = digest(demo_dir / "inspector.db")
    assert main(["--data-dir", str(demo_dir), "merge", str(good_export), str(bad)]) != 0
    assert "所有文件均未合并" in capsys.readouterr().err
    assert digest(demo_dir / "inspector.db") == before


def test_a_missing_file_is_refused(demo_dir, tmp_path, capsys):
    assert main(["--data-dir", str(demo_dir), "merge", str(tmp_path / "nowhere.db")]) != 0
    assert "找不到文件" in capsys.readouterr().err


def test_the_sound_file_the_bad_ones_came_from_merges(good_export, demo_dir, capsys):
    assert main(["--data-dir", str(demo_dir), "merge", str(good_export)]) == 0
    assert "合并完成" in capsys.readouterr().out
