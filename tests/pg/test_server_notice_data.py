"""tests/core/documents/test_notice_data.py again, on the office's PostgreSQL server (see tests/pg/rerun.py);
the demo copied onto the server."""

from __future__ import annotations

from tests.core.documents import test_notice_data as laptop_tests
from tests.pg.rerun import demo_services, rerun, server_services  # noqa: F401

rerun(laptop_tests, globals())


def test_these_tests_run_on_the_server(demo_services):
    assert demo_services.db.backend == "postgresql"
