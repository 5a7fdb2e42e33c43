"""tests/core/reports/test_ledger.py again, on the office's PostgreSQL server (see tests/pg/rerun.py).

The tests on the demo database run on the demo copied onto the server (``demo_services``);
tests/pg/test_server_ledger_equality.py also compares that copy with the SQLite demo row by row."""

from __future__ import annotations

from tests.core.reports import test_ledger as laptop_tests
from tests.pg.rerun import rerun_on_office

rerun_on_office(laptop_tests, globals())
