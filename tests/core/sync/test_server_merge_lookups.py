"""The server merge tests again, with every lookup of more than one id sent through the temporary id
table (:func:`inspector.core.sync.server_rows.lookup_table`, used for large merges; histories through
:func:`~inspector.core.sync.server_rows.lookup_pairs`) instead of ``IN`` lists: the same rows, history,
conflicts and locks."""

from __future__ import annotations

import pytest

import tests.pg.test_server_merge as server_merge_tests
from tests.pg.fixtures import pg_cluster, pg_db, pg_url  # noqa: F401
from tests.pg.rerun import rerun

rerun(server_merge_tests, globals())


@pytest.fixture(autouse=True)
def lookups_through_the_id_table(monkeypatch):
    from inspector.core.sync import server_rows

    calls = {"lookup_table": [], "lookup_pairs": []}

    def counting(name):
        real = getattr(server_rows, name)

        def counted(connection, ids):
            used = real(connection, ids)
            calls[name].append(used)
            return used
        return counted

    monkeypatch.setattr(server_rows, "BATCH", 1)
    monkeypatch.setattr(server_rows, "lookup_table", counting("lookup_table"))
    monkeypatch.setattr("inspector.core.sync.server_shadow.lookup_pairs", counting("lookup_pairs"))
    yield
    assert any(calls["lookup_table"]), "no lookup went through the id table"
    assert any(calls["lookup_pairs"]), "no history lookup went through the pairs table"
