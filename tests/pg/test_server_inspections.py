"""tests/core/records/test_inspections.py again, on the office's PostgreSQL server (see tests/pg/rerun.py)."""

from __future__ import annotations

from tests.core.records import test_inspections as laptop_tests
from tests.pg.rerun import rerun_on_office

rerun_on_office(laptop_tests, globals(), stand_ins=("sqlite3",))  # rows read or changed with sqlite3
