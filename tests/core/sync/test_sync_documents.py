"""Issued documents are frozen in full, their number rows too; voiding happens only through the void flow.

Two laptops share an issued notice (the office issued it, the laptop merged it). The laptop then
changes the notice's number row behind the app's back, or voids it properly; its export comes back.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from inspector.cli import main
from tests.core.sync.test_sync_support import file_digest


def sql(folder: Path, statement: str, params: tuple = ()):
    connection = sqlite3.connect(folder / "inspector.db")
    try:
        rows = connection.execute(statement, params).fetchall()
        connection.commit()
        return rows
    finally:
        connection.close()


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def issued_template(tmp_path_factory):
    """A demo data folder with one issued 安全隐患整改通知书, made once."""
    from inspector.core.demo.generate import build_demo
    from inspector.services import Services

    folder = tmp_path_factory.mktemp("issued") / "office"
    services = Services(folder)
    build_demo(services.db, services.checklists.checklists, seed=5, inspections=4)
    from tests.document_dates import future_deadlines

    future_deadlines(services.db)  # demo inspections lie in the past; today's documents need later deadlines
    services.close()
    inspection = sql(folder, "SELECT min(i.id) FROM inspection i JOIN finding f ON f.inspection_id = i.id "
                             "WHERE i.status = 'completed' AND f.result = 'fail' AND f.deleted_at IS NULL")[0][0]
    year = date.today().year
    assert main(["--data-dir", str(folder), "numbers", "block", "add", "--kind", "park", "--year", str(year),
                 "--first", "1", "--last", "50"]) == 0
    assert main(["--data-dir", str(folder), "notice", inspection, "--out", str(folder.parent / "n.pdf"),
                 "--issue", "--kind", "park"]) == 0
    return folder


@pytest.fixture
def laptops(issued_template, tmp_path):
    """(office, laptop): the laptop is a copy of the office's folder with its own device id."""
    office, laptop = tmp_path / "office", tmp_path / "laptop"
    shutil.copytree(issued_template, office)
    shutil.copytree(issued_template, laptop)
    from tests.conftest import rebind_device

    rebind_device(office)  # copies made by the test, not a copied laptop (which would be re-keyed)
    rebind_device(laptop)
    sql(laptop, "UPDATE local_meta SET value = '0b4f1c2e-7d0a-4e55-9c1a-3f7e2d9b8a61' WHERE key = 'device_id'")
    return office, laptop


def notice_and_number(folder: Path) -> tuple[str, str]:
    return sql(folder, "SELECT id, number_id FROM notice")[0]


def later(folder: Path, table: str, row_id: str, sets: str, params: tuple = ()) -> None:
    """An edit written the way the app writes edits: a new updated_at and rev, but behind the app's back."""
    sql(folder, f"UPDATE {table} SET {sets}, updated_at = strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'), rev = rev + 1 "
                "WHERE id = ?", (*params, row_id))


def export(capsys, folder: Path, out: Path) -> Path:
    code, _, err = run(capsys, "--data-dir", folder, "export", "--out", out)
    assert code == 0, err
    return out


def test_an_export_cannot_renumber_an_issued_notice(laptops, tmp_path, capsys):
    office, laptop = laptops
    _, number = notice_and_number(laptop)
    later(laptop, "document_number", number, "seq = 77")
    file = export(capsys, laptop, tmp_path / "laptop.db")
    code, out, err = run(capsys, "--data-dir", office, "merge", file)
    assert code == 0, err
    assert sql(office, "SELECT seq FROM document_number WHERE id = ?", (number,)) == [(1,)]
    assert "已出具的文书不可更改" in out  # kept as a conflict, listed in the report
    code, out, _ = run(capsys, "--data-dir", office, "numbers", "report")
    assert code == 0 and "最大号 1，缺号 无" in out


def test_an_export_cannot_void_a_number_while_its_notice_stays_valid(laptops, tmp_path, capsys):
    office, laptop = laptops
    _, number = notice_and_number(laptop)
    later(laptop, "document_number", number, "voided_at = strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'), void_reason = ?",
          ("随便",))
    file = export(capsys, laptop, tmp_path / "laptop.db")
    before = file_digest(office / "inspector.db")
    code, _, err = run(capsys, "--data-dir", office, "merge", file)
    assert code != 0 and err.startswith("错误：") and err.count("\n") == 1
    assert number in err and "作废流程" in err and "未合并" in err
    assert file_digest(office / "inspector.db") == before


def test_a_notice_voided_without_a_reason_is_refused(laptops, tmp_path, capsys):
    office, laptop = laptops
    notice, number = notice_and_number(laptop)
    later(laptop, "notice", notice, "status = 'voided'")
    later(laptop, "document_number", number, "voided_at = strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')")
    file = export(capsys, laptop, tmp_path / "laptop.db")
    before = file_digest(office / "inspector.db")
    code, _, err = run(capsys, "--data-dir", office, "merge", file)
    assert code != 0 and "没有作废原因" in err
    assert file_digest(office / "inspector.db") == before


def test_a_void_made_through_the_void_flow_on_another_laptop_is_merged(laptops, tmp_path, capsys):
    office, laptop = laptops
    notice, number = notice_and_number(laptop)
    code, _, err = run(capsys, "--data-dir", laptop, "notices", "void", notice, "--reason", "企业名称写错")
    assert code == 0, err
    file = export(capsys, laptop, tmp_path / "laptop.db")
    code, _, err = run(capsys, "--data-dir", office, "merge", file)
    assert code == 0, err
    assert sql(office, "SELECT status, void_reason FROM notice WHERE id = ?", (notice,)) == [("voided", "企业名称写错")]
    voided = sql(office, "SELECT voided_at IS NOT NULL, void_reason, seq FROM document_number WHERE id = ?", (number,))
    assert voided == [(1, "企业名称写错", 1)]
    assert run(capsys, "--data-dir", office, "check")[0] == 0


def test_check_reports_a_number_voided_behind_the_notices_back(laptops, capsys):
    office, _ = laptops
    _, number = notice_and_number(office)
    later(office, "document_number", number, "voided_at = strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'), void_reason = ?",
          ("随便",))
    code, out, _ = run(capsys, "--data-dir", office, "check")
    assert code == 1 and number in out and "仍然有效" in out


def test_a_problem_the_local_database_already_had_does_not_block_later_merges(laptops, tmp_path, capsys):
    office, laptop = laptops
    _, number = notice_and_number(office)
    later(office, "document_number", number, "voided_at = strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'), void_reason = ?",
          ("合并规则之前留下的",))
    sql(laptop, "UPDATE enterprise SET address = '新地址', updated_at = strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'), "
                "rev = rev + 1 WHERE id = (SELECT min(id) FROM enterprise)")
    file = export(capsys, laptop, tmp_path / "laptop.db")
    code, _, err = run(capsys, "--data-dir", office, "merge", file)
    assert code == 0, err
    assert run(capsys, "--data-dir", office, "check")[0] == 1  # still reported, by check
