"""The photo and PDF lists of a full export read on the snapshot by the checking thread, and their JSON made there:
the manifest text is the one :func:`~.verify.manifest_json` makes, byte for byte, and what the receiver accepts."""

from __future__ import annotations

import sqlite3

import pytest

from inspector.core.sync import export as export_module
from inspector.core.sync.export import export_database
from inspector.core.sync.full_export import manifest_text, snapshot_blobs
from inspector.core.sync.manifest import Manifest, read_manifest_text
from inspector.core.sync.verify import manifest_json, verify_export
from tests.core.sync.test_sync_support import Device


def _device(folder) -> Device:
    device = Device(folder / "a", "a")
    for n in range(4):
        enterprise = device.enterprise(1 + n, name=f"兴国县清单{n}号有限公司")
        device.photo(3 + n, device.finding(2 + n, device.inspection(2 + n, enterprise)), picture=n % 3)
    return device


def test_the_spliced_manifest_text_is_manifest_json_byte_for_byte(folder):
    device = _device(folder)
    with sqlite3.connect(device.path) as connection:
        blobs = snapshot_blobs(connection)
    assert len(blobs.photos) == 4
    manifest = Manifest(export_id="e", device_id=device.device_id, exported_at="2026-12-01T00:00:00.000000Z",
                        schema_version=8, kind="full", counts={"photo": 4}, content_sha256="0" * 64,
                        photos=blobs.photos, notices=blobs.notices, target="办公室",
                        filters={"note": "\x00photos 引号\" 反斜杠\\"})  # control characters, quotes
    assert manifest_text(manifest, blobs) == manifest_json(manifest)
    assert manifest_text(manifest) == manifest_json(manifest)


def test_a_full_export_lists_the_snapshots_photos_and_the_receiver_accepts_it(folder, monkeypatch):
    device = _device(folder)
    read_on = []
    real = export_module.blob_hashes

    def recorded(connection, table, column, schema="main"):
        read_on.append(schema)
        return real(connection, table, column, schema)

    monkeypatch.setattr(export_module, "blob_hashes", recorded)
    out = folder / "out.db"
    result = export_database(device.path, out)
    assert read_on == []  # not read from the copy on the main thread: the snapshot's lists were used
    manifest = verify_export(out).manifest
    assert manifest.photos == result.manifest.photos and len(manifest.photos) == 4
    with sqlite3.connect(f"file:{out}?mode=ro", uri=True) as connection:
        assert read_manifest_text(connection) == manifest_json(result.manifest)


def test_a_written_b_tree_damaged_before_the_check_is_refused_by_the_check_beside_the_others(folder, monkeypatch):
    from inspector.errors import UserError
    from tests.core.sync.test_full_export import _misreport_fragments, _page_of

    device = _device(folder)
    device.export()
    device.update("enterprise", sorted(device.rows("enterprise"))[0], 30, address="改过的地址")
    real = export_module._add_triggers

    def damaged(temp, triggers):  # the file is finished: damage the history's b-tree the export wrote into
        real(temp, triggers)
        _misreport_fragments(temp, _page_of(temp, "sync_version"))

    monkeypatch.setattr(export_module, "_add_triggers", damaged)
    out = folder / "out.db"
    with pytest.raises(UserError, match="导出文件校验失败.*写入后已损坏（SQLite 完整性检查"):
        export_database(device.path, out)
    assert sorted(p.name for p in folder.iterdir()) == ["a"]  # no file, no temporary file
