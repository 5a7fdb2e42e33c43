"""``inspector check`` on the office server: schema, orphans per foreign key, row rules, documents, photos."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from inspector.cli import main
from inspector.core.sync.server_check import check_server_database
from tests.pg.test_server_export import office_laptop, seed_server_from  # noqa: F401  (fixture)


@pytest.fixture
def office(office_laptop, pg_db):  # noqa: F811
    seed_server_from(office_laptop, pg_db)
    return pg_db


def planted(db, *statements: str, replica: bool = False) -> None:
    """Write behind the app's back; ``replica`` switches the server's foreign-key triggers off, as a restore
    with disabled triggers does."""
    with db.engine.begin() as connection:
        if replica:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        for statement in statements:
            connection.execute(text(statement))


def one(db, sql: str):
    with db.engine.connect() as connection:
        return connection.execute(text(sql)).fetchone()


def test_a_sound_office_database_passes(office, data_dir, pg_url, capsys):
    assert check_server_database(office) == []
    assert main(["--data-dir", str(data_dir), "--database", pg_url, "check"]) == 0
    assert "办公室数据库完好" in capsys.readouterr().out


def test_an_orphan_row_is_found(office):
    finding_id, = one(office, "SELECT id FROM finding ORDER BY id LIMIT 1")
    missing = str(uuid.uuid4())
    planted(office, f"UPDATE finding SET inspection_id = '{missing}' WHERE id = '{finding_id}'", replica=True)
    problems = check_server_database(office)
    assert any(finding_id in line and "inspection_id" in line and missing in line and "不存在" in line
               for line in problems), problems


def test_a_row_breaking_its_rules_is_found(office):
    enterprise_id, = one(office, "SELECT id FROM enterprise ORDER BY id LIMIT 1")
    inspection_id, = one(office, "SELECT id FROM inspection ORDER BY id LIMIT 1")
    planted(office, f"UPDATE enterprise SET updated_at = '9999-12-31T00:00:00.000000Z' WHERE id = '{enterprise_id}'",
            f"UPDATE inspection SET inspector_ids = CAST('[\"not-a-uuid\"]' AS JSON) WHERE id = '{inspection_id}'")
    problems = check_server_database(office)
    assert any(enterprise_id in line and "updated_at" in line for line in problems), problems
    assert any(inspection_id in line and "inspector_ids" in line for line in problems), problems


def test_a_number_voided_outside_the_void_flow_and_a_damaged_photo_are_found(office):
    number_id, = one(office, "SELECT d.id FROM document_number d JOIN notice n ON n.id = d.notice_id "
                             "WHERE n.status = 'issued' ORDER BY d.id LIMIT 1")
    photo_id, = one(office, "SELECT id FROM photo ORDER BY id LIMIT 1")
    planted(office, f"UPDATE document_number SET voided_at = updated_at, void_reason = '私自作废' WHERE id = '{number_id}'",
            f"UPDATE photo SET jpeg = CAST('broken' AS BYTEA) WHERE id = '{photo_id}'")
    problems = check_server_database(office)
    assert any(number_id in line and "仍然有效" in line for line in problems), problems
    assert any(photo_id in line and "SHA-256" in line for line in problems), problems


def test_schema_changes_behind_the_apps_back_are_found(office, data_dir, pg_url, capsys):
    planted(office, "CREATE TABLE spy (id INTEGER PRIMARY KEY)", "ALTER TABLE enterprise ADD COLUMN secret TEXT",
            "ALTER TABLE finding DROP CONSTRAINT finding_inspection_id_fkey")
    problems = check_server_database(office)
    assert "数据结构与本程序不同：多出表 spy" in problems
    assert "数据结构与本程序不同：表 enterprise 多出字段 secret" in problems
    assert any("finding 缺少外键 inspection_id → inspection" in line for line in problems), problems
    assert main(["--data-dir", str(data_dir), "--database", pg_url, "check"]) == 1
    captured = capsys.readouterr()
    assert "多出表 spy" in captured.out and "发现" in captured.err and "Traceback" not in captured.err
