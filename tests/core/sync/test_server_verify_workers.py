"""A server merge's verifying workers each verify file after file (one process per core, not per file), and a
worker that dies between files is replaced: its file is verified here, the next one by a new worker."""

from __future__ import annotations

import pytest

from inspector.core.sync import server_verify
from inspector.core.sync.merge import verify_all as verify_here
from tests.core.sync.test_server_verify import only_in_workers
from tests.core.sync.test_sync_support import Device


@pytest.fixture
def exports(folder):
    """Four sound exports of two laptops (one with a photo and a notice)."""
    a, b = Device(folder / "a", "a"), Device(folder / "b", "b")
    enterprise = a.enterprise(1)
    a.photo(3, a.finding(2, a.inspection(2, enterprise)), picture=0)
    a.notice(4, enterprise)
    first = a.export()
    b.enterprise(5)
    second = b.export()
    a.finding(6, a.inspection(6, enterprise), "新发现")
    third = a.export()
    b.enterprise(7)
    return [first, second, third, b.export()]


@pytest.fixture
def started(monkeypatch):
    """Workers however small the files are; returns the workers started."""
    workers = []
    real = server_verify._Worker.start.__func__

    def start(cls):
        worker = real(cls)
        workers.append(worker)
        return worker

    monkeypatch.setattr(server_verify, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(server_verify, "_cores", lambda: 2)
    monkeypatch.setattr(server_verify._Worker, "start", classmethod(start))
    return workers


def _same(verified, exports):
    here = verify_here(exports)
    assert [v.path for v in verified] == exports
    assert [(v.manifest, v.versions, v.history_entries, v.stat) for v in verified] == \
           [(v.manifest, v.versions, v.history_entries, v.stat) for v in here]


def test_two_workers_verify_four_files_between_them(exports, started, monkeypatch):
    only_in_workers(monkeypatch)
    steps = []
    verified = server_verify.verify_all(exports, lambda done, total: steps.append((done, total)))
    assert len(started) == 2
    assert all(worker.process.returncode == 0 for worker in started)  # each ended when its input closed
    assert steps == [(1, 4), (2, 4), (3, 4), (4, 4)]
    _same(verified, exports)


def test_a_worker_killed_between_files_is_replaced_and_its_file_verified_here(exports, started, monkeypatch, tmp_path):
    from inspector.core.sync.server_versions import close_store

    here, calls = [], []
    real_one, real_verify = server_verify.verify_one, server_verify._Worker.verify

    def verify(worker, path, out):
        calls.append(path)
        if len(calls) == 2:  # the first worker dies before it answers for its second file
            worker.process.kill()
            worker.process.wait()
        return real_verify(worker, path, out)

    monkeypatch.setattr(server_verify._Worker, "verify", verify)
    monkeypatch.setattr(server_verify, "verify_one", lambda path: here.append(path) or real_one(path))
    verified = server_verify._in_workers(exports, None, 1, tmp_path)  # one feeding thread: one file at a time
    stores = [export.versions for export in verified]
    try:
        assert len(started) == 2  # one replacement, for the files after the lost one
        assert sorted(calls) == sorted(exports)  # the files after it: sent to the new worker
        assert here == [str(calls[1])]  # the file the dead worker was sent, and no other, verified here
        for export in verified:
            export.versions = {table: dict(rows.items()) for table, rows in export.versions.items()}
        _same(verified, exports)
    finally:
        for store in stores:
            close_store(store)
