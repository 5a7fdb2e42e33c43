"""tests/core/documents/test_notices.py again, on the office's PostgreSQL server (see tests/pg/rerun.py):
issuing, the notices list, voiding, verifying against the database, sealing; the demo copied onto the server."""

from __future__ import annotations

import pytest

from tests.core.documents import test_notices as laptop_tests
from tests.pg.rerun import demo_services, rerun, server_services  # noqa: F401

rerun(laptop_tests, globals())


@pytest.fixture
def services(demo_services):
    return demo_services


def test_these_tests_run_on_the_server(demo_services):
    assert demo_services.db.backend == "postgresql"
