"""tests/ui/records/test_record_forms.py again, on the office's PostgreSQL server (see tests/pg/rerun.py): the same clicks and
keys on the same widgets, with the window's database on the server and the stored values read from it."""

from __future__ import annotations

import pytest

from tests.pg.rerun import query_on_the_server, rerun, server_services, server_sql  # noqa: F401
from tests.ui.records import test_record_forms as laptop_tests

rerun(laptop_tests, globals())


@pytest.fixture
def services(server_services):
    return server_services


@pytest.fixture(autouse=True)
def stored_values_from_the_server(query_on_the_server, monkeypatch):
    monkeypatch.setattr(laptop_tests, "query", query_on_the_server, raising=False)


def test_these_tests_run_on_the_server(services):
    assert services.db.backend == "postgresql"
