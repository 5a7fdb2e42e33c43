"""Merging export files, by example: fast-forwards, conflicts, clocks, tombstones, notices, photos, numbers."""

from __future__ import annotations

import base64
import hashlib


from tests.core.sync.test_sync_support import Device, pdf_bytes, stamp


def seeded(a: Device, b: Device) -> dict:
    """An enterprise, inspection and finding made on ``a`` and merged into ``b``."""
    ids = {"enterprise": a.enterprise(1)}
    ids["inspection"] = a.inspection(2, ids["enterprise"])
    ids["finding"] = a.finding(3, ids["inspection"])
    b.merge(a.export())
    return ids


def test_new_rows_are_added_and_merging_the_same_file_again_changes_nothing(a, b):
    ids = seeded(a, b)
    assert b.fingerprint() == a.fingerprint()
    assert set(b.rows("finding")) == {ids["finding"]}
    again = b.merge(a.export())
    assert again.changes == 0 and again.conflicts == [] and again.total("unchanged") == 3
    assert b.fingerprint() == a.fingerprint()


def test_an_edit_on_one_side_is_taken_without_conflict(a, b):
    ids = seeded(a, b)
    b.update("enterprise", ids["enterprise"], 10, address="平川大道 8 号")
    report = a.merge(b.export())
    assert report.total("updated") == 1 and report.conflicts == []
    assert a.rows("enterprise")[ids["enterprise"]]["address"] == "平川大道 8 号"
    assert b.merge(a.export()).changes == 0


def test_an_edit_on_both_sides_is_a_conflict_the_newer_wins_and_the_other_is_kept(a, b):
    ids = seeded(a, b)
    a.update("enterprise", ids["enterprise"], 10, address="a 改的地址")
    b.update("enterprise", ids["enterprise"], 20, address="b 改的地址")
    from_a, from_b = a.export(), b.export()
    at_b = b.merge(from_a)
    at_a = a.merge(from_b)
    for report, kept in ((at_b, "local"), (at_a, "incoming")):
        assert [(c.table, c.row_id, c.reason, c.kept, c.fields) for c in report.conflicts] == [
            ("enterprise", ids["enterprise"], "both_edited", kept, ["address"])]
    assert a.rows("enterprise")[ids["enterprise"]]["address"] == "b 改的地址"
    assert a.fingerprint() == b.fingerprint()
    stored = a.conflicts()
    assert len(stored) == 1 and stored[0]["other"]["address"] == "a 改的地址" and stored[0]["kept"]["address"] == "b 改的地址"
    assert b.conflicts()[0]["other"]["address"] == "a 改的地址"
    assert a.merge(b.export()).conflicts == [] and b.merge(a.export()).conflicts == []  # reported once


def test_a_tie_on_time_and_revision_is_broken_the_same_way_on_both_sides(a, b):
    ids = seeded(a, b)
    a.update("finding", ids["finding"], 10, description="甲")
    b.update("finding", ids["finding"], 10, description="乙")
    from_a, from_b = a.export(), b.export()
    b.merge(from_a)
    a.merge(from_b)
    assert a.fingerprint() == b.fingerprint()
    assert a.rows("finding")[ids["finding"]]["description"] in ("甲", "乙")


def test_a_later_edit_made_on_a_laptop_whose_clock_is_behind_loses_but_is_preserved(a, b):
    ids = seeded(a, b)
    a.update("finding", ids["finding"], 100, description="a 在 100 秒")
    b.merge(a.export())
    b.update("finding", ids["finding"], 50, description="b 之后改的，但时钟慢")  # edited after seeing a's version
    report = a.merge(b.export())
    assert [(c.reason, c.kept) for c in report.conflicts] == [("clock", "local")]
    assert a.rows("finding")[ids["finding"]]["description"] == "a 在 100 秒"
    assert a.conflicts()[0]["other"]["description"] == "b 之后改的，但时钟慢"
    report = b.merge(a.export())  # a has seen b's version and settled the conflict: b takes the result
    assert report.conflicts == [] and report.total("updated") == 1
    assert a.fingerprint() == b.fingerprint()


