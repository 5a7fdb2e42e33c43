"""Merging laptop exports into the office's PostgreSQL database gives what merging them into an office
SQLite file gives: the same rows, history and conflicts; issued notices frozen; bad files refused."""

from __future__ import annotations

import base64
import hashlib

import pytest

from inspector.core.sync.server_merge import merge_into_server
from inspector.core.sync.verify import ExportRefused
from tests.core.sync.test_sync_support import Device, pdf_bytes, tamper
from tests.pg.server_merge_support import OfficePair, claims, server_state


@pytest.fixture
def office(folder, pg_db) -> OfficePair:
    return OfficePair(Device(folder / "office", "office"), pg_db)


def field_work(laptop: Device) -> dict:
    """A laptop's day: an enterprise, an inspection with findings and photos, an issued notice with its number."""
    ids = {"enterprise": laptop.enterprise(1)}
    ids["inspection"] = laptop.inspection(2, ids["enterprise"])
    ids["finding"] = laptop.finding(3, ids["inspection"])
    ids["other_finding"] = laptop.finding(4, ids["inspection"], "安全出口堵塞")
    ids["photo"] = laptop.photo(5, ids["finding"], picture=0, caption="现场")
    laptop.photo(6, ids["other_finding"], picture=1)
    ids["notice"] = laptop.notice(7, ids["enterprise"])
    ids["number"] = laptop.number(7, 1, notice_id=ids["notice"])
    laptop.update("notice", ids["notice"], 7, number_id=ids["number"])
    laptop.insert("number_block", 1, kind="park", prefix="兴经开安改", year=2026, first=1, last=20,
                  assigned_device_id=laptop.device_id, note="")
    return ids


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "insert"])
def test_a_laptop_export_lands_on_the_server_as_in_an_office_file_and_twice_changes_nothing(folder, office, copy,
                                                                                          monkeypatch):
    if not copy:  # a driver without COPY: new rows go by executemany INSERT, to the same result
        monkeypatch.setattr("inspector.core.sync.server_apply.copy_rows", lambda *args: False)
    laptop = Device(folder / "laptop", "laptop")
    ids = field_work(laptop)
    export = laptop.export()
    on_file, on_server = office.merge(export)
    assert on_server.to_json()["totals"] == on_file.to_json()["totals"]
    assert on_server.total("added") == 9 and not on_server.dry_run
    state = office.assert_same()
    assert state["photo"][ids["photo"]]["jpeg"] == laptop.rows("photo")[ids["photo"]]["jpeg"]
    again = merge_into_server(office.db, [export])
    assert again.changes == 0 and again.conflicts == [] and again.total("unchanged") == 9
    assert server_state(office.db) == state


def test_conflicts_frozen_notices_voiding_and_photo_duplicates_match_the_laptop_merge(folder, office):
    laptop = Device(folder / "laptop", "laptop")
    ids = field_work(laptop)
    office.merge(laptop.export())
    second = Device(folder / "second", "second")  # another laptop that got the first one's work
    second.merge(laptop.export())
    office.update("enterprise", ids["enterprise"], 20, address="办公室改的地址")
    laptop.update("enterprise", ids["enterprise"], 30, address="笔记本改的地址")  # both edited: a conflict
    forged = pdf_bytes("forged")
    laptop.update("notice", ids["notice"], 31, pdf=forged, pdf_sha256=hashlib.sha256(forged).hexdigest(),
                  number_text="兴经开安改〔2026〕9号")  # an issued notice altered behind the app's back
    laptop.update("document_number", ids["number"], 31, seq=77)
    laptop.photo(32, ids["finding"], picture=0, caption="同一张又导入了一次")
    second.update("finding", ids["other_finding"], 33, description="second 改的")
    on_file, on_server = office.merge(laptop.export(), second.export(), dry_run=True)
    assert on_server.to_json() == on_file.to_json()
    on_file, on_server = office.merge(laptop.export(), second.export())
    assert on_server.to_json()["totals"] == on_file.to_json()["totals"]
    reasons = sorted((c.table, c.reason, c.kept) for c in on_server.conflicts)
    assert reasons == [("document_number", "frozen", "local"), ("enterprise", "both_edited", "incoming"),
                       ("notice", "frozen", "local")]
    assert on_server.photos_deduplicated == on_file.photos_deduplicated == 1
    state = office.assert_same()
    kept = state["notice"][ids["notice"]]
    assert kept["number_text"] == "兴经开安改〔2026〕1号" and state["document_number"][ids["number"]]["seq"] == 1
    lost = [c for c in state["sync_conflict"] if c[0] == "notice"][0]
    assert base64.b64decode(__import__("json").loads(lost[3])["pdf"]["base64"]) == forged  # kept for review
    second.update("notice", ids["notice"], 40, status="voided", void_reason="文号填错")  # the void flow
    second.update("document_number", ids["number"], 40, voided_at=second.rows("notice")[ids["notice"]]["updated_at"],
                  void_reason="文号填错")
    office.merge(second.export())
    state = office.assert_same()
    assert state["notice"][ids["notice"]]["status"] == "voided"


