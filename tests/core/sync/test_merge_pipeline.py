"""The merge writes while it verifies (merge_pipeline, new_rows): a refusal found after the writes began leaves
the database as it was, row for row and byte for byte, and a merge gives what the sequential one gave."""

from __future__ import annotations

import gc
import json
import shutil
import sqlite3
import threading

import pytest

from inspector.core.sync import merge, new_rows
from inspector.core.sync.verify import ExportRefused, Verification
from tests.core.sync.test_sync_support import Device, file_digest, tamper, typed_rows

RANDOM_COLUMNS = {"sync_log": ("id", "at"), "sync_conflict": ("id", "detected_at")}  # new ids and clock readings


def every_table(path) -> dict[str, list[tuple]]:
    """Every row of every table, journal and bookkeeping included, with each value's SQLite type."""
    result = {}
    for table, (columns, rows) in typed_rows(path, skip_columns=RANDOM_COLUMNS).items():
        if table == "merge_undo":  # the journal names the new log and conflict rows by their (new) ids
            rows = [row for row in rows if row[columns.index("table_name") * 2] not in RANDOM_COLUMNS]
        result[table] = rows
    return result


@pytest.fixture
def scene(a: Device, b: Device):
    """``b`` knows part of ``a``'s data and has edits of its own; ``a``'s next export brings new rows of every
    kind (with photo and notice blobs), an overwrite and a conflict."""
    enterprise = a.enterprise(1)
    inspection = a.inspection(2, enterprise)
    finding = a.finding(3, inspection)
    b.merge(a.export())
    a.update("enterprise", enterprise, 10, address="a 改的地址")
    b.update("enterprise", enterprise, 11, address="b 改的地址")
    a.update("inspection", inspection, 12, place="二号车间")
    for n in range(3):
        new = a.finding(20 + n, a.inspection(20 + n, enterprise), description=f"新隐患{n}")
        a.photo(30 + n, new, picture=n)
    a.photo(40, finding, picture=3)
    a.notice(41, enterprise)
    b.finding(42, inspection, description="b 本机新增")
    return a.export()


@pytest.fixture
def writes_first(monkeypatch):
    """Every file's rows are checked only once the writer has written the rows new everywhere, so the refusals
    below are found after the writes began, whatever the machine's timing. Returns the rows written."""
    written, counts = threading.Event(), []
    original_write, original_rows = new_rows.write, Verification.check_rows

    def write(*args, **kwargs):
        try:
            result = original_write(*args, **kwargs)
            counts.append(sum(len(ids) for per_file in result for ids in per_file.values()))
            return result
        finally:
            written.set()

    def check_rows(self, progress=None):
        assert written.wait(60)
        return original_rows(self, progress)

    monkeypatch.setattr(new_rows, "write", write)
    monkeypatch.setattr(Verification, "check_rows", check_rows)
    return counts


def _wrong_description(source, target):  # the rows no longer match the manifest's content SHA-256
    shutil.copy(source, target)
    _edit(target, "UPDATE finding SET description = '被改过的描述' WHERE description = '新隐患1'")


def _bad_level(source, target):  # resealed: the manifest agrees, the row breaks a rule
    tamper(source, target, "UPDATE finding SET level = '很严重' WHERE description = '新隐患2'")


def _wrong_jpeg(source, target):  # found by the blobs' thread, after the rows passed
    shutil.copy(source, target)
    _edit(target, "UPDATE photo SET jpeg = CAST(substr(jpeg, 1, length(jpeg) - 10) || zeroblob(10) AS BLOB) "
                  "WHERE rowid = (SELECT max(rowid) FROM photo)")


def _wrong_thumbnail(source, target):  # hashed in the blobs' thread: the photo's version no longer matches
    shutil.copy(source, target)
    _edit(target, "UPDATE photo SET thumbnail = zeroblob(50) WHERE rowid = (SELECT min(rowid) FROM photo)")


def _edit(path, statement: str) -> None:
    connection = sqlite3.connect(path)
    connection.execute(statement)
    connection.commit()
    connection.close()


REFUSALS = {"content-digest": (_wrong_description, "内容校验失败"), "rule": (_bad_level, "level"),
            "jpeg": (_wrong_jpeg, "照片"), "thumbnail": (_wrong_thumbnail, "内容校验失败")}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_refusal_found_after_the_writes_began_leaves_the_database_as_it_was(case, scene, b, tmp_path, writes_first):
    make, expected = REFUSALS[case]
    bad = tmp_path / f"{case}.db"
    make(scene, bad)
    gc.collect()  # the test's own connections, closed: their last commits checkpointed into the file
    before_rows, before_bytes = every_table(b.path), file_digest(b.path)
    assert not b.path.with_name("inspector.db-wal").exists()
    with pytest.raises(ExportRefused) as refused:
        b.merge(bad)
    assert expected in refused.value.message and "拒绝合并" in refused.value.message
    assert writes_first and writes_first[0] >= 10  # the rows new everywhere had been written in the transaction
    assert every_table(b.path) == before_rows
    assert file_digest(b.path) == before_bytes and not b.path.with_name("inspector.db-wal").exists()
    report = b.merge(scene)  # and the sound file still merges
    assert report.total("added") >= 10


