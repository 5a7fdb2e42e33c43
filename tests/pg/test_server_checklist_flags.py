"""tests/core/records/test_checklist_flags.py again, on the office's PostgreSQL server (see tests/pg/rerun.py):
the walk-through's answers and their 重大 flags (multi-condition articles, flags limited to an enterprise
kind, 重大火灾隐患 apart) recorded on the server."""

from __future__ import annotations

import pytest

from tests.core.records import test_checklist_flags as laptop_tests
from tests.pg.rerun import rerun, server_services  # noqa: F401

rerun(laptop_tests, globals())


@pytest.fixture
def services(server_services):
    return server_services


def test_these_tests_run_on_the_server(services):
    assert services.db.backend == "postgresql"
