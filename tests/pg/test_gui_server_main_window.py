"""tests/ui/test_main_window.py again, on the office's PostgreSQL server (see tests/pg/rerun.py): the same clicks
and keys on the same widgets, with the window's database on the server."""

from __future__ import annotations

import pytest

from tests.pg.rerun import demo_services, rerun, server_services  # noqa: F401
from tests.ui import test_main_window as laptop_tests

rerun(laptop_tests, globals(), skip={"test_damaged_database_is_reported_in_chinese", "test_every_window_and_dialog_fits_a_1280x720_screen"})  # the SQLite file itself; a laptop window


@pytest.fixture
def services(server_services):
    return server_services


def test_these_tests_run_on_the_server(services, demo_services):
    assert services.db.backend == "postgresql" and demo_services.db.backend == "postgresql"
