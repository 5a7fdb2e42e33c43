"""tests/test_cli_verification.py again, with the office database on the server (see tests/pg/rerun.py):
the office certifies its own signing key (kept in the office database), issues on the server, and a verifier
with only the trust file checks the PDF, the QR text and a scan; revocation and rotation."""

from __future__ import annotations

import pytest

from tests import test_cli_verification as laptop_tests
from tests.pg.rerun import office_data_dir, rerun

rerun(laptop_tests, globals())


@pytest.fixture
def demo_dir(demo_dir, pg_url, monkeypatch):  # noqa: F811 - the laptop's demo_dir, moved onto the server
    return office_data_dir(demo_dir, pg_url, monkeypatch)


def test_these_tests_run_on_the_server(demo_dir):
    from inspector.services import Services

    services = Services(demo_dir)
    try:
        assert services.db.backend == "postgresql" and not (demo_dir / "inspector.db").exists()
    finally:
        services.close()
