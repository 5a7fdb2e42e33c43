"""tests/core/records/test_checklist_flags.py again, on the office's PostgreSQL server (see tests/pg/rerun.py):
the walk-through's answers and their 重大 flags (multi-condition articles, flags limited to an enterprise
kind, 重大火灾隐患 apart) recorded on the server."""

from __future__ import annotations

from tests.core.records import test_checklist_flags as laptop_tests
from tests.pg.rerun import rerun_on_office

rerun_on_office(laptop_tests, globals())
