"""tests/test_cli_spreadsheets.py again, with the office database on the server (see tests/pg/rerun.py): the
ledger's cells from user data are text, never formulas, when the rows come from PostgreSQL."""

from __future__ import annotations

import pytest

from tests import test_cli_spreadsheets as laptop_tests
from tests.pg.rerun import office_session, rerun_on_office

rerun_on_office(laptop_tests, globals(), office_dirs=("demo_dir",))


@pytest.fixture(autouse=True)
def poison_on_the_server(monkeypatch):
    """The laptop's ``poison`` writes the SQLite file with sqlite3; the same names, written on the server."""
    monkeypatch.setattr(laptop_tests, "poison", poison)


def poison(data_dir) -> None:
    """Every other enterprise (in id order) named with ``=HYPERLINK``, the others with a tab then ``-1+``."""
    from sqlalchemy import text

    with office_session(data_dir) as session:
        ids = session.execute(text("SELECT id FROM enterprise ORDER BY id")).scalars().all()
        for index, enterprise_id in enumerate(ids):
            prefix = laptop_tests.FORMULA if index % 2 else "\t-1+"
            session.execute(text("UPDATE enterprise SET name = :p || name WHERE id = :id"),
                            {"p": prefix, "id": enterprise_id})
