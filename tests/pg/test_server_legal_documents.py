"""tests/core/documents/test_legal_documents.py again, on the office's PostgreSQL server (see tests/pg/rerun.py);
the demo copied onto the server."""

from __future__ import annotations

from tests.core.documents import test_legal_documents as laptop_tests
from tests.pg.rerun import rerun_on_office

rerun_on_office(laptop_tests, globals(), saved_connection="data_dir")  # tests running `inspector --data-dir DIR …`
