"""The server merge verifies big files side by side in worker processes: the same verified exports as the
laptop's verify_all, and any bad file refuses them all, each bad one named, in the files' order."""

from __future__ import annotations

import pytest

from inspector.core.sync import server_verify
from inspector.core.sync.merge import verify_all as verify_here
from inspector.core.sync.verify import ExportRefused
from tests.core.sync.test_sync_support import Device, tamper


@pytest.fixture
def exports(folder):
    """Three sound exports of two laptops (one with a photo and a notice)."""
    a, b = Device(folder / "a", "a"), Device(folder / "b", "b")
    enterprise = a.enterprise(1)
    finding = a.finding(2, a.inspection(2, enterprise))
    a.photo(3, finding, picture=0)
    a.notice(4, enterprise)
    first = a.export()
    b.enterprise(5)
    second = b.export()
    a.finding(6, a.inspection(6, enterprise), "新发现")
    return [first, second, a.export()]


@pytest.fixture
def in_workers(monkeypatch):
    """Workers however small the files are (two, even on one core); returns the calls that used them."""
    used = []
    real = server_verify._in_workers
    monkeypatch.setattr(server_verify, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(server_verify, "_cores", lambda: 2)
    monkeypatch.setattr(server_verify, "_in_workers", lambda *args: used.append(args) or real(*args))
    return used


def only_in_workers(monkeypatch) -> None:
    """A file verified in the test's own process fails the test: the workers must do it all."""
    def not_here(path):
        raise AssertionError(f"{path} was verified in this process, not in a worker")

    monkeypatch.setattr(server_verify, "verify_one", not_here)


def test_workers_give_what_verifying_here_gives_in_the_files_order(exports, in_workers, monkeypatch):
    only_in_workers(monkeypatch)
    steps = []
    verified = server_verify.verify_all(exports, lambda done, total: steps.append((done, total)))
    assert len(in_workers) == 1
    here = verify_here(exports)
    assert [v.path for v in verified] == exports
    assert [(v.manifest, v.versions, v.history_entries, v.stat) for v in verified] == \
           [(v.manifest, v.versions, v.history_entries, v.stat) for v in here]
    assert steps == [(1, 3), (2, 3), (3, 3)]


def test_a_bad_file_among_good_ones_refuses_them_all_naming_each_bad_one(folder, exports, in_workers):
    future = tamper(exports[1], folder / "future.db", "UPDATE enterprise SET updated_at = '9999-12-31T00:00:00.000000Z'")
    truncated = folder / "truncated.db"
    truncated.write_bytes(exports[2].read_bytes()[:-4096])
    with pytest.raises(ExportRefused) as refused:
        server_verify.verify_all([exports[0], truncated, future], workers=2)
    assert len(in_workers) == 1
    message = refused.value.message
    assert message.index("truncated.db") < message.index("future.db") and "不完整" in message
    assert "updated_at" in message and message.endswith("（所有文件均未合并）")
    with pytest.raises(ExportRefused) as here:
        verify_here([exports[0], truncated, future])
    assert here.value.message == message


def test_small_calls_one_file_and_frozen_builds_verify_in_this_process(exports, monkeypatch):
    used = []
    monkeypatch.setattr(server_verify, "_in_workers", lambda *args: used.append(args))
    monkeypatch.setattr(server_verify, "_cores", lambda: 2)
    assert len(server_verify.verify_all(exports)) == 3  # a few KB: below PARALLEL_BYTES
    monkeypatch.setattr(server_verify, "PARALLEL_BYTES", 0)
    assert len(server_verify.verify_all(exports[:1])) == 1
    monkeypatch.setattr("sys.frozen", True, raising=False)
    assert len(server_verify.verify_all(exports)) == 3
    assert used == []


def test_a_worker_that_ends_without_a_result_has_its_file_verified_here(exports, in_workers, monkeypatch):
    monkeypatch.setattr("sys.executable", "/bin/false")  # every worker exits at once, leaving nothing
    verified = server_verify.verify_all(exports)
    assert len(in_workers) == 1
    assert [v.versions for v in verified] == [v.versions for v in verify_here(exports)]
