"""tests/core/records/test_inspections.py again, on the office's PostgreSQL server (see tests/pg/rerun.py)."""

from __future__ import annotations

import pytest

from tests.core.records import test_inspections as laptop_tests
from tests.pg.rerun import rerun, server_services, server_sql, sqlite3_on_the_server  # noqa: F401

rerun(laptop_tests, globals())


@pytest.fixture
def services(server_services):
    return server_services


@pytest.fixture(autouse=True)
def rows_read_on_the_server(sqlite3_on_the_server, monkeypatch):
    """The tests that read or change rows with sqlite3 on the file do it on the server (tests/pg/rerun.py)."""
    monkeypatch.setattr(laptop_tests, "sqlite3", sqlite3_on_the_server)


def test_these_tests_run_on_the_server(services):
    assert services.db.backend == "postgresql"
