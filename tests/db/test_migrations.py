"""Schema versions: new files, the committed v1 fixture, and files we must refuse untouched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest
from sqlmodel import SQLModel

from inspector.db import migrations
from inspector.db.database import Database
from inspector.errors import DatabaseError
from tests.helpers import FIXTURES


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def open_db(path):
    return Database.open(path, path.parent / "backups")


def test_new_database_is_created_at_latest_version(tmp_path):
    db = open_db(tmp_path / "new.db")
    db.close()
    connection = sqlite3.connect(tmp_path / "new.db")
    assert connection.execute("PRAGMA user_version").fetchone()[0] == migrations.latest_version()
    assert connection.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_new_database_gets_the_large_page_size_and_an_upgraded_one_keeps_its_own(tmp_path):
    """New files get :data:`migrations.PAGE_SIZE` (a photo row fits one page: docs/demo-data.md); an
    existing file is upgraded in place, its pages as they are."""
    open_db(tmp_path / "new.db").close()
    assert sqlite3.connect(tmp_path / "new.db").execute("PRAGMA page_size").fetchone()[0] == migrations.PAGE_SIZE == 16384
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_v1.db", old)
    before = sqlite3.connect(old).execute("PRAGMA page_size").fetchone()[0]
    open_db(old).close()
    assert sqlite3.connect(old).execute("PRAGMA page_size").fetchone()[0] == before == 4096


def test_device_id_is_created_once(tmp_path):
    first = open_db(tmp_path / "a.db")
    second = open_db(tmp_path / "a.db")
    assert first.device_id == second.device_id
    assert len(first.device_id) == 36
    assert open_db(tmp_path / "b.db").device_id != first.device_id


def test_models_match_migrated_schema(tmp_path):
    open_db(tmp_path / "s.db").close()
    connection = sqlite3.connect(tmp_path / "s.db")
    for table in SQLModel.metadata.sorted_tables:
        columns = {row[1]: (row[2], bool(row[3])) for row in connection.execute(f"PRAGMA table_info({table.name})")}
        assert set(columns) == {column.name for column in table.columns}, table.name
        for column in table.columns:
            assert columns[column.name][1] == (not column.nullable and not column.primary_key or columns[column.name][1]), column


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_v*.db")), ids=lambda p: p.name)
def test_fixture_databases_upgrade_and_keep_their_data(fixture, tmp_path):
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    before = sqlite3.connect(path)
    counts = {t: before.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("enterprise", "inspection", "finding", "photo")}
    before.close()
    db = open_db(path)
    from inspector.db.queries import inspection_summaries, table_counts

    with db.session() as session:
        after = table_counts(session)
        summaries = inspection_summaries(session)
    assert {t: after[t] for t in counts} == counts
    assert len(summaries) == counts["inspection"] and all(s.enterprise for s in summaries)
    from inspector.core.sync.integrity import check_database

    assert check_database(path) == []


def test_fixture_upgrade_makes_a_backup_first_when_there_is_a_step_to_run(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_v1.db", path)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 0")  # pretend step 1 is pending on a file with data
    connection.close()
    with pytest.raises(DatabaseError, match="失败"):
        open_db(path)  # step 1 cannot create tables that exist: refused, rolled back...
    assert sorted(p.name.split("-v")[0] for p in (tmp_path / "backups").iterdir()) == ["before-schema"]
    assert sqlite3.connect(path).execute("SELECT count(*) FROM inspection").fetchone()[0] == 3  # ...data intact


def test_newer_database_is_refused_untouched(tmp_path):
    path = tmp_path / "future.db"
    shutil.copy(FIXTURES / "schema_v1.db", path)
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    connection.close()
    before = digest(path)
    with pytest.raises(DatabaseError, match="更新版本"):
        open_db(path)
    assert digest(path) == before


def test_foreign_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    connection.execute("INSERT INTO notes (body) VALUES ('hello')")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(DatabaseError, match="其他程序"):
        open_db(path)
    assert digest(path) == before


@pytest.mark.parametrize("content", [b"not a database at all" * 100, b"\x00" * 4096, b"SQLite format 3\x00" + b"\xff" * 5000])
def test_garbage_files_are_refused_untouched(tmp_path, content):
    path = tmp_path / "garbage.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseError):
        open_db(path)
    assert path.read_bytes() == content


def test_truncated_database_is_refused(tmp_path):
    path = tmp_path / "cut.db"
    shutil.copy(FIXTURES / "schema_v1.db", path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(DatabaseError):
        db = open_db(path)
        from inspector.db.queries import inspection_summaries

        with db.session() as session:
            inspection_summaries(session)


def test_split_sql_keeps_statements_whole():
    script = "-- comment\nCREATE TABLE a (x TEXT DEFAULT 'a;b');\nINSERT INTO a VALUES ('c;d');\n"
    assert migrations.split_sql(script) == ["CREATE TABLE a (x TEXT DEFAULT 'a;b');", "INSERT INTO a VALUES ('c;d');"]
