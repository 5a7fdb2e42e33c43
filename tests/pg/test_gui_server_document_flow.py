"""tests/ui/documents/test_document_flow.py again, on the office's PostgreSQL server (see tests/pg/rerun.py): the same clicks and
keys on the same widgets, with the window's database on the server."""

from __future__ import annotations

import pytest

from tests.pg.rerun import rerun_on_office, save_office_connection
from tests.ui.documents import test_document_flow as laptop_tests

rerun_on_office(laptop_tests, globals())


@pytest.fixture(autouse=True)
def cli_on_the_same_server(demo_dir, pg_url):
    """test_two_live_documents_… runs ``inspector --data-dir DIR notices``: saved there, it reaches the window's server."""
    save_office_connection(demo_dir, pg_url)
