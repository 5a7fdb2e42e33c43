"""Fixtures for tests against a real PostgreSQL server (one throwaway cluster per test session).

``pg_url`` is a fresh empty database per test; ``any_url``/``any_db`` run a test on SQLite and on
PostgreSQL. The tests skip only when Debian's postgresql package is not installed
(``python -m inspector.bootstrap test`` installs it). Other test folders can use these fixtures with
``pytest_plugins = ["tests.pg.fixtures"]`` in the top-level ``tests/conftest.py`` (then drop
tests/pg/conftest.py, or the session would start two clusters).
"""

from __future__ import annotations

import pytest

from tests.pg.cluster import Cluster, find_bin_dir


@pytest.fixture(scope="session")
def pg_cluster():
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql): server tests skipped")
    cluster = Cluster(bin_dir).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> str:
    return pg_cluster.create_database()


@pytest.fixture
def pg_db(pg_url):
    from inspector.db.database import Database

    db = Database.open_url(pg_url)
    yield db
    db.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request, tmp_path) -> str:
    """The same test on a laptop's SQLite file and on the office's PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'inspector.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def any_db(any_url):
    from inspector.db.database import Database

    db = Database.open_url(any_url)
    yield db
    db.close()
