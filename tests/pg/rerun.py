"""Run a laptop test module again on the office's PostgreSQL server.

``rerun_on_office(module, globals(), ...)`` is the whole of a re-run module: it copies the laptop module's
tests and fixtures into the calling module (``rerun``), puts their database on the server (a ``services``
fixture on a fresh server database, ``demo_services`` on the demo copied there, or the data directories the
CLI tests pass moved onto the server) and adds ``test_these_tests_run_on_the_server``, which checks that every
one of those fixtures the copied tests ask for is on the server. Tests that look into the SQLite file itself
are named in ``skip``.
"""

from __future__ import annotations

import inspect
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.pg.fixtures import pg_url


def rerun(module, namespace: dict, *, skip: set[str] = frozenset()) -> list:
    """Copies ``module``'s tests and fixtures into ``namespace``; returns them."""
    copied = []
    for name, value in vars(module).items():
        if name in skip or name in ("services", "demo_services"):  # the server's own (below) stay
            continue
        is_fixture = type(value).__name__ == "FixtureFunctionDefinition" or hasattr(value, "_fixture_function_marker")
        if is_fixture or (name.startswith("test_") and callable(value)):
            namespace[name] = value
            copied.append(value)
    return copied


def rerun_on_office(module, namespace: dict, *, skip: set[str] = frozenset(), services: str | None = "server_services",
                    office_dirs: tuple[str, ...] = (), stand_ins: tuple[str, ...] = (),
                    saved_connection: str | None = None) -> None:
    """``module``'s tests again, on the server, in the module whose ``globals()`` is ``namespace``:

    - ``services`` (the laptop tests' fixture) is ``server_services``, a fresh server database, or
      ``"demo_services"`` (None: the laptop's own, for a CLI test given its data directory only);
      ``demo_services`` is always the demo copied onto the server;
    - ``office_dirs`` names data-directory fixtures (``"demo_dir"``, ``"data_dir"``) of CLI tests that pass only
      ``--data-dir``: each becomes an office PC's directory on the server (:func:`office_data_dir`);
    - ``stand_ins`` names the laptop module's own readers of the SQLite file replaced by the server's:
      ``"query"`` (``person.query`` too, :func:`query_on_the_server`), ``"sqlite3"`` (:func:`sqlite3_on_the_server`);
    - ``saved_connection`` names the data directory fixture in which the server's connection is saved (and
      followed by ``Services(dir)``), for tests that run ``inspector --data-dir DIR …`` on it.
    """
    copied = rerun(module, namespace, skip=skip)
    namespace.update(pg_url=pg_url, server_services=server_services, demo_services=demo_services, server_sql=server_sql,
                     query_on_the_server=query_on_the_server, sqlite3_on_the_server=sqlite3_on_the_server)
    if services:
        namespace["services"] = SERVICES[services]
    for name in office_dirs:
        namespace[name] = OFFICE_DIRS[name]
    if stand_ins:
        namespace["server_stand_ins"] = _stand_ins_fixture(module, stand_ins)
    if saved_connection:
        namespace["cli_on_the_same_server"] = _saved_connection_fixture(saved_connection)
    on_the_server = ("services",) * bool(services) + ("demo_services", *office_dirs)
    checked = [name for name in on_the_server if name in _requested(copied)]
    if not checked:
        raise ValueError(f"{module.__name__}: no copied test uses services, demo_services or {office_dirs}")
    namespace["test_these_tests_run_on_the_server"] = _the_check(checked, office_dirs)


def _requested(copied: list) -> set[str]:
    """The fixture names the copied tests and fixtures take as arguments."""
    names: set[str] = set()
    for value in copied:
        function = value._get_wrapped_function() if hasattr(value, "_get_wrapped_function") else value
        names.update(inspect.signature(function).parameters)
    return names


def _the_check(checked: list[str], office_dirs: tuple[str, ...]):
    def test_these_tests_run_on_the_server(request):
        from inspector.services import Services

        for name in checked:
            if name not in office_dirs:
                assert request.getfixturevalue(name).db.backend == "postgresql", name
                continue
            data_dir = request.getfixturevalue(name)
            services = Services(data_dir)  # as the CLI opens it: through the connection saved there
            try:
                assert services.db.backend == "postgresql" and not (data_dir / "inspector.db").exists(), name
            finally:
                services.close()
    test_these_tests_run_on_the_server.__doc__ = f"The copied tests' {', '.join(checked)}: on the server."
    return test_these_tests_run_on_the_server


@pytest.fixture(name="services")
def services_on_the_server(server_services):
    return server_services


@pytest.fixture(name="services")
def services_of_the_demo_on_the_server(demo_services):
    return demo_services


SERVICES = {"server_services": services_on_the_server, "demo_services": services_of_the_demo_on_the_server}


@pytest.fixture(name="demo_dir")
def demo_dir_on_the_server(demo_dir, pg_url, monkeypatch):
    return office_data_dir(demo_dir, pg_url, monkeypatch)


@pytest.fixture(name="data_dir")
def data_dir_on_the_server(data_dir, pg_url, monkeypatch):
    return office_data_dir(data_dir, pg_url, monkeypatch)


OFFICE_DIRS = {"demo_dir": demo_dir_on_the_server, "data_dir": data_dir_on_the_server}


def _stand_ins_fixture(module, stand_ins: tuple[str, ...]):
    unknown = set(stand_ins) - {"query", "sqlite3"}
    assert not unknown, f"no server stand-in for {unknown}"

    @pytest.fixture(autouse=True)
    def server_stand_ins(request, monkeypatch):
        """The laptop module's own readers of the SQLite file read the server instead."""
        if "query" in stand_ins:
            monkeypatch.setattr(module, "query", request.getfixturevalue("query_on_the_server"), raising=False)
        if "sqlite3" in stand_ins:
            monkeypatch.setattr(module, "sqlite3", request.getfixturevalue("sqlite3_on_the_server"))
    return server_stand_ins


def _saved_connection_fixture(data_dir_fixture: str):
    @pytest.fixture(autouse=True)
    def cli_on_the_same_server(request, pg_url, monkeypatch):
        """The tests that run ``inspector --data-dir DIR …`` (and open ``Services(DIR)`` again) reach this server
        through the connection saved there."""
        save_office_connection(request.getfixturevalue(data_dir_fixture), pg_url)
        follow_saved_connections(monkeypatch)
    return cli_on_the_same_server


@pytest.fixture
def server_services(data_dir, pg_url):
    from inspector.services import Services

    services = Services(data_dir, database_url=pg_url)
    yield services
    services.close()


@pytest.fixture
def demo_services(demo_dir, pg_url):
    """The laptop tests' demo data (``demo_dir``) copied onto a fresh server database."""
    from inspector.services import Services
    from tests.pg.server_copy import copy_into_server

    copy_into_server(demo_dir / "inspector.db", pg_url)
    services = Services(demo_dir, database_url=pg_url)
    yield services
    services.close()


def office_data_dir(data_dir, pg_url: str, monkeypatch) -> Path:
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


@contextmanager
def office_session(data_dir):
    """A session (committed at the end) on the database ``Services(data_dir)`` opens: an office PC's data
    directory (:func:`office_data_dir`) reaches the server, as the CLI given that directory does."""
    from inspector.services import Services

    services = Services(data_dir)
    try:
        with services.db.session() as session:
            yield session
    finally:
        services.close()


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
def server_sql(pg_url):
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
