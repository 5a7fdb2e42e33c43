"""The server merge tests again, with every call's files verified in worker processes, so each file's row
versions come back on disk (:class:`inspector.core.sync.server_versions.StoredVersions`, what a merge of big
files plans and writes history from) instead of in memory: the same rows, history, conflicts and refusals."""

from __future__ import annotations

import pytest

import tests.pg.test_server_merge as server_merge_tests
import tests.pg.test_server_sync_properties as server_property_tests
from tests.pg.fixtures import pg_cluster, pg_db, pg_url  # noqa: F401
from tests.pg.rerun import rerun

rerun(server_merge_tests, globals())
# several files per call, planned against each other; the generated histories (minutes with workers) run in
# tests/pg/test_server_sync_properties.py, where the files verify in the merge's process: the planner and the
# history writer are the same, only the versions' mapping differs
rerun(server_property_tests, globals(), skip={"test_two_laptops_and_the_office_server",
                                            "test_three_laptops_and_the_office_server"})


@pytest.fixture(scope="module")
def opened():
    """Stores opened by the module's merges: most calls merge one file, verified in the merge's process."""
    opened: list = []
    yield opened
    assert opened, "no file's versions came back on disk"


@pytest.fixture(autouse=True)
def versions_on_disk(monkeypatch, opened):
    from inspector.core.sync import server_verify, server_versions

    real = server_versions.open_store

    def counted(path, counts):
        opened.append(path)
        return real(path, counts)

    monkeypatch.setattr(server_verify, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(server_verify, "_cores", lambda: 2)
    monkeypatch.setattr(server_verify, "open_store", counted)


def test_stored_versions_are_the_verified_ones(tmp_path):
    """A store read back gives the versions it was written from, in the same order."""
    from inspector.core.sync.rows import Version
    from inspector.core.sync.server_versions import open_store, write_store, close_store

    versions = {"inspection": {"a": Version("a", "d1", (0, "2026-01-01", 2, "dev", "b1", ""), False),
                               "c": Version("c", "d2", (0, "2026-01-02", 1, "dev", "b2", "x"), True)},
                "checklist_snapshot": {"s": Version("s", "d3", (0, (-50, -48), 0, "", "d3", ""), False)},
                "notice": {"n": Version("n", "d4", (1, "t", 1, "d", "b", ""), False, "f" * 64)}}
    counts = write_store(tmp_path / "v.db", versions)
    stored = open_store(tmp_path / "v.db", counts)
    try:
        for table, rows in versions.items():
            assert list(stored[table].items()) == list(rows.items())
            assert list(stored[table]) == list(rows) and len(stored[table]) == len(rows)
            assert list(stored[table].digests()) == [(i, v.digest) for i, v in rows.items()]
            assert all(i in stored[table] and stored[table][i] == v for i, v in rows.items())
        assert "zz" not in stored["inspection"] and len(stored["finding"]) == 0
        with pytest.raises(KeyError):
            stored["inspection"]["zz"]
    finally:
        close_store(stored)
