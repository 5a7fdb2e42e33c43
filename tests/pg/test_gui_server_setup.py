"""tests/ui/setup/test_setup.py again, on the office's PostgreSQL server (see tests/pg/rerun.py): the same clicks
and keys on the same widgets, with the window's database on the server."""

from __future__ import annotations

import pytest

from tests.pg.rerun import rerun_on_office
from tests.ui.setup import test_setup as laptop_tests

rerun_on_office(laptop_tests, globals(), skip={"test_the_empty_start_page_offers_the_next_actions"})  # its server
# wording: 办公室数据库中还没有任何记录 (tests/pg/test_gui_server_demo.py)


@pytest.fixture(autouse=True)
def rows_read_from_the_server(monkeypatch):
    """The laptop module's ``rows`` opens the SQLite file with sqlite3; the same query, on the server."""
    monkeypatch.setattr(laptop_tests, "rows", rows)


def rows(services, sql: str) -> list:
    from sqlalchemy import text

    with services.db.session() as session:
        return [tuple(row) for row in session.execute(text(sql)).all()]
