"""tests/test_cli_bounded_inputs.py again, with the office database on the server (see tests/pg/rerun.py): hostile
checklists, xlsx and csv files refused before parsing, rejected rows named, when the enterprises go to the server."""

from __future__ import annotations

from tests import test_cli_bounded_inputs as laptop_tests
from tests.pg.rerun import rerun_on_office

rerun_on_office(laptop_tests, globals(), office_dirs=("data_dir",))
