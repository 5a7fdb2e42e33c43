"""tests/ui/records/test_industry_proposal.py again, on the office's PostgreSQL server (see tests/pg/rerun.py): the same clicks and
keys on the same widgets, with the window's database on the server."""

from __future__ import annotations

import pytest

from tests.pg.rerun import demo_services, rerun, server_services  # noqa: F401
from tests.ui.records import test_industry_proposal as laptop_tests

rerun(laptop_tests, globals())


@pytest.fixture
def services(server_services):
    return server_services


def test_these_tests_run_on_the_server(services, demo_services):
    assert services.db.backend == "postgresql" and demo_services.db.backend == "postgresql"
