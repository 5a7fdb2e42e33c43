"""tests/test_cli_notices.py again, with the office database on the server (see tests/pg/rerun.py):
the office certifies its own signing key (kept in the office database), issues on the server, and a verifier
with only the trust file checks the PDF, the QR text and a scan; revocation and rotation."""

from __future__ import annotations

from tests import test_cli_notices as laptop_tests
from tests.pg.rerun import rerun_on_office

rerun_on_office(laptop_tests, globals(), office_dirs=("demo_dir",))
