"""tests/core/loop/test_dashboard.py again, on the office's PostgreSQL server (see tests/pg/rerun.py)."""

from __future__ import annotations

import pytest

from tests.core.loop import test_dashboard as laptop_tests
from tests.pg.rerun import demo_services, rerun, server_services, server_sql, sqlite3_on_the_server  # noqa: F401

rerun(laptop_tests, globals())


@pytest.fixture
def services(server_services):
    return server_services


@pytest.fixture(autouse=True)
def plain_sql_on_the_server(sqlite3_on_the_server, monkeypatch):
    """test_demo_dashboard_matches_plain_sql counts with sqlite3 on the demo file: here on the demo's server copy."""
    monkeypatch.setattr(laptop_tests, "sqlite3", sqlite3_on_the_server)


def test_these_tests_run_on_the_server(services):
    assert services.db.backend == "postgresql"
