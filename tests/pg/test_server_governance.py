"""tests/core/loop/test_governance.py again, on the office's PostgreSQL server (see tests/pg/rerun.py)."""

from __future__ import annotations

from tests.core.loop import test_governance as laptop_tests
from tests.pg.rerun import rerun_on_office

rerun_on_office(laptop_tests, globals(), saved_connection="data_dir")  # tests running `inspector --data-dir DIR …`