def test_the_merge_gives_what_the_sequential_merge_gives(scene, b, folder):
    sequential = b.clone(folder / "sequential")
    report = b.merge(scene)
    expected = merge._run(sequential.path, merge.verify_all([scene]), 2)
    assert report.total("added") >= 10 and report.total("updated") >= 1 and len(report.conflicts) == 1
    assert _summary(report) == _summary(expected)
    assert every_table(b.path) == every_table(sequential.path)


def test_several_files_sharing_new_rows_merge_as_sequentially(a, b, folder):
    """A row new here but in two files is planned (the later file's version against the earlier one's), not
    written ahead; rows in one file only are."""
    enterprise = a.enterprise(1)
    shared_finding = a.finding(3, a.inspection(2, enterprise))
    c = a.clone(folder / "c", "c")
    c.device_id = "c0000000-0000-4000-8000-000000000000"
    c.update("finding", shared_finding, 10, description="c 改过")
    c.finding(11, c.inspection(12, enterprise), description="只在 c")
    a.finding(13, a.inspection(14, enterprise), description="只在 a")
    files = [a.export(), c.export()]
    sequential = b.clone(folder / "sequential")
    report = b.merge(*files)
    expected = merge._run(sequential.path, merge.verify_all(files), 2)
    assert _summary(report) == _summary(expected)
    assert every_table(b.path) == every_table(sequential.path)
    assert b.rows("finding")[shared_finding]["description"] == "c 改过"


def test_a_second_merge_of_the_same_file_writes_nothing_ahead(scene, b, writes_first):
    b.merge(scene)
    again = b.merge(scene)
    assert writes_first[-1] == 0 and again.total("added") == 0


def _summary(report) -> str:
    return json.dumps([(f.path, {t: vars(c) for t, c in f.counts.items()}, [(c.table, c.row_id, c.reason, c.kept)
                                                                             for c in f.conflicts])
                       for f in report.files] + [report.photos_deduplicated], sort_keys=True, default=str)


def test_the_collector_is_left_as_the_caller_had_it(scene, b, tmp_path):
    import gc

    bad = tmp_path / "bad.db"
    _wrong_jpeg(scene, bad)
    for enabled in (True, False):
        gc.enable() if enabled else gc.disable()
        try:
            with pytest.raises(ExportRefused):
                b.merge(bad)
            assert gc.isenabled() == enabled
        finally:
            gc.enable()
    b.merge(scene)
    assert gc.isenabled()


def _verdict(path, blobs_in_thread: bool):
    from inspector.core.sync.verify import start_verification
    from inspector.errors import UserError

    try:
        verification = start_verification(path, blobs_in_thread=blobs_in_thread)
    except UserError as exc:  # the cheap checks: the same code either way
        return exc.message
    try:
        verified = verification.check_rows()
        verification.finish()
        return {table: dict(rows) for table, rows in verified.versions.items()}, verified.history_entries
    except ExportRefused as exc:
        return exc.message
    finally:
        verification.close()


def _damaged(source, target):  # pages overwritten: quick_check's verdict comes first
    from tests.core.sync.test_sync_refusals import _damaged_pages

    _damaged_pages(target, source)


def _photo_and_hash(source, target):  # the JPEGs and their hash columns replaced: the manifest disagrees
    from tests.core.sync.test_sync_refusals import _tampered_photo_and_its_hash

    _tampered_photo_and_its_hash(target, source)


ONE_THREAD_CASES = REFUSALS | {"damaged": (_damaged, "损坏"), "photo-and-hash": (_photo_and_hash, "校验失败")}


@pytest.mark.parametrize("case", [None, *sorted(ONE_THREAD_CASES)])
def test_the_merge_s_one_thread_check_gives_the_verdict_of_the_threaded_one(case, scene, tmp_path):
    """The merge verifies without a blobs' thread (the photos read once, with their rows): the same versions of
    a sound file, the same refusal sentence for each bad one."""
    path = scene
    if case is not None:
        path = tmp_path / f"{case}.db"
        ONE_THREAD_CASES[case][0](scene, path)
    threaded, inline = _verdict(path, True), _verdict(path, False)
    assert inline == threaded
    if case is not None:
        assert isinstance(inline, str) and ONE_THREAD_CASES[case][1] in inline
    else:
        assert inline[0]["photo"] and inline[0]["finding"]
