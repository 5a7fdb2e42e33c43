"""tests/core/documents/test_legal_documents.py again, on the office's PostgreSQL server (see tests/pg/rerun.py);
the demo copied onto the server."""

from __future__ import annotations

import pytest

from tests.core.documents import test_legal_documents as laptop_tests
from tests.pg.rerun import demo_services, rerun, server_services  # noqa: F401

# the skipped ones run the CLI on the data directory's file (tests/pg/test_office_loop_cli.py runs it on both)
rerun(laptop_tests, globals(), skip={"test_the_cli_issues_a_measure_decision_and_the_order_offers_it",
                                     "test_numbers_out_of_date_order_are_warned_about",
                                     "test_the_inspector_is_told_when_a_description_still_lists_alternatives"})


@pytest.fixture
def services(server_services):
    return server_services


def test_these_tests_run_on_the_server(services):
    assert services.db.backend == "postgresql"
