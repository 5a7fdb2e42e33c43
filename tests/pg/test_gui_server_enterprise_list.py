"""tests/ui/records/test_enterprise_list.py again, on the office's PostgreSQL server (see tests/pg/rerun.py): the same clicks and
keys on the same widgets, with the window's database on the server and the stored values read from it."""

from __future__ import annotations

from tests.pg.rerun import rerun_on_office
from tests.ui.records import test_enterprise_list as laptop_tests

rerun_on_office(laptop_tests, globals(), stand_ins=("query", "sqlite3"))  # rows read; one changed behind the list
