"""The server merge fills its shadow (the office's write lock, the server rows the files name, locked) while the
files are verified: a refusal or a file changed meanwhile still leaves the server unchanged and unlocked."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from inspector.core.sync import server_prefetch, server_verify
from inspector.core.sync.server_merge import merge_into_server
from inspector.core.sync.verify import ExportRefused
from tests.core.sync.test_sync_support import Device, tamper
from tests.pg.server_merge_support import server_state

WRITE_LOCK = "SELECT value FROM local_meta WHERE key = 'device_id' FOR UPDATE NOWAIT"


def _locked(db, statement: str, **params) -> bool:
    """Whether another transaction holds the row lock ``statement`` (``… FOR UPDATE NOWAIT``) asks for."""
    with db.engine.connect() as connection:
        try:
            connection.execute(text(statement), params).fetchall()
        except OperationalError as exc:
            assert "could not obtain lock" in str(exc)
            return True
        finally:
            connection.rollback()
    return False


@pytest.fixture
def prefetches(monkeypatch) -> list:
    """Every :class:`~inspector.core.sync.server_prefetch.Prefetch` the merges of the test start, each filling the
    shadow in its thread while the files are verified (these small files are verified in the test's thread)."""
    made = []

    class Recorded(server_prefetch.Prefetch):
        def __init__(self, *args, **kwargs):  # in the background, as for big files verified by workers
            super().__init__(*args, **(kwargs | {"background": True}))
            made.append(self)

    monkeypatch.setattr(server_prefetch, "Prefetch", Recorded)
    return made


def _verify_after(monkeypatch, before_verifying) -> None:
    """Verification starts only once the merge's prefetch has ended, after ``before_verifying(files)``."""
    real = server_verify.verified

    @contextmanager
    def late(files, progress=None, workers=None):
        before_verifying(files)
        with real(files, progress, workers) as exports:
            yield exports

    monkeypatch.setattr(server_verify, "verified", late)


def _merged_laptop(folder, db) -> tuple[Device, str]:
    laptop = Device(folder / "laptop", "laptop")
    enterprise = laptop.enterprise(1)
    laptop.finding(3, laptop.inspection(2, enterprise))
    merge_into_server(db, [laptop.export()])
    laptop.update("enterprise", enterprise, 4, name="兴国县改名有限公司")  # a row the server holds: locked
    return laptop, enterprise


def test_a_refusal_after_the_prefetch_locked_the_rows_releases_them_and_changes_nothing(folder, pg_db, monkeypatch,
                                                                                        prefetches):
    laptop, enterprise = _merged_laptop(folder, pg_db)
    good = laptop.export()
    bad = tamper(good, folder / "future.db", "UPDATE finding SET updated_at = '9999-12-31T00:00:00.000000Z'")
    before = server_state(pg_db)
    seen = {}

    def look(files):
        prefetches[-1]._thread.join()  # the shadow is filled: its rows and the write lock are held
        assert prefetches[-1].error is None
        seen["row"] = _locked(pg_db, "SELECT id FROM enterprise WHERE id = :i FOR UPDATE NOWAIT", i=enterprise)
        seen["write"] = _locked(pg_db, WRITE_LOCK)

    _verify_after(monkeypatch, look)
    with pytest.raises(ExportRefused, match="updated_at"):
        merge_into_server(pg_db, [good, bad])
    assert seen == {"row": True, "write": True}
    assert server_state(pg_db) == before
    assert not _locked(pg_db, "SELECT id FROM enterprise WHERE id = :i FOR UPDATE NOWAIT", i=enterprise)
    assert not _locked(pg_db, WRITE_LOCK)
    assert merge_into_server(pg_db, [good]).total("updated") == 1


def test_a_refusal_while_another_merge_holds_the_write_lock_comes_at_once(folder, pg_db, prefetches):
    laptop, _ = _merged_laptop(folder, pg_db)
    good = laptop.export()
    bad = tamper(good, folder / "future.db", "UPDATE finding SET updated_at = '9999-12-31T00:00:00.000000Z'")
    before = server_state(pg_db)
    released = threading.Event()
    with pg_db.engine.connect() as other:  # another office PC's merge, holding the write lock
        other.execute(text("SELECT value FROM local_meta WHERE key = 'device_id' FOR UPDATE"))

        def release() -> None:  # only if the refusal waited for it (then the test fails below)
            released.set()
            other.connection.driver_connection.rollback()

        timer = threading.Timer(60, release)
        timer.start()
        try:
            with pytest.raises(ExportRefused, match="updated_at"):
                merge_into_server(pg_db, [good, bad])
        finally:
            timer.cancel()
        assert not released.is_set()  # refused while the other PC still held the lock: its wait was cancelled
        assert prefetches[-1].error is not None and not prefetches[-1]._thread.is_alive()
        other.rollback()
    assert server_state(pg_db) == before
    assert not _locked(pg_db, WRITE_LOCK)


def test_a_file_changed_while_it_was_verified_is_refused(folder, pg_db, monkeypatch, prefetches):
    laptop, _ = _merged_laptop(folder, pg_db)
    good = laptop.export()
    before = server_state(pg_db)

    def touch(files):
        prefetches[-1]._thread.join()  # the shadow read the file as it was
        status = good.stat()
        os.utime(good, ns=(status.st_atime_ns, status.st_mtime_ns + 2_000_000_000))  # rewritten meanwhile

    _verify_after(monkeypatch, touch)
    with pytest.raises(ExportRefused, match="在校验时被改动"):
        merge_into_server(pg_db, [good])
    assert server_state(pg_db) == before
    assert not _locked(pg_db, WRITE_LOCK)


def test_a_preview_takes_no_lock_while_it_prefetches(folder, pg_db, monkeypatch, prefetches):
    laptop, enterprise = _merged_laptop(folder, pg_db)
    seen = {}

    def look(files):
        prefetches[-1]._thread.join()
        seen["row"] = _locked(pg_db, "SELECT id FROM enterprise WHERE id = :i FOR UPDATE NOWAIT", i=enterprise)
        seen["write"] = _locked(pg_db, WRITE_LOCK)

    _verify_after(monkeypatch, look)
    report = merge_into_server(pg_db, [laptop.export()], dry_run=True)
    assert report.dry_run and report.total("updated") == 1
    assert seen == {"row": False, "write": False}


def test_small_calls_fill_the_shadow_after_verification(folder, pg_db, monkeypatch):
    made, real = [], server_prefetch.Prefetch

    class Recorded(real):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(server_prefetch, "Prefetch", Recorded)
    laptop, _ = _merged_laptop(folder, pg_db)
    sent = laptop.export()
    assert not server_verify.uses_workers([sent])
    seen = {}
    _verify_after(monkeypatch, lambda files: seen.update(started=made[-1]._thread.ident is not None,
                                                         write=_locked(pg_db, WRITE_LOCK)))
    assert merge_into_server(pg_db, [sent]).total("updated") == 1
    assert seen == {"started": False, "write": False}  # nothing asked of the server before the files passed
