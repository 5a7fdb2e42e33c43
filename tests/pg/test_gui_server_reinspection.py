"""tests/ui/loop/test_reinspection_tab.py again, on the office's PostgreSQL server (see tests/pg/rerun.py):
the 复查 tab and the hazard window, clicked through, on a server database."""

from __future__ import annotations

import pytest

from tests.pg.rerun import rerun, server_services  # noqa: F401
from tests.ui.loop import test_reinspection_tab as laptop_tests

rerun(laptop_tests, globals())


@pytest.fixture
def services(server_services):
    return server_services


def test_these_tests_run_on_the_server(services):
    assert services.db.backend == "postgresql"
