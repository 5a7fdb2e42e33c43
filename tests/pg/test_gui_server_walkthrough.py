"""tests/ui/walkthrough/test_walkthrough.py again, on the office's PostgreSQL server (see tests/pg/rerun.py): the same clicks and
keys on the same widgets, with the window's database on the server and the stored values read from it."""

from __future__ import annotations

import pytest

from tests.pg.rerun import demo_services, query_on_the_server, rerun, server_services, server_sql, sqlite3_on_the_server  # noqa: F401
from tests.ui.walkthrough import test_walkthrough as laptop_tests

rerun(laptop_tests, globals())


@pytest.fixture
def services(server_services):
    return server_services


@pytest.fixture(autouse=True)
def stored_values_from_the_server(query_on_the_server, sqlite3_on_the_server, monkeypatch):
    monkeypatch.setattr(laptop_tests, "query", query_on_the_server, raising=False)
    monkeypatch.setattr(laptop_tests, "sqlite3", sqlite3_on_the_server)  # its reads of the stored rows


@pytest.fixture(autouse=True)
def the_server_checked(server_services, monkeypatch):
    """``check_database(path)`` (the SQLite file's integrity check) becomes the server's check of the same database."""
    from inspector.core.sync.server_check import check_server_database

    monkeypatch.setattr(laptop_tests, "check_database", lambda path: check_server_database(server_services.db))


def test_these_tests_run_on_the_server(services, demo_services):
    assert services.db.backend == "postgresql" and demo_services.db.backend == "postgresql"
