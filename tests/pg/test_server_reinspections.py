"""tests/core/loop/test_reinspections.py again, on the office's PostgreSQL server (see tests/pg/rerun.py)."""

from __future__ import annotations

import pytest

from tests.core.loop import test_reinspections as laptop_tests
from tests.pg.rerun import rerun, server_services  # noqa: F401

rerun(laptop_tests, globals())


@pytest.fixture
def services(server_services):
    return server_services


def test_these_tests_run_on_the_server(services):
    assert services.db.backend == "postgresql"
