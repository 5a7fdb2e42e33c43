"""Office → laptop: the server writes the laptop's export file; a laptop merges it with its unchanged merge."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from inspector.cli import main
from inspector.core.records.enterprises import create_enterprise, list_enterprises, update_enterprise
from inspector.core.records.inspectors import list_inspectors, set_inspector_active
from inspector.core.sync.export import ExportOptions
from inspector.core.sync.merge import merge_files
from inspector.core.sync.rows import SYNC_ORDER
from inspector.core.sync.selection import ExportFilter
from inspector.core.sync.server_export import export_from_server
from inspector.core.sync.server_snapshot import column_kinds
from inspector.core.sync.status import content_fingerprint
from inspector.core.sync.verify import verify_export
from inspector.db.database import Database


def seed_server_from(laptop: Path, db) -> dict[str, int]:
    """The office server after merging a laptop's whole database: every synced row and its history, written
    with plain SQL as a merge writes them (JSON text kept as it is, booleans and dates as the server's types)."""
    source = sqlite3.connect(laptop)
    counts = {}
    try:
        with db.engine.begin() as connection:
            for table in (*SYNC_ORDER, "sync_version"):
                columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
                kinds = column_kinds(table)
                values = ", ".join(f"CAST(:c{i} AS JSON)" if kinds.get(name) == "json" else f":c{i}"
                                   for i, name in enumerate(columns))
                names = ", ".join(f'"{name}"' for name in columns)
                rows = [{f"c{i}": _server_value(kinds.get(name), value) for i, (name, value) in
                         enumerate(zip(columns, row))} for row in source.execute(f"SELECT {names} FROM {table}")]
                if rows:
                    connection.execute(text(f'INSERT INTO "{table}" ({names}) VALUES ({values})'), rows)
                counts[table] = len(rows)
    finally:
        source.close()
    return counts


def _server_value(kind, value):
    if value is None:
        return None
    if kind == "bool":
        return bool(value)
    if kind == "date":
        return date.fromisoformat(value)
    return value


def ids_in(path: Path, table: str) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute(f"SELECT id FROM {table}")}
    finally:
        connection.close()


@pytest.fixture(scope="module")
def office_laptop(tmp_path_factory) -> Path:
    """Laptop A's database: a demo with today's cases, number blocks and issued documents (PDFs)."""
    from inspector.core.demo.generate import build_demo
    from inspector.services import Services

    folder = tmp_path_factory.mktemp("laptop-a")
    services = Services(folder)
    build_demo(services.db, services.checklists.checklists, seed=5, inspections=8, living_office=True)
    services.close()
    return folder / "inspector.db"


@pytest.fixture
def office(office_laptop, pg_db):
    counts = seed_server_from(office_laptop, pg_db)
    assert counts["photo"] > 0 and counts["notice"] > 0 and counts["finding"] > 0
    return pg_db


@pytest.fixture
def laptop_b(tmp_path):
    path = tmp_path / "b" / "inspector.db"
    path.parent.mkdir()
    db = Database.open(path, path.parent / "backups")
    yield db
    db.close()


def test_a_full_export_from_the_server_gives_a_laptop_exactly_the_office_data(office, office_laptop, laptop_b, tmp_path):
    out = tmp_path / "office.db"
    result = export_from_server(office, out, ExportOptions(target="笔记本B"))
    verified = verify_export(out)  # the laptop's own verification accepts the file
    assert verified.manifest.device_id == office.device_id and result.photos > 0
    report = merge_files(laptop_b.path, [out], backups_dir=tmp_path / "b" / "backups")
    assert report.conflicts == [] and report.total("added") == sum(result.counts.values())
    # same rows, same version hashes: JSON text, booleans, dates and blobs came through exactly
    assert content_fingerprint(laptop_b.path) == content_fingerprint(office_laptop)


def test_the_laptop_the_rows_came_from_finds_them_unchanged(office, office_laptop, tmp_path):
    import shutil

    laptop_a = tmp_path / "a" / "inspector.db"
    laptop_a.parent.mkdir()
    shutil.copy(office_laptop, laptop_a)
    out = tmp_path / "office.db"
    export_from_server(office, out, ExportOptions(target="笔记本A"))
    report = merge_files(laptop_a, [out], backups_dir=tmp_path / "a" / "backups")
    assert report.conflicts == [] and report.changes == 0 and report.total("unchanged") > 100