def test_a_later_edit_overwritten_by_an_earlier_version_with_a_faster_clock_is_reported_where_it_happens(a, b):
    ids = seeded(a, b)
    a.update("finding", ids["finding"], 100, description="a 在 100 秒")
    b.merge(a.export())
    b.update("finding", ids["finding"], 50, description="b 之后改的，但时钟慢")
    report = b.merge(a.export())  # a's version again: it wins on time although b's edit is the later one
    assert [(c.reason, c.kept) for c in report.conflicts] == [("clock", "incoming")]
    assert b.conflicts()[0]["other"]["description"] == "b 之后改的，但时钟慢"
    assert b.merge(a.export()).conflicts == []


def test_three_laptops_an_edit_that_came_through_a_third_one_still_conflicts(folder, a, b):
    c = Device(folder / "c", "c")
    ids = seeded(a, b)
    c.merge(a.export())
    b.update("finding", ids["finding"], 10, description="b 改")
    a.merge(b.export())  # a now holds b's edit
    c.update("finding", ids["finding"], 20, description="c 改")
    report = a.merge(c.export())
    assert [(c_.row_id, c_.reason) for c_ in report.conflicts] == [(ids["finding"], "both_edited")]
    assert b.merge(a.export()).conflicts == []  # b's version is in a's history: a plain update for b
    assert c.merge(a.export()).conflicts == []
    assert a.fingerprint() == b.fingerprint() == c.fingerprint()


def test_versions_a_laptop_never_held_still_count_as_seen_when_they_arrive_in_a_history(folder, a, b):
    c = Device(folder / "c", "c")
    ids = seeded(a, b)
    c.merge(a.export())
    c.update("finding", ids["finding"], 10, description="c 改")
    b.merge(c.export())
    b.update("finding", ids["finding"], 20, description="b 在 c 的基础上再改")
    assert a.merge(b.export()).conflicts == []  # a never held c's version, but b's history names it
    assert a.merge(c.export()).conflicts == []  # so c's old version is an ancestor for a: no conflict
    assert a.rows("finding")[ids["finding"]]["description"] == "b 在 c 的基础上再改"


def test_deletions_travel_as_tombstones_and_deleting_on_both_sides_is_no_conflict(a, b):
    ids = seeded(a, b)
    a.delete("finding", ids["finding"], 10)
    report = b.merge(a.export())
    assert report.total("updated") == 1
    assert b.rows("finding")[ids["finding"]]["deleted_at"] == stamp(10) and b.live("finding") == []
    a.delete("inspection", ids["inspection"], 20)
    b.delete("inspection", ids["inspection"], 21)
    assert b.merge(a.export()).conflicts == [] and a.merge(b.export()).conflicts == []
    assert a.fingerprint() == b.fingerprint()


def test_an_issued_notice_is_never_altered_by_a_merge(a, b):
    ids = seeded(a, b)
    notice = a.notice(5, ids["enterprise"])
    b.merge(a.export())
    original = b.rows("notice")[notice]
    forged = pdf_bytes("forged")
    a.update("notice", notice, 50, pdf=forged, pdf_sha256=hashlib.sha256(forged).hexdigest(), number_text="兴经开安改〔2026〕9号")
    report = b.merge(a.export())
    assert [(c.reason, c.kept) for c in report.conflicts] == [("frozen", "local")]
    kept = b.rows("notice")[notice]
    assert (kept["pdf"], kept["pdf_sha256"], kept["number_text"]) == (original["pdf"], original["pdf_sha256"], original["number_text"])
    other = b.conflicts()[0]["other"]
    assert base64.b64decode(other["pdf"]["base64"]) == forged  # the other version is preserved for review
    assert b.merge(a.export()).conflicts == []


