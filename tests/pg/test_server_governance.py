"""tests/core/loop/test_governance.py again, on the office's PostgreSQL server (see tests/pg/rerun.py)."""

from __future__ import annotations

import pytest

from tests.core.loop import test_governance as laptop_tests
from tests.pg.rerun import rerun, server_services  # noqa: F401

# the skipped one runs the CLI on the data directory's file (tests/pg/test_office_cli.py runs hazard govern on both)
rerun(laptop_tests, globals(), skip={"test_governance_through_the_cli_reaches_the_ledger"})


@pytest.fixture
def services(server_services):
    return server_services


def test_these_tests_run_on_the_server(services):
    assert services.db.backend == "postgresql"
