"""tests/core/reports/test_analysis.py again, on the office's PostgreSQL server (see tests/pg/rerun.py):
figures, activity, comparisons, the PDF and closing a month."""

from __future__ import annotations

from tests.core.reports import test_analysis as laptop_tests
from tests.pg.rerun import rerun_on_office

rerun_on_office(laptop_tests, globals())