def test_office_changes_reach_the_laptop_and_since_last_carries_only_new_changes(office, laptop_b, tmp_path):
    from inspector.core.documents.numbering import add_block
    from inspector.core.loop.hazards import set_deadline

    options = ExportOptions(since_last=True, target="笔记本B")
    first = tmp_path / "first.db"
    export_from_server(office, first, options)
    merge_files(laptop_b.path, [first], backups_dir=tmp_path / "b" / "backups")

    # the office's day: a new enterprise, a corrected address, an inspector retired, a block for laptop B,
    # a hazard's deadline moved
    new = create_enterprise(office, name="兴国县新登记机械有限公司", address="经开区二路")
    old = list_enterprises(office)[0]
    update_enterprise(office, old.id, name=old.name, credit_code=old.credit_code or "", address="办公室核实的新地址")
    retired, clerk = list_inspectors(office)[:2]
    set_inspector_active(office, retired.id, active=False)
    block = add_block(office, kind="order", prefix="兴经开安改", year=2027, first=1, last=50,
                      device_id=laptop_b.device_id)
    with office.engine.connect() as connection:
        finding_id = connection.execute(text("SELECT id FROM finding WHERE result = 'fail' AND status = 'pending' "
                                             "AND deleted_at IS NULL ORDER BY id LIMIT 1")).scalar_one()
    set_deadline(office, finding_id, date(2027, 1, 15), clerk.id, "办公室延期")

    second = tmp_path / "second.db"
    result = export_from_server(office, second, options)
    verify_export(second)
    assert ids_in(second, "enterprise") >= {new.id, old.id}
    assert ids_in(second, "number_block") == {block.id} and ids_in(second, "inspector") >= {retired.id}
    assert finding_id in ids_in(second, "finding") and len(ids_in(second, "hazard_event")) == 1
    assert result.records < 20  # the changes and their parents, not the office's whole database
    merge_files(laptop_b.path, [second], backups_dir=tmp_path / "b" / "backups")

    connection = sqlite3.connect(laptop_b.path)
    try:
        assert connection.execute("SELECT address FROM enterprise WHERE id = ?", (old.id,)).fetchone()[0] == "办公室核实的新地址"
        assert connection.execute("SELECT name FROM enterprise WHERE id = ?", (new.id,)).fetchone()[0] == new.name
        assert connection.execute("SELECT active FROM inspector WHERE id = ?", (retired.id,)).fetchone()[0] == 0
        assert connection.execute("SELECT deadline FROM finding WHERE id = ?", (finding_id,)).fetchone()[0] == "2027-01-15"
        assert connection.execute("SELECT assigned_device_id, first, last FROM number_block WHERE id = ?",
                                  (block.id,)).fetchone() == (laptop_b.device_id, 1, 50)
    finally:
        connection.close()

    third = tmp_path / "third.db"  # nothing changed since: an empty export
    assert export_from_server(office, third, options).records == 0
    other = tmp_path / "other.db"  # another target still gets everything
    assert export_from_server(office, other, ExportOptions(since_last=True, target="笔记本C")).records > 100


def test_a_filtered_export_carries_one_enterprise_with_its_parents(office, tmp_path):
    with office.engine.connect() as connection:
        enterprise_id = connection.execute(text("SELECT enterprise_id FROM inspection ORDER BY id LIMIT 1")).scalar_one()
    out = tmp_path / "one.db"
    export_from_server(office, out, ExportOptions(filter=ExportFilter(enterprise_id=enterprise_id)))
    verify_export(out)
    assert ids_in(out, "enterprise") == {enterprise_id}
    connection = sqlite3.connect(out)
    try:
        assert {row[0] for row in connection.execute("SELECT enterprise_id FROM inspection")} == {enterprise_id}
    finally:
        connection.close()


def test_a_failed_export_leaves_no_file_and_no_record(office, tmp_path, monkeypatch):
    from inspector.core.sync import server_export
    from inspector.errors import UserError

    def broken(temp):
        raise UserError("导出文件校验失败，未生成文件：测试")

    def meta():
        with office.engine.connect() as connection:
            return connection.execute(text("SELECT key, value FROM local_meta ORDER BY key")).all()

    monkeypatch.setattr(server_export, "_verify", broken)
    out = tmp_path / "x.db"
    before = meta()
    with pytest.raises(UserError):
        export_from_server(office, out, ExportOptions(since_last=True))
    assert list(tmp_path.iterdir()) == []
    with office.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM sync_log")).scalar_one() == 0
    assert meta() == before  # the operation number given back: no sync_seq row left where there was none
    monkeypatch.undo()
    export_from_server(office, out, ExportOptions(since_last=True))  # and the next export takes number 1
    with office.engine.connect() as connection:
        assert connection.execute(text("SELECT value FROM local_meta WHERE key = 'sync_seq'")).scalar_one() == "1"


def test_export_command_on_the_server(office, data_dir, tmp_path, capsys, pg_url):
    out = tmp_path / "office.inspector"
    common = ["--data-dir", str(data_dir), "--database", pg_url]
    assert main([*common, "export", "--out", str(out), "--since-last", "--target", "笔记本B", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["records"] > 100 and summary["manifest"]["kind"] == "since_last"
    assert main([*common, "export", "--out", str(out), "--since-last", "--target", "笔记本B"]) == 1
    assert "已存在" in capsys.readouterr().err  # never over an existing file without --force
    assert main([*common, "export", "--out", str(out), "--since-last", "--target", "笔记本B", "--force"]) == 0
    assert "记录 0 条" in capsys.readouterr().out
    assert main([*common, "export", "--out", str(tmp_path / "e.db"), "--enterprise", "no-such-id"]) != 0
    assert "找不到企业" in capsys.readouterr().err
