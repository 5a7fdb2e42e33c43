"""tests/test_cli_outputs.py again, with the office database on the server (see tests/pg/rerun.py): an existing
file is replaced only with --force, the suffix must match the format. The tests about the live SQLite file and
its companions (-wal, -shm, -journal) stay laptop-only: an office PC on the server has no database file."""

from __future__ import annotations

import pytest

from tests import test_cli_outputs as laptop_tests
from tests.pg.rerun import office_data_dir, rerun

rerun(laptop_tests, globals(), skip={
    "test_notice_issue_refuses_the_live_database_and_its_companions", "test_an_sqlite_database_of_ours_is_refused_under_any_name",
    "test_every_out_option_refuses_another_data_directorys_files", "test_notices_export_refuses_the_database"})


@pytest.fixture
def demo_dir(demo_dir, pg_url, monkeypatch):  # noqa: F811 - the laptop's demo_dir, moved onto the server
    return office_data_dir(demo_dir, pg_url, monkeypatch)


@pytest.fixture(autouse=True)
def notices_counted_on_the_server(monkeypatch):
    monkeypatch.setattr(laptop_tests, "notice_count", notice_count)


def notice_count(data_dir) -> int:
    from sqlalchemy import text

    from inspector.services import Services

    services = Services(data_dir)
    try:
        with services.db.session() as session:
            return session.execute(text("SELECT count(*) FROM notice")).scalar_one()
    finally:
        services.close()


def test_these_tests_run_on_the_server(demo_dir):
    from inspector.services import Services

    services = Services(demo_dir)
    try:
        assert services.db.backend == "postgresql" and not (demo_dir / "inspector.db").exists()
    finally:
        services.close()
