"""tests/test_cli_bounded_inputs.py again, with the office database on the server (see tests/pg/rerun.py): hostile
checklists, xlsx and csv files refused before parsing, rejected rows named, when the enterprises go to the server."""

from __future__ import annotations

import pytest

from tests import test_cli_bounded_inputs as laptop_tests
from tests.pg.rerun import office_data_dir, rerun

rerun(laptop_tests, globals())


@pytest.fixture
def demo_dir(demo_dir, pg_url, monkeypatch):  # noqa: F811 - the laptop's demo_dir, moved onto the server
    return office_data_dir(demo_dir, pg_url, monkeypatch)


@pytest.fixture
def data_dir(data_dir, pg_url, monkeypatch):  # noqa: F811 - an empty data directory, its database on the server
    return office_data_dir(data_dir, pg_url, monkeypatch)


def test_these_tests_run_on_the_server(data_dir):
    from inspector.services import Services

    services = Services(data_dir)
    try:
        assert services.db.backend == "postgresql" and not (data_dir / "inspector.db").exists()
    finally:
        services.close()
