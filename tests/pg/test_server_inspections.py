"""tests/core/records/test_inspections.py again, on the office's PostgreSQL server (see tests/pg/rerun.py)."""

from __future__ import annotations

import pytest

from tests.core.records import test_inspections as laptop_tests
from tests.pg.rerun import rerun, server_services  # noqa: F401

rerun(laptop_tests, globals(), skip={"test_start_records_snapshots_and_remembers_the_team", "test_fewer_than_two_inspectors_is_a_completion_problem"})  # skipped ones read the SQLite file with sqlite3


@pytest.fixture
def services(server_services):
    return server_services


def test_these_tests_run_on_the_server(services):
    assert services.db.backend == "postgresql"
