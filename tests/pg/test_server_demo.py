"""``inspector --database URL demo``: the laptop's living demo office in an EMPTY office database (training on
the office side), never mixed into real records — a non-empty server is refused in one line, nothing written."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from inspector.core.demo.server_demo import build_demo_on_server, copied_tables, copy_demo_into_server
from inspector.core.sync.server_rows import ServerTable
from inspector.db.types import utcnow
from inspector.errors import UserError
from tests.pg.office_cli import run

SEED = 5


@pytest.fixture
def server(pg_url, tmp_path):
    from inspector.services import Services

    services = Services(tmp_path / "office-pc", database_url=pg_url)
    yield services
    services.close()


def server_options(server) -> list[str]:
    return ["--data-dir", str(server.paths.root), "--database", server.database_url]


def counts(db) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in copied_tables() + ["local_meta"]}


def server_rows(db, table: str) -> list[tuple]:
    from sqlmodel import SQLModel

    columns = [c.name for c in SQLModel.metadata.tables[table].columns]
    form = ServerTable(table, columns)
    with db.engine.connect() as connection:
        rows = connection.execute(text(f"SELECT {form.select_list(columns)} FROM {table} t")).fetchall()
    return sorted((form.to_sqlite(columns, row) for row in rows), key=repr)


def file_rows(path: Path, table: str) -> list[tuple]:
    from sqlmodel import SQLModel

    names = ", ".join(f'"{c.name}"' for c in SQLModel.metadata.tables[table].columns)
    connection = sqlite3.connect(path)
    try:
        return sorted(connection.execute(f"SELECT {names} FROM {table}").fetchall(), key=repr)
    finally:
        connection.close()


def ledger(capsys, options, out: Path) -> list[list[str]]:
    assert run(capsys, *options, "ledger", "--out", out)[0] == 0
    return list(csv.reader(out.open(encoding="utf-8-sig")))


def test_the_server_demo_holds_the_side_files_rows_and_the_office_sees_the_same(server, tmp_path, capsys):
    from inspector.core.documents.notices import document_config

    side = tmp_path / "side"
    result = build_demo_on_server(server.db, server.checklists.checklists, seed=SEED, inspections=12,
                                  living_office=True, config=document_config(server), now=utcnow(),
                                  side_folder=side)
    assert result.documents > 0 and result.hazards > 0
    for table in copied_tables():  # every row, column by column in the laptop's value form
        assert server_rows(server.db, table) == file_rows(side / "inspector.db", table), table
    with server.db.engine.connect() as connection:
        device = connection.execute(text("SELECT value FROM local_meta WHERE key = 'device_id'")).scalar_one()
        assert connection.execute(text("SELECT count(*) FROM local_meta WHERE key = 'signing_key'")).scalar_one() == 1
        assert connection.execute(text("SELECT count(*) FROM sync_stamp")).scalar_one() == 0
    assert device == server.db.device_id  # the office database's own id: its blocks, its documents
    offices = (["--data-dir", str(side)], server_options(server))
    for argv in (["enterprises", "--json"], ["inspections"], ["dashboard", "--json"], ["dashboard"],
                 ["notices", "--json"], ["notices"], ["numbers", "block", "list", "--all"], ["numbers", "report"]):
        on_file, on_server = (run(capsys, *options, *argv) for options in offices)
        assert on_server == on_file, argv
    board = json.loads(run(capsys, *offices[1], "dashboard", "--json")[1])
    assert board["hazards"]
    ledgers = [ledger(capsys, options, tmp_path / f"ledger{i}.csv") for i, options in enumerate(offices)]
    assert ledgers[0] == ledgers[1] and len(ledgers[1]) > 10
    notices = json.loads(run(capsys, *offices[1], "notices", "--json")[1])
    for notice in notices:  # the documents render the same and verify on the server (its signing key came along)
        pdfs = []
        for i, options in enumerate(offices):
            pdf = tmp_path / f"{notice['id']}-{i}.pdf"
            assert run(capsys, *options, "notices", "export", notice["id"], "--out", pdf)[0] == 0
            pdfs.append(pdf.read_bytes())
        assert pdfs[0] == pdfs[1]
        code, out, _ = run(capsys, *offices[1], "verify", tmp_path / f"{notice['id']}-0.pdf")
        assert notice["number_text"] in out and code == (0 if notice["status"] == "issued" else 1)


ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?<=XGKF-\d{4}-)[0-9A-F]{8}"
                r"|\b[0-9a-f]{8}\b")


def this_month() -> str:
    from datetime import datetime

    from inspector.core.common.clock import CHINA_TZ

    return datetime.now(CHINA_TZ).strftime("%Y-%m")


def masked(out: str) -> list[str]:
    """Lines with the random ids masked, in sorted order (two demos tie on deadlines differently by id)."""
    return sorted(ID.sub("<id>", line) for line in out.splitlines())


def ledger_lines(rows: list[list[str]]) -> list[str]:
    """The ledger masked as :func:`masked`; a cell's documents sorted (two issued in the same second are
    listed in id order, and the two demos' ids are random)."""
    return masked("\n".join(",".join("；".join(sorted(cell.split("；"))) for cell in row) for row in rows))


