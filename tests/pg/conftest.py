"""The server fixtures for this folder (defined in tests/pg/fixtures.py so other folders can share them)."""

from tests.pg.fixtures import any_db, any_url, pg_cluster, pg_db, pg_url  # noqa: F401
