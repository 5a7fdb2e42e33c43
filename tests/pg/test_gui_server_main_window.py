"""tests/ui/test_main_window.py again, on the office's PostgreSQL server (see tests/pg/rerun.py): the same clicks
and keys on the same widgets, with the window's database on the server."""

from __future__ import annotations

from tests.pg.rerun import rerun_on_office
from tests.ui import test_main_window as laptop_tests

rerun_on_office(laptop_tests, globals(), skip={
    "test_damaged_database_is_reported_in_chinese",  # the SQLite file itself
    "test_every_window_and_dialog_fits_a_1280x720_screen"})  # a laptop window
