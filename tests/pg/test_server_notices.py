"""tests/core/documents/test_notices.py again, on the office's PostgreSQL server (see tests/pg/rerun.py):
issuing, the notices list, voiding, verifying against the database, sealing; the demo copied onto the server."""

from __future__ import annotations

from tests.core.documents import test_notices as laptop_tests
from tests.pg.rerun import rerun_on_office

rerun_on_office(laptop_tests, globals(), services="demo_services")
