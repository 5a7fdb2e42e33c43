"""tests/core/documents/test_legal_documents.py again, on the office's PostgreSQL server (see tests/pg/rerun.py);
the demo copied onto the server."""

from __future__ import annotations

import pytest

from tests.core.documents import test_legal_documents as laptop_tests
from tests.pg.rerun import demo_services, follow_saved_connections, rerun, save_office_connection, server_services  # noqa: F401

# the skipped ones run the CLI on the data directory's file (tests/pg/test_office_loop_cli.py runs it on both)
rerun(laptop_tests, globals())


@pytest.fixture
def services(server_services):
    return server_services


@pytest.fixture(autouse=True)
def cli_on_the_same_server(data_dir, pg_url, monkeypatch):
    """The tests that run ``inspector --data-dir DIR …`` (and open ``Services(DIR)`` again) reach this server
    through the connection saved there."""
    save_office_connection(data_dir, pg_url)
    follow_saved_connections(monkeypatch)


def test_these_tests_run_on_the_server(services):
    assert services.db.backend == "postgresql"