def test_damaged_or_forged_files_are_refused_and_the_server_is_unchanged(folder, office):
    laptop = Device(folder / "laptop", "laptop")
    ids = field_work(laptop)
    office.merge(laptop.export())
    before = server_state(office.db)
    laptop.finding(50, ids["inspection"], "新发现")
    good = laptop.export()
    truncated = folder / "truncated.db"
    truncated.write_bytes(good.read_bytes()[:-4096])
    future = tamper(good, folder / "future.db", "UPDATE enterprise SET updated_at = '9999-12-31T00:00:00.000000Z'")
    orphan = tamper(good, folder / "orphan.db", ("UPDATE finding SET inspection_id = ? WHERE description = '新发现'",
                                                 ("11111111-1111-4111-8111-111111111111",)))
    voided = tamper(good, folder / "voided.db", "UPDATE document_number SET voided_at = updated_at, void_reason = '乱作废'")
    huge = tamper(good, folder / "huge.db", "UPDATE finding SET seq = 3000000000 WHERE description = '新发现'")
    for bad, words in ((truncated, "不完整"), (future, "updated_at"), (orphan, "都不存在"), (voided, "仍然有效"),
                       (huge, "超出办公室数据库能保存的范围")):
        with pytest.raises(ExportRefused, match=words):  # with a sound file in the same merge: neither lands
            merge_into_server(office.db, [good, bad] if bad is truncated else [bad, good])
        assert server_state(office.db) == before, bad.name
    assert merge_into_server(office.db, [good]).total("added") == 1


def test_merged_blocks_claim_their_numbers_and_overlaps_are_reported(folder, office):
    from inspector.core.documents import numbering

    on_server = numbering.add_block(office.db, kind="park", prefix="兴经开安改", year=2026, first=1, last=10)
    laptop = Device(folder / "laptop", "laptop")
    overlapping = laptop.insert("number_block", 1, kind="park", prefix="兴经开安改", year=2026, first=5, last=15,
                                assigned_device_id=laptop.device_id, note="")
    free = laptop.insert("number_block", 1, kind="park", prefix="兴经开安改", year=2026, first=30, last=32,
                         assigned_device_id=laptop.device_id, note="")
    export = laptop.export()
    preview = merge_into_server(office.db, [export], dry_run=True)
    report = merge_into_server(office.db, [export])
    assert preview.block_collisions == report.block_collisions
    assert [(c["block_id"], c["numbers"], c["other_blocks"]) for c in report.block_collisions] == [
        (overlapping, [5, 6, 7, 8, 9, 10], [on_server.id])]
    assert any("号段重叠" in line for line in report.lines())
    held = {(seq, block) for *_, seq, block in claims(office.db)}
    assert held == ({(n, on_server.id) for n in range(1, 11)} | {(n, overlapping) for n in range(11, 16)}
                    | {(n, free) for n in range(30, 33)})
    with pytest.raises(numbering.UserError, match="重叠"):  # the merged block's numbers are taken now
        numbering.add_block(office.db, kind="park", prefix="兴经开安改", year=2026, first=31, last=31)
    laptop.delete("number_block", free, 5)  # the laptop withdraws a block: its numbers are free again
    merge_into_server(office.db, [laptop.export()])
    assert not any(block == free for *_, block in claims(office.db))
    assert numbering.allocate_block(office.db, kind="park", prefix="兴经开安改", year=2026, count=3).first == 16


def test_a_merge_killed_just_before_its_commit_leaves_the_server_as_it_was(folder, office, pg_url):
    import os
    import subprocess
    import sys
    from pathlib import Path

    laptop = Device(folder / "laptop", "laptop")
    field_work(laptop)
    export = laptop.export()
    before = server_state(office.db)
    script = ("import sys; from inspector.db.database import Database; "
              "from inspector.core.sync.server_merge import merge_into_server; "
              "merge_into_server(Database.open_url(sys.argv[1]), [sys.argv[2]])")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", script, pg_url, str(export)], cwd=root, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(root), INSPECTOR_TEST_KILL_MERGE="before_commit"),
                          timeout=120)
    assert done.returncode == 86, done.stderr  # everything written, not committed
    assert server_state(office.db) == before
    assert merge_into_server(office.db, [export]).total("added") == 9