def test_voiding_a_notice_travels_and_never_reverts_to_issued(a, b):
    ids = seeded(a, b)
    notice = a.notice(5, ids["enterprise"])
    b.merge(a.export())
    a.update("notice", notice, 10, status="voided", void_reason="文号填错")
    b.update("notice", notice, 20, void_reason="")  # a later touch of the issued notice
    from_a, from_b = a.export(), b.export()
    b.merge(from_a)
    a.merge(from_b)
    assert a.rows("notice")[notice]["status"] == b.rows("notice")[notice]["status"] == "voided"
    assert a.fingerprint() == b.fingerprint()


def test_the_same_photo_attached_on_two_laptops_ends_up_once(a, b):
    ids = seeded(a, b)
    first = a.photo(10, ids["finding"], picture=0, caption="a 拍的")
    second = b.photo(11, ids["finding"], picture=0, caption="b 也导入了同一张")
    other = b.photo(12, ids["finding"], picture=1)
    from_a, from_b = a.export(), b.export()
    preview = b.merge(from_a, dry_run=True)
    report = b.merge(from_a)
    assert preview.photos_deduplicated == report.photos_deduplicated == 1
    a.merge(from_b)
    for device in (a, b):
        assert device.live("photo") == sorted([first, other])
        assert set(device.rows("photo")) == {first, second, other}  # nothing removed: the duplicate is a tombstone
    assert a.fingerprint() == b.fingerprint()
    assert a.merge(b.export()).changes == 0


def test_document_number_duplicates_and_gaps_are_reported(a, b):
    a.insert("number_block", 1, kind="park", prefix="兴经开安改", year=2026, first=1, last=10,
             assigned_device_id=a.device_id, note="")
    for seq in (1, 2, 5):
        a.number(2, seq)
    b.number(3, 2)
    report = b.merge(a.export())
    numbering = report.numbering
    assert [(d["seq"], len(d["ids"])) for d in numbering.duplicates] == [(2, 2)]
    assert [g["missing"] for g in numbering.gaps] == [[3, 4]]  # 6-10 are reserved in the block, not skipped
    assert any("重复" in line for line in report.lines()) and any("缺号" in line for line in report.lines())


def test_the_preview_changes_nothing_and_predicts_the_merge(folder, a, b):
    ids = seeded(a, b)
    a.update("finding", ids["finding"], 10, description="a")
    b.update("finding", ids["finding"], 20, description="b")
    a.finding(11, ids["inspection"], "新隐患")
    c = Device(folder / "c", "c")
    c.enterprise(12, "另一家企业")
    files = [a.export(), c.export()]
    before = b.fingerprint()
    preview = b.merge(*files, dry_run=True)
    assert b.fingerprint() == before and b.conflicts() == []
    report = b.merge(*files)
    assert preview.dry_run and not report.dry_run
    assert preview.to_json()["totals"] == report.to_json()["totals"]
    assert [(c_.row_id, c_.reason) for c_ in preview.conflicts] == [(c_.row_id, c_.reason) for c_ in report.conflicts]


def test_several_files_merge_in_one_go_like_one_after_another(folder, a, b):
    c = Device(folder / "c", "c")
    ids = seeded(a, b)
    c.merge(a.export())
    b.update("finding", ids["finding"], 10, description="b")
    c.update("finding", ids["finding"], 20, description="c")
    files = [b.export(), c.export()]
    together, one_by_one = a.clone(folder / "a1"), a.clone(folder / "a2")
    together.merge(*files)
    for file in reversed(files):
        one_by_one.merge(file)
    assert together.fingerprint() == one_by_one.fingerprint()
    assert together.rows("finding")[ids["finding"]]["description"] == "c"


def test_every_merge_is_journaled_for_undo_and_the_journals_are_pruned(a, b):
    seeded(a, b)
    reports = [b.merge(a.export()) for _ in range(3)]
    assert all(r.undo_seq for r in reports) and len({r.undo_seq for r in reports}) == 3
    from inspector.core.sync import undo
    from inspector.core.sync.backups import list_backups

    assert [m.seq for m in undo.journals(b.connect())] == [r.undo_seq for r in reports[::-1][:2]]  # keep_backups=2
    assert list_backups(b.backups) == []  # the journal replaces the whole-file copy before each merge
