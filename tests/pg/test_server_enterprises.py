"""tests/core/records/test_enterprises.py again, on the office's PostgreSQL server (see tests/pg/rerun.py)."""

from __future__ import annotations

import pytest

from tests.core.records import test_enterprises as laptop_tests
from tests.pg.rerun import rerun, server_services  # noqa: F401

rerun(laptop_tests, globals(), skip={"test_delete_is_a_tombstone", "test_history_and_open_hazards"})  # skipped ones read the SQLite file with sqlite3


@pytest.fixture
def services(server_services):
    return server_services


def test_these_tests_run_on_the_server(services):
    assert services.db.backend == "postgresql"
