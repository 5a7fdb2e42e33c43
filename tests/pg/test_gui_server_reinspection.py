"""tests/ui/loop/test_reinspection_tab.py again, on the office's PostgreSQL server (see tests/pg/rerun.py):
the 复查 tab and the hazard window, clicked through, on a server database."""

from __future__ import annotations

from tests.pg.rerun import rerun_on_office
from tests.ui.loop import test_reinspection_tab as laptop_tests

rerun_on_office(laptop_tests, globals())
