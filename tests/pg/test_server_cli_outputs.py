"""tests/test_cli_outputs.py again, with the office database on the server (see tests/pg/rerun.py): an existing
file is replaced only with --force, the suffix must match the format. The tests about the live SQLite file and
its companions (-wal, -shm, -journal) stay laptop-only: an office PC on the server has no database file."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests import test_cli_outputs as laptop_tests
from tests.pg.rerun import office_session, rerun_on_office

rerun_on_office(laptop_tests, globals(), office_dirs=("demo_dir",), skip={
    "test_notice_issue_refuses_the_live_database_and_its_companions", "test_an_sqlite_database_of_ours_is_refused_under_any_name",
    "test_every_out_option_refuses_another_data_directorys_files", "test_notices_export_refuses_the_database"})


@pytest.fixture(autouse=True)
def notices_counted_on_the_server(monkeypatch):
    monkeypatch.setattr(laptop_tests, "notice_count", notice_count)


def notice_count(data_dir) -> int:
    with office_session(data_dir) as session:
        return session.execute(text("SELECT count(*) FROM notice")).scalar_one()
