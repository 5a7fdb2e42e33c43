"""tests/core/reports/test_ledger.py again, on the office's PostgreSQL server (see tests/pg/rerun.py).

The tests on the demo database are left out here (the demo is written to the SQLite file itself);
tests/pg/test_server_ledger_equality.py copies that demo to the server and compares everything."""

from __future__ import annotations

import pytest

from tests.core.reports import test_ledger as laptop_tests
from tests.pg.rerun import rerun, server_services  # noqa: F401

rerun(laptop_tests, globals(), skip={"test_demo_ledger_opens_with_openpyxl_one_row_per_hazard",
                                     "test_csv_has_a_bom_the_same_rows_and_no_formulas",
                                     "test_filters_by_status_sector_and_dates",
                                     "test_sector_codes_are_accepted_and_bad_values_explained"})


@pytest.fixture
def services(server_services):
    return server_services


def test_these_tests_run_on_the_server(services):
    assert services.db.backend == "postgresql"
