"""tests/core/records/test_enterprise_import.py again, on the office's PostgreSQL server (see tests/pg/rerun.py)."""

from __future__ import annotations

import pytest

from tests.core.records import test_enterprise_import as laptop_tests
from tests.pg.rerun import rerun, server_services  # noqa: F401

rerun(laptop_tests, globals(), skip={})  # skipped ones read the SQLite file with sqlite3


@pytest.fixture
def services(server_services):
    return server_services


def test_these_tests_run_on_the_server(services):
    assert services.db.backend == "postgresql"
