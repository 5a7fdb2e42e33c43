"""tests/ui/loop/test_dashboard_limit.py again, on the office's PostgreSQL server (see tests/pg/rerun.py): the same clicks and
keys on the same widgets, with the window's database on the server."""

from __future__ import annotations

from tests.pg.rerun import rerun_on_office
from tests.ui.loop import test_dashboard_limit as laptop_tests

rerun_on_office(laptop_tests, globals())
