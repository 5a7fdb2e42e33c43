"""Shared by the ledger/analysis CLI tests: the CLI's global options and an open database for the backend
under test (the laptop's file in the data directory, or a server database)."""

from __future__ import annotations

import pytest


@pytest.fixture
def office(any_url, data_dir):
    """(CLI options, the same database opened for arranging data)."""
    from inspector.services import Services

    server = not any_url.startswith("sqlite")
    services = Services(data_dir, database_url=any_url if server else None)
    yield ["--data-dir", str(data_dir)] + (["--database", any_url] if server else []), services.db
    services.close()


def run(capsys, *argv) -> tuple[int, str, str]:
    """The CLI with ``argv`` (paths may be Path objects): exit code, stdout, stderr."""
    from inspector.cli import main

    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err
