"""tests/core/reports/test_ledger.py again, on the office's PostgreSQL server (see tests/pg/rerun.py).

The tests on the demo database run on the demo copied onto the server (``demo_services``);
tests/pg/test_server_ledger_equality.py also compares that copy with the SQLite demo row by row."""

from __future__ import annotations

import pytest

from tests.core.reports import test_ledger as laptop_tests
from tests.pg.rerun import demo_services, rerun, server_services  # noqa: F401

rerun(laptop_tests, globals())


@pytest.fixture
def services(server_services):
    return server_services


def test_these_tests_run_on_the_server(services):
    assert services.db.backend == "postgresql"
