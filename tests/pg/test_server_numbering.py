"""tests/core/documents/test_numbering.py again, on the office's PostgreSQL server (see tests/pg/rerun.py)."""

from __future__ import annotations

from tests.core.documents import test_numbering as laptop_tests
from tests.pg.rerun import rerun_on_office

rerun_on_office(laptop_tests, globals())
