"""The merge's ``quick_check`` of an incoming file runs once, on whichever thread gets to it first: the writer once
it has written the rows new everywhere (most often, done before the row check), or the caller after the rows.
The verdict and the refusal are the same either way, and a refusal leaves the database as it was."""

from __future__ import annotations

import gc
import shutil
import threading

import pytest

from inspector.core.sync import merge_pipeline, verify
from inspector.core.sync.verify import ExportRefused, Verification
from tests.core.sync.test_full_export import _misreport_fragments, _page_of
from tests.core.sync.test_merge_pipeline import every_table, scene  # noqa: F401 (fixture)
from tests.core.sync.test_sync_support import file_digest


@pytest.fixture
def quick_checks(monkeypatch) -> list[str]:
    """The names of the threads that ran ``quick_check`` on an incoming file."""
    names, original = [], verify._check_integrity

    def spy(connection, path, quick=False):
        if quick:
            names.append(threading.current_thread().name)
        return original(connection, path, quick)

    monkeypatch.setattr(verify, "_check_integrity", spy)
    return names


@pytest.fixture
def writer_first(monkeypatch):
    """The rows are checked only once the writer thread has finished."""
    done, run, check_rows = threading.Event(), merge_pipeline._Writer._run, Verification.check_rows

    def writer(self):
        try:
            run(self)
        finally:
            done.set()

    def rows(self, progress=None):
        assert done.wait(60)
        return check_rows(self, progress)

    monkeypatch.setattr(merge_pipeline._Writer, "_run", writer)
    monkeypatch.setattr(Verification, "check_rows", rows)


def test_a_writer_done_first_runs_the_quick_check_and_its_verdict_refuses_the_file(scene, b, tmp_path,  # noqa: F811
                                                                                  quick_checks, writer_first):
    bad = tmp_path / "bad.db"
    shutil.copy(scene, bad)
    _misreport_fragments(bad, _page_of(bad, "ix_enterprise_name"))  # readable: only quick_check sees it
    gc.collect()
    before_rows, before_bytes = every_table(b.path), file_digest(b.path)
    with pytest.raises(ExportRefused, match="已损坏（SQLite 完整性检查"):
        b.merge(bad)
    assert quick_checks == ["merge-writer"]
    assert every_table(b.path) == before_rows and file_digest(b.path) == before_bytes
    assert not b.path.with_name("inspector.db-wal").exists()


def test_a_sound_file_is_quick_checked_once(scene, b, quick_checks, writer_first):  # noqa: F811
    report = b.merge(scene)
    assert report.total("added") >= 10
    assert quick_checks == ["merge-writer"]


def test_a_caller_done_first_runs_it_itself(scene, b, quick_checks, monkeypatch):  # noqa: F811
    """The writer held until the rows (and so quick_check) are checked: the caller's thread ran it, once."""
    rows_done, run, check_rows = threading.Event(), merge_pipeline._Writer._run, Verification.check_rows

    def writer(self):
        assert rows_done.wait(60)
        run(self)

    def rows(self, progress=None):
        try:
            return check_rows(self, progress)
        finally:
            rows_done.set()

    monkeypatch.setattr(merge_pipeline._Writer, "_run", writer)
    monkeypatch.setattr(Verification, "check_rows", rows)
    b.merge(scene)
    assert quick_checks == [threading.main_thread().name]