def test_the_cli_demo_on_the_server_is_the_laptops_demo_of_the_same_seed(server, data_dir, tmp_path, capsys):
    laptop = ["--data-dir", str(data_dir)]
    for options in (laptop, server_options(server)):
        code, out, err = run(capsys, *options, "demo", "--seed", str(SEED))
        assert code == 0 and out.startswith("已生成：") and err == "", err
    first = None
    for argv in (["dashboard"], ["inspections"], ["notices"], ["numbers", "block", "list", "--all"],
                 ["enterprises"], ["analysis", "--month", this_month(), "--json"]):
        on_file, on_server = (run(capsys, *options, *argv) for options in (laptop, server_options(server)))
        assert on_file[0] == on_server[0] == 0, (argv, on_file[2], on_server[2])
        assert masked(on_server[1]) == masked(on_file[1]), argv
        first = first or on_server[1]
    assert "逾期" in first
    ledgers = [ledger(capsys, options, tmp_path / f"l{i}.csv") for i, options in enumerate((laptop, server_options(server)))]
    assert ledger_lines(ledgers[0]) == ledger_lines(ledgers[1])
    assert len(ledgers[1]) > 10


def test_a_server_with_records_is_refused_in_one_line_and_nothing_is_written(server, capsys):
    from inspector.core.records.enterprises import create_enterprise

    create_enterprise(server.db, name="兴国县宏达冷链物流有限公司")
    before = counts(server.db)
    code, out, err = run(capsys, *server_options(server), "demo")
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith("错误：办公室数据库中已有数据（企业 1 家）") and "未写入任何数据" in err
    assert counts(server.db) == before


def test_a_second_demo_is_refused_and_the_first_stays_as_it_was(server, capsys):
    assert run(capsys, *server_options(server), "demo", "--inspections", "2")[0] == 0
    before = counts(server.db)
    code, _, err = run(capsys, *server_options(server), "demo", "--inspections", "2")
    assert code == 1 and "演示数据只能生成到空的办公室数据库" in err and "Traceback" not in err
    assert counts(server.db) == before and before["enterprise"] > 0


def test_rows_arriving_while_the_demo_is_built_refuse_the_copy(server, tmp_path):
    """Another PC writes between the first check and the copy: the copy checks again under the office lock."""
    from inspector.core.demo.generate import build_demo_in_new_database
    from inspector.core.records.enterprises import create_enterprise
    from inspector.db.database import Database

    side = tmp_path / "side" / "inspector.db"
    side.parent.mkdir()
    build_demo_in_new_database(side, tmp_path / "side-backups", lambda: Database.open(side, tmp_path / "b"),
                               server.checklists.checklists, seed=SEED, inspections=2)
    create_enterprise(server.db, name="另一台电脑刚登记的企业")
    before = counts(server.db)
    with pytest.raises(UserError, match="企业 1 家"):
        copy_demo_into_server(side, server.db)
    assert counts(server.db) == before

