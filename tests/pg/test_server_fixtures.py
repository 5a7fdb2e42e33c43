"""Released office server databases (tests/fixtures/pg/schema_vN.sql, one per server schema version) on a
real server: each holds the schema its version released, opens with the app (upgraded step by step to the
latest version, every row kept), equals the models, and the office's work on it gives what it gives on
the SQLite fixture of the same content: dashboard, ledger, notices and verify, and merging a laptop's export."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from sqlalchemy import create_engine, inspect, text

from inspector.db import migrations, server
from tests.conftest import rebind_device
from tests.pg.fixture_files import (PG_FIXTURES, build_server_at, load_fixture, released_server_versions,
                                    server_fixtures, sqlite_at, version_of)

FIXTURES = server_fixtures()
ADDED_BY_STEPS = {"local_meta", "number_claim"}  # rehash markers (steps 4, 5) and the claims of blocks (step 6)


def test_every_released_server_version_has_its_fixture():
    missing = [v for v in released_server_versions() if not (PG_FIXTURES / f"schema_v{v}.sql").exists()]
    assert not missing, ("add the server fixture: PYTHONPATH=. python tests/fixtures/make_pg_fixtures.py "
                         + " ".join(map(str, missing)))
    assert [version_of(p) for p in FIXTURES] == released_server_versions()


@pytest.fixture(params=FIXTURES, ids=lambda p: p.name)
def fixture(request):
    return request.param


def stamped_version(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version FROM schema_version")).scalar_one()
    finally:
        engine.dispose()


def schema_of(url: str) -> dict:
    """Tables with their columns (type, nullability, default), keys, foreign keys and indexes."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = inspect(connection)
            return {table: {
                "columns": [(c["name"], str(c["type"]), c["nullable"], c["default"]) for c in found.get_columns(table)],
                "primary_key": found.get_pk_constraint(table)["constrained_columns"],
                "foreign_keys": sorted((f["constrained_columns"], f["referred_table"], f["referred_columns"])
                                       for f in found.get_foreign_keys(table)),
                "indexes": sorted((i["name"], i["column_names"], bool(i["unique"])) for i in found.get_indexes(table)),
            } for table in sorted(found.get_table_names())}
    finally:
        engine.dispose()


def rows_of(url: str) -> dict[str, dict[tuple, dict]]:
    """Every row of every table as text (bytea as hex, JSON verbatim), keyed by primary key."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found, rows = inspect(connection), {}
            for table in found.get_table_names():
                names = [c["name"] for c in found.get_columns(table)]
                keys = found.get_pk_constraint(table)["constrained_columns"]
                select = ", ".join(f'CAST("{n}" AS TEXT)' for n in names)
                rows[table] = {}
                for row in connection.execute(text(f"SELECT {select} FROM {table}")):
                    values = dict(zip(names, row))
                    rows[table][tuple(values[k] for k in keys)] = values
            return rows
    finally:
        engine.dispose()


def test_the_fixture_holds_the_schema_its_version_released(fixture, pg_cluster):
    """The chain of today, run to the fixture's version, still builds what that version released."""
    loaded, built = pg_cluster.create_database(), pg_cluster.create_database()
    load_fixture(loaded, fixture)
    build_server_at(built, version_of(fixture))
    assert stamped_version(loaded) == stamped_version(built) == version_of(fixture)
    assert schema_of(loaded) == schema_of(built)


@pytest.fixture(scope="module")
def latest_schema(pg_cluster) -> dict:
    from inspector.db.database import Database

    from sqlmodel import SQLModel

    import inspector.db.models  # noqa: F401  (fills the metadata)

    url = pg_cluster.create_database()
    Database.open_url(url).close()
    schema = schema_of(url)
    models = {t.name: {c.name: bool(c.nullable) for c in t.columns} for t in SQLModel.metadata.sorted_tables}
    assert {t: {c[0]: c[2] for c in v["columns"]} for t, v in schema.items() if t != "schema_version"} == models
    return schema


