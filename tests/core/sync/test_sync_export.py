"""Exports: manifest, consistent snapshot while writing, since-last per target, filters, failures."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from datetime import date

import pytest

from inspector.core.sync.export import export_database
from inspector.core.sync.manifest import FORMAT, Manifest
from inspector.core.sync.selection import ExportFilter
from inspector.core.sync.status import unexported
from inspector.core.sync.verify import ExportRefused, verify_export
from inspector.db import migrations
from inspector.errors import UserError
from tests.core.sync.test_sync_support import Device, stamp


def ids_in(path, table: str) -> set[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[0] for row in connection.execute(f"SELECT id FROM {table}")}
    finally:
        connection.close()


def test_a_full_export_carries_everything_and_a_manifest_that_vouches_for_it(demo_dir, tmp_path):
    out = tmp_path / "full.db"
    result = export_database(demo_dir / "inspector.db", out)
    connection = sqlite3.connect(out)
    manifest = Manifest.from_json(connection.execute("SELECT value FROM export_manifest").fetchone()[0])
    assert manifest.format == FORMAT and manifest.schema_version == migrations.latest_version()
    assert manifest.kind == "full" and len(manifest.device_id) == 36 and manifest.exported_at.endswith("Z")
    local = sqlite3.connect(demo_dir / "inspector.db")
    for table, count in manifest.counts.items():
        assert count == local.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
    photos = dict(connection.execute("SELECT id, jpeg FROM photo").fetchall())
    assert photos and manifest.photos == {i: hashlib.sha256(jpeg).hexdigest() for i, jpeg in photos.items()}
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert connection.execute("SELECT count(*) FROM local_meta").fetchone()[0] == 0  # nothing local travels
    assert verify_export(out).manifest.content_sha256 == manifest.content_sha256 == result.manifest.content_sha256
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo", "full.db"]  # no temporary file left behind


def test_export_is_a_consistent_snapshot_while_the_app_keeps_writing(demo_dir, tmp_path):
    database, stop = demo_dir / "inspector.db", threading.Event()

    def keep_writing():
        writer = sqlite3.connect(database, timeout=10)
        row = writer.execute("SELECT * FROM enterprise LIMIT 1").fetchone()
        names = [d[1] for d in writer.execute("PRAGMA table_info(enterprise)")]
        n = 0
        while not stop.is_set():
            n += 1
            values = dict(zip(names, row)) | {"id": f"00000000-0000-4000-8000-{n:012d}", "name": f"并发写入{n}"}
            writer.execute(f"INSERT INTO enterprise ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                           list(values.values()))
            writer.commit()
            time.sleep(0.002)
        writer.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        results = [export_database(database, tmp_path / f"e{i}.db") for i in range(2)]
    finally:
        stop.set()
        thread.join()
    written = sqlite3.connect(database).execute("SELECT count(*) FROM enterprise WHERE name LIKE '并发写入%'").fetchone()[0]
    assert written > 0
    for result in results:
        verified = verify_export(result.path)  # the file is complete and consistent with its manifest
        assert verified.manifest.counts["enterprise"] == len(ids_in(result.path, "enterprise"))


def test_since_last_sends_only_what_changed_with_its_parents(folder):
    device = Device(folder / "a", "a")
    enterprise = device.enterprise(1)
    inspection = device.inspection(2, enterprise)
    findings = [device.finding(3, inspection, f"隐患{i}") for i in range(3)]
    other = device.enterprise(4, "另一家")
    first = device.export(since_last=True)
    assert ids_in(first, "finding") == set(findings)
    assert ids_in(device.export(since_last=True), "finding") == set()
    device.update("finding", findings[1], 10, description="改过")
    photo = device.photo(11, findings[2])
    changed = device.export(since_last=True)
    assert ids_in(changed, "finding") == {findings[1], findings[2]} and ids_in(changed, "photo") == {photo}
    assert ids_in(changed, "inspection") == {inspection} and ids_in(changed, "enterprise") == {enterprise}
    assert other not in ids_in(changed, "enterprise")
    empty = Device(folder / "b", "b")
    empty.merge(changed)  # parents travel with the change, so even an empty database takes it
    assert set(empty.rows("finding")) == {findings[1], findings[2]}


def test_since_last_is_kept_per_target(folder):
    device = Device(folder / "a", "a")
    enterprise = device.enterprise(1)
    device.export(since_last=True, target="office")
    device.update("enterprise", enterprise, 5, address="新地址")
    assert ids_in(device.export(since_last=True, target="office"), "enterprise") == {enterprise}
    assert ids_in(device.export(since_last=True, target="colleague"), "enterprise") == {enterprise}
    assert ids_in(device.export(since_last=True, target="office"), "enterprise") == set()


def test_since_last_to_the_office_leaves_out_what_came_from_the_office(folder):
    inspector, office = Device(folder / "i", "i"), Device(folder / "o", "o")
    mine = inspector.enterprise(1, "检查员的企业")
    office.merge(inspector.export(since_last=True, target="office"))
    theirs = office.enterprise(2, "办公室的企业")
    inspector.merge(office.export(target="inspectors"))  # the office's file names the export it merged
    inspector.update("enterprise", mine, 10, address="改过")
    again = inspector.export(since_last=True, target="office")
    assert ids_in(again, "enterprise") == {mine}  # the office's own enterprise does not go back to it
    assert theirs in ids_in(inspector.export(since_last=True, target="colleague"), "enterprise")


def test_exports_filtered_by_enterprise_and_dates(folder):
    device = Device(folder / "a", "a")
    first, second = device.enterprise(1, "甲企业"), device.enterprise(1, "乙企业")
    march = device.inspection(0, first)
    device.finding(0, march)
    device.update("inspection", march, 1, started_at="2026-03-01T02:00:00.000000Z")
    april = device.insert("inspection", 2, enterprise_id=first, started_at="2026-04-02T02:00:00.000000Z")
    other = device.insert("inspection", 3, enterprise_id=second, started_at="2026-03-05T02:00:00.000000Z")
    by_enterprise = device.export(filter=ExportFilter(enterprise_id=first))
    assert ids_in(by_enterprise, "inspection") == {march, april} and ids_in(by_enterprise, "enterprise") == {first}
    assert len(ids_in(by_enterprise, "finding")) == 1
    in_march = device.export(filter=ExportFilter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)))
    assert ids_in(in_march, "inspection") == {march, other} and ids_in(in_march, "enterprise") == {first, second}
    both = device.export(filter=ExportFilter(enterprise_id=second, date_from=date(2026, 3, 1)))
    assert ids_in(both, "inspection") == {other}
    empty = Device(folder / "b", "b")
    empty.merge(in_march)
    assert set(empty.rows("inspection")) == {march, other}


def test_a_filtered_export_does_not_move_the_since_last_mark(folder):
    device = Device(folder / "a", "a")
    first, second = device.enterprise(1, "甲"), device.enterprise(1, "乙")
    device.export(filter=ExportFilter(enterprise_id=first))
    assert ids_in(device.export(since_last=True), "enterprise") == {first, second}


def test_unexported_counts_local_changes_only(folder):
    a, b = Device(folder / "a", "a"), Device(folder / "b", "b")
    enterprise = a.enterprise(1)
    a.photo(3, a.finding(2, a.inspection(2, enterprise)))
    assert (unexported(a.path).records, unexported(a.path).photos) == (3, 1)
    b.merge(a.export())
    assert not unexported(a.path).any and not unexported(b.path).any  # what came by merge is not b's to send
    b.update("enterprise", enterprise, 9, address="b 改")
    assert (unexported(b.path).records, unexported(b.path).photos) == (1, 0)


def test_the_count_follows_every_change_through_the_stamps(folder):
    import inspector.core.sync.status as status

    a, b = Device(folder / "a", "a"), Device(folder / "b", "b")
    enterprise = a.enterprise(1)
    first = status.unexported_if_changed(a.path)
    assert first.records == 1 and status.unexported_if_changed(a.path) == first
    a.export()
    assert not status.unexported_if_changed(a.path).any
    a.update("enterprise", enterprise, 5, address="改")
    assert status.unexported_if_changed(a.path).records == 1  # an edit after the export: counted
    a.export()
    assert not status.unexported_if_changed(a.path).any
    b.merge(a.export())
    assert not status.unexported_if_changed(b.path).any
    b.update("enterprise", enterprise, 9, address="b 改")
    assert status.unexported_if_changed(b.path).records == 1
    assert status.unexported(b.path) == status.unexported_rehashed(b.path)


def test_before_the_stamps_are_seeded_the_count_rehashes_only_after_a_change(folder, monkeypatch):
    import inspector.core.sync.status as status
    from inspector.core.sync.stamps import SEED_KEY

    a = Device(folder / "a", "a")
    enterprise = a.enterprise(1)
    connection = sqlite3.connect(a.path)
    with connection:
        connection.execute("INSERT INTO local_meta (key, value) VALUES (?, '1')", (SEED_KEY,))
    connection.close()
    counted = []
    monkeypatch.setattr(status, "unexported", lambda path: counted.append(path) or status.unexported_rehashed(path))
    first = status.unexported_if_changed(a.path)
    assert status.unexported_if_changed(a.path) == first and len(counted) == 1  # nothing changed: no recount
    a.update("enterprise", enterprise, 5, address="改")
    assert status.unexported_if_changed(a.path) == first and len(counted) == 2  # an edit: counted again


def test_a_failed_verification_leaves_no_file(demo_dir, tmp_path, monkeypatch):
    import inspector.core.sync.export as export

    def refuse(path, manifest, samples, *more, **options):
        raise ExportRefused("校验不通过（测试）")

    monkeypatch.setattr(export, "verify_written", refuse)
    with pytest.raises(UserError, match="导出文件校验失败"):
        export.export_database(demo_dir / "inspector.db", tmp_path / "x.db")
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]


def test_export_refuses_to_overwrite_the_database_itself_or_write_into_a_missing_folder(demo_dir, tmp_path):
    with pytest.raises(UserError, match="不能覆盖"):
        export_database(demo_dir / "inspector.db", demo_dir / "inspector.db")
    with pytest.raises(UserError, match="不存在"):
        export_database(demo_dir / "inspector.db", tmp_path / "missing" / "x.db")


def test_export_and_merge_log_what_they_did(folder):
    a, b = Device(folder / "a", "a"), Device(folder / "b", "b")
    a.enterprise(1)
    file = a.export()
    b.merge(file)
    log = sqlite3.connect(b.path).execute("SELECT kind, peer_device_id, details FROM sync_log").fetchall()
    assert [(kind, peer) for kind, peer, _ in log] == [("merge", a.device_id)]
    assert json.loads(log[0][2])["summary"]["added"] == 1
    assert sqlite3.connect(a.path).execute("SELECT kind FROM sync_log").fetchall() == [("export",)]
    assert stamp(0).endswith("Z")


def test_sync_timestamps_have_the_database_format():
    from inspector.core.sync.rows import now_text
    from inspector.db.types import from_utc_text, to_utc_text

    text = now_text()
    assert to_utc_text(from_utc_text(text)) == text and len(text) == 27
