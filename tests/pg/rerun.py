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


def office_data_dir(data_dir, pg_url: str, monkeypatch) -> "Path":  # noqa: F821
    """Turn a laptop test's data directory (the demo's, say) into an office PC's, for re-running CLI test
    modules that pass only ``--data-dir``: its rows copied onto the server database ``pg_url``, the
    connection saved in its settings.json as ``inspector office connect`` keeps it (so every command given
    that data directory works on the server), and its SQLite file removed, so a test that still reaches
    for the file fails instead of passing against it. ``Services(data_dir)`` in the tests' own helpers
    follows the saved connection too, as the GUI and the CLI do (``saved_office=True``)."""
    from tests.pg.server_copy import copy_into_server

    database = data_dir / "inspector.db"
    if database.exists():
        copy_into_server(database, pg_url)
    for leftover in data_dir.glob("inspector.db*"):
        leftover.unlink()
    save_office_connection(data_dir, pg_url)
    follow_saved_connections(monkeypatch)
    return data_dir


def follow_saved_connections(monkeypatch) -> None:
    """``Services(dir)`` in the tests' own helpers follows a connection saved in ``dir`` (``saved_office=True``),
    as the GUI and the CLI do; without a saved connection it opens the SQLite file as before."""
    from inspector.services import Services

    original = Services.__init__

    def following_the_saved_connection(self, *args, **options):
        options.setdefault("saved_office", True)
        original(self, *args, **options)
    monkeypatch.setattr(Services, "__init__", following_the_saved_connection)


def save_office_connection(data_dir, url: str) -> None:
    """The office connection saved in the data directory's settings.json, as ``inspector office connect`` keeps
    it: a CLI command given only ``--data-dir`` (as a GUI test may run one) then works on that server too."""
    import json

    from inspector.db.office_link import SETTING

    settings = data_dir / "settings.json"
    values = json.loads(settings.read_text(encoding="utf-8")) if settings.exists() else {}
    settings.write_text(json.dumps({**values, SETTING: url}, ensure_ascii=False), encoding="utf-8")


def server_query(url: str):
    """A stand-in for the GUI tests' ``query(database, sql, *params)`` (tests/ui/walkthrough/person.py, plain
    sqlite3 on the file) that asks the server instead, ``?`` parameters and values in the SQLite file's form:
    dates and times as ISO text, JSON as its text, booleans as 0/1. ``database`` (the file's path) is ignored."""
    import json
    from datetime import date, datetime

    from sqlalchemy import create_engine, text

    engine = create_engine(url)

    def as_sqlite(value):
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, (datetime, date)):
            return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
        if isinstance(value, (list, dict)):
            return json.dumps(value, ensure_ascii=False)
        return value

    def query(database, sql: str, *params):
        names = iter(range(len(params)))
        statement = "".join(f":p{next(names)}" if part == "?" else part for part in _split_marks(sql))
        with engine.begin() as connection:  # committed: the tests also change rows behind the window's back
            result = connection.execute(text(statement), {f"p{n}": value for n, value in enumerate(params)})
            rows = result.all() if result.returns_rows else []
        return [tuple(as_sqlite(value) for value in row) for row in rows]
    return query, engine


def _split_marks(sql: str) -> list[str]:
    """``sql`` cut around each ``?`` outside quotes (the tests' SQL has no ``?`` inside a string)."""
    import re

    return re.split(r"(\?)", sql)


@pytest.fixture
def server_sql(pg_url):  # noqa: F811
    """:func:`server_query` on this test's server database."""
    query, engine = server_query(pg_url)
    yield query
    engine.dispose()


@pytest.fixture
def query_on_the_server(server_sql, monkeypatch):
    """``person.query`` (and so ``person.one``) of the GUI tests reads the server for this test; returns it."""
    from tests.ui.walkthrough import person

    monkeypatch.setattr(person, "query", server_sql)
    return server_sql


@pytest.fixture
def sqlite3_on_the_server(server_sql):
    """A stand-in for the ``sqlite3`` module of a GUI test that opens the database file itself:
    ``connect(path)`` gives a connection whose ``execute(sql, params)`` runs on the server (see
    :func:`server_query`), usable as a context manager, with ``fetchone``/``fetchall`` on the result."""
    from types import SimpleNamespace

    class Rows:
        def __init__(self, rows):
            self.rows = rows

        def fetchone(self):
            return self.rows[0] if self.rows else None

        def fetchall(self):
            return self.rows

    class Connection:
        def execute(self, sql, params=()):
            return Rows(server_sql(None, sql, *params))

        def commit(self):
            pass

        def close(self):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    return SimpleNamespace(connect=lambda *args, **kwargs: Connection())