def test_opening_the_fixture_upgrades_it_step_by_step_keeping_every_row(fixture, pg_cluster, latest_schema,
                                                                        monkeypatch):
    from inspector.db.database import Database

    url = pg_cluster.create_database()
    load_fixture(url, fixture)
    before = rows_of(url)
    assert all(before[t] for t in ("enterprise", "inspector", "inspection", "finding", "photo", "hazard_event",
                                   "reinspection", "reinspection_item", "notice", "document_number", "number_block",
                                   "sync_version", "sync_log"))  # representative: every kind of office row
    ran = []
    real_step = server._run_server_step
    monkeypatch.setattr(server, "_run_server_step", lambda engine, version, name, sql: (
        ran.append(version), real_step(engine, version, name, sql)))
    Database.open_url(url).close()
    assert ran == list(range(version_of(fixture) + 1, migrations.latest_version() + 1))
    assert stamped_version(url) == migrations.latest_version()
    assert schema_of(url) == latest_schema  # the models' schema (tests/pg/test_server_schema.py checks those)
    after = rows_of(url)
    for table, rows in before.items():
        if table == "schema_version":
            continue
        kept = {key: {name: row[name] for name in before_row} for key, before_row in rows.items()
                for row in [after[table].get(key, {})] if row}
        assert kept == rows, table
        if table not in ADDED_BY_STEPS:
            assert len(after[table]) == len(rows), table
    live_blocks = [b for b in after["number_block"].values() if b["deleted_at"] is None]
    # Every number of every live block is claimed, once (two devices' overlapping blocks share a claim).
    wanted = {(b["kind"], b["prefix"], str(b["year"]), str(seq)) for b in live_blocks
              for seq in range(int(b["first"]), int(b["last"]) + 1)}
    assert set(after["number_claim"]) == wanted


# --- the office's work on an upgraded fixture, against the SQLite fixture of the same content ---------------

@pytest.fixture
def offices(fixture, pg_url, tmp_path):
    """(CLI options on the SQLite office, on the server office): the same content, both opened by the app."""
    sqlite_dir = tmp_path / "sqlite-office"
    sqlite_dir.mkdir()
    sqlite_at(version_of(fixture), sqlite_dir / "inspector.db")
    load_fixture(pg_url, fixture)
    server_dir = tmp_path / "server-office"
    return ["--data-dir", str(sqlite_dir)], ["--data-dir", str(server_dir), "--database", pg_url]


def run(capsys, *argv) -> tuple[int, str, str]:
    from inspector.cli import main

    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def both(capsys, offices, *argv, codes=(0,)) -> str:
    on_file, on_server = (run(capsys, *options, *argv) for options in offices)
    assert on_file[0] == on_server[0] and on_file[0] in codes, (on_file[2], on_server[2])
    assert on_server[1] == on_file[1], argv
    return on_server[1]


def test_the_office_work_on_the_upgraded_fixture_matches_the_sqlite_office(fixture, offices, capsys, tmp_path):
    listings_dashboard_ledger_and_numbers(offices, capsys, tmp_path)
    every_notice_exports_and_verifies(offices, capsys, tmp_path)
    a_laptop_export_merges_as_into_the_sqlite_office(fixture, offices, capsys, tmp_path)


def listings_dashboard_ledger_and_numbers(offices, capsys, tmp_path):
    for argv in (["enterprises", "--json"], ["inspections"], ["dashboard", "--json"], ["dashboard"],
                 ["notices", "--json"], ["notices"], ["numbers", "block", "list", "--all"]):
        both(capsys, offices, *argv)
    both(capsys, offices, "numbers", "report", codes=(0, 1))  # 1: it reports blocks two devices both hold (v8 has some)
    board = json.loads(both(capsys, offices, "dashboard", "--json"))
    assert board["complete"] and board["hazards"]
    ledgers = []
    for number, options in enumerate(offices):
        out = tmp_path / f"ledger{number}.csv"
        assert run(capsys, *options, "ledger", "--out", out)[0] == 0
        ledgers.append(list(csv.reader(out.open(encoding="utf-8-sig"))))
    assert ledgers[0] == ledgers[1] and len(ledgers[1]) > 10


def every_notice_exports_and_verifies(offices, capsys, tmp_path):
    notices = json.loads(both(capsys, offices, "notices", "--json"))
    assert notices
    for notice in notices:
        pdfs = []
        for number, options in enumerate(offices):
            pdf = tmp_path / f"{notice['id']}-{number}.pdf"
            assert run(capsys, *options, "notices", "export", notice["id"], "--out", pdf)[0] == 0
            pdfs.append(pdf.read_bytes())
        assert pdfs[0] == pdfs[1] and pdfs[1].startswith(b"%PDF")
        on_file, on_server = (run(capsys, *options, "verify", tmp_path / f"{notice['id']}-1.pdf") for options in offices)
        assert on_server[:2] == on_file[:2] and notice["number_text"] in on_server[1]
        assert on_server[0] == (0 if notice["status"] == "issued" else 1)


