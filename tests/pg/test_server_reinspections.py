"""tests/core/loop/test_reinspections.py again, on the office's PostgreSQL server (see tests/pg/rerun.py)."""

from __future__ import annotations

from tests.core.loop import test_reinspections as laptop_tests
from tests.pg.rerun import rerun_on_office

rerun_on_office(laptop_tests, globals())
