"""Run a laptop test module again on the office's PostgreSQL server.

``rerun(module, globals(), skip=...)`` copies the module's tests and fixtures into the calling test
module, which then defines a ``services`` fixture that opens a fresh server database: the same test
functions pass on both backends. Tests that look into the SQLite file itself are named in ``skip``.
"""

from __future__ import annotations

import pytest

from tests.pg.fixtures import pg_url  # noqa: F401  (the fixture the server ``services`` needs)


def rerun(module, namespace: dict, *, skip: set[str] = frozenset()) -> None:
    for name, value in vars(module).items():
        if name in skip or name in ("services", "demo_services"):  # the server's own (below) stay
            continue
        is_fixture = type(value).__name__ == "FixtureFunctionDefinition" or hasattr(value, "_fixture_function_marker")
        if is_fixture or (name.startswith("test_") and callable(value)):
            namespace[name] = value


@pytest.fixture
def server_services(data_dir, pg_url):  # noqa: F811
    from inspector.services import Services

    services = Services(data_dir, database_url=pg_url)
    yield services
    services.close()


@pytest.fixture
def demo_services(demo_dir, pg_url):  # noqa: F811
    """The laptop tests' demo data (``demo_dir``) copied onto a fresh server database."""
    from inspector.services import Services
    from tests.pg.server_copy import copy_into_server

    copy_into_server(demo_dir / "inspector.db", pg_url)
    services = Services(demo_dir, database_url=pg_url)
    yield services
    services.close()