def a_laptop_export_merges_as_into_the_sqlite_office(fixture, offices, capsys, tmp_path):
    """A laptop holding the same data (a copy of the source, its own device id) edits a row and adds an
    enterprise, exports; merged into the server and into the SQLite office: the same rows and report."""
    from inspector.core.sync.export import export_database
    from inspector.core.sync.server_merge import merge_into_server
    from inspector.db.database import Database
    from inspector.services import Services
    from tests.pg.server_merge_support import file_state, server_state

    laptop_dir = make_laptop(fixture, tmp_path / "laptop")
    laptop = Services(laptop_dir)
    with laptop.db.session() as session:
        from sqlmodel import select

        from inspector.db.types import utcnow
        from inspector.db.models import Enterprise

        first = session.exec(select(Enterprise).order_by(Enterprise.updated_at, Enterprise.id)).first()  # not v7's edit
        first.address = "兴国县经开区工业大道 8 号（已搬迁）"
        first.rev += 1
        first.updated_at = utcnow()
        session.add(first)
        session.add(Enterprise(name="兴国县新来冷链有限公司", device_id=laptop.db.device_id))
    laptop.close()
    export = export_database(laptop_dir / "inspector.db", tmp_path / "laptop-export.db").path

    server_office = Database.open_url(offices[1][-1])
    office_file = offices[0][1] + "/inspector.db"
    assert server_state(server_office) == file_state(office_file)  # history included: rehashed on both
    reports = []
    for options in offices:
        code, out, err = run(capsys, *options, "merge", export, "--json")
        assert code == 0, err
        reports.append(json.loads(out))
    on_file, on_server = reports
    assert on_server["totals"] == on_file["totals"] and on_server["totals"]["conflicts"] == 0
    assert on_server["totals"]["added"] == 1 and on_server["totals"]["updated"] == 1
    state = server_state(server_office)
    assert state == file_state(office_file)
    again = merge_into_server(server_office, [export])
    assert again.changes == 0 and again.conflicts == [] and server_state(server_office) == state
    server_office.close()


def make_laptop(fixture, folder):
    """A laptop holding the fixture's content under its own device id, opened once by the app (upgraded)."""
    import sqlite3

    folder.mkdir()
    sqlite_at(version_of(fixture), folder / "inspector.db")
    connection = sqlite3.connect(folder / "inspector.db")
    with connection:
        connection.execute("UPDATE local_meta SET value = '00000000-0000-4000-8000-00000000a11e' WHERE key = 'device_id'")
    connection.close()
    from inspector.services import Services

    Services(folder).db.close()
    return folder


def test_the_upgraded_office_sends_a_change_to_a_laptop_without_a_false_conflict(fixture, offices, capsys, tmp_path):
    """Both sides upgraded (a widening step changes every row's version hash), the office changes a hazard
    the laptop never touched and exports: the laptop takes it with no conflict, as from the SQLite office.
    (Before the server re-hashed after its upgrade, fixtures 3-6 gave a "both edited" conflict here.)"""
    import sqlite3

    both(capsys, offices, "inspections")  # the app opens both offices: upgraded, re-hashed
    assert server_history(offices[1][-1]) == sqlite_history(offices[0][1])
    laptop_dir = make_laptop(fixture, tmp_path / "laptop")
    finding = sqlite3.connect(laptop_dir / "inspector.db").execute(
        "SELECT id FROM finding WHERE result = 'fail' AND deleted_at IS NULL ORDER BY id").fetchone()[0]
    for number, options in enumerate(offices):
        code, _, err = run(capsys, *options, "hazard", "govern", finding, "--interim", "设置警戒区")
        assert code == 0, err
        assert run(capsys, *options, "export", "--out", tmp_path / f"office{number}.db")[0] == 0
    reports = []
    for number in range(2):
        copy = tmp_path / f"laptop{number}"
        shutil.copytree(laptop_dir, copy)
        rebind_device(copy)
        code, out, err = run(capsys, "--data-dir", copy, "merge", tmp_path / f"office{number}.db", "--json")
        assert code == 0, err
        reports.append(json.loads(out)["totals"])
    assert reports[1] == reports[0] and reports[1]["conflicts"] == 0 and reports[1]["updated"] >= 1


def server_history(url: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return sorted(tuple(r) for r in connection.execute(
                text("SELECT table_name, row_id, version, seen_seq FROM sync_version")))
    finally:
        engine.dispose()


def sqlite_history(data_dir: str) -> list[tuple]:
    import sqlite3

    connection = sqlite3.connect(f"{data_dir}/inspector.db")
    try:
        return sorted(connection.execute("SELECT table_name, row_id, version, seen_seq FROM sync_version"))
    finally:
        connection.close()
