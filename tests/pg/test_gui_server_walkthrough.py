"""tests/ui/walkthrough/test_walkthrough.py again, on the office's PostgreSQL server (see tests/pg/rerun.py): the same clicks and
keys on the same widgets, with the window's database on the server and the stored values read from it."""

from __future__ import annotations

import pytest

from tests.pg.rerun import rerun_on_office
from tests.ui.walkthrough import test_walkthrough as laptop_tests

rerun_on_office(laptop_tests, globals(), stand_ins=("query", "sqlite3"))  # its reads of the stored rows


@pytest.fixture(autouse=True)
def the_server_checked(server_services, monkeypatch):
    """``check_database(path)`` (the SQLite file's integrity check) becomes the server's check of the same database."""
    from inspector.core.sync.server_check import check_server_database

    monkeypatch.setattr(laptop_tests, "check_database", lambda path: check_server_database(server_services.db))
