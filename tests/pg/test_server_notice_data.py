"""tests/core/documents/test_notice_data.py again, on the office's PostgreSQL server (see tests/pg/rerun.py);
the demo copied onto the server."""

from __future__ import annotations

import pytest

from tests.core.documents import test_notice_data as laptop_tests
from tests.pg.rerun import rerun, server_services  # noqa: F401
from tests.pg.server_copy import copy_into_server

rerun(laptop_tests, globals())


@pytest.fixture
def demo_services(demo_dir, pg_url):
    from inspector.services import Services

    copy_into_server(demo_dir / "inspector.db", pg_url)
    services = Services(demo_dir, database_url=pg_url)
    yield services
    services.close()


def test_these_tests_run_on_the_server(demo_services):
    assert demo_services.db.backend == "postgresql"
