"""Undoing a merge from its journal (schema v8): row for row the database before the merge, photos included."""

from __future__ import annotations

import json
import sqlite3

import pytest

from inspector.core.sync import undo
from inspector.errors import UserError
from tests.core.sync.test_sync_support import Device, typed_rows

JOURNAL_ONLY = {"merge_undo"}  # the journal itself: this merge's entry goes, older ones stay


def every_row(path) -> dict[str, list[tuple]]:
    """Every row of every table with each value's SQLite type, in key order (blobs byte for byte)."""
    return {table: rows for table, (_, rows) in typed_rows(path, skip_tables=JOURNAL_ONLY).items()}


def busy_history(a: Device, b: Device) -> dict:
    """Both sides share an enterprise, inspection and finding, then each edits and adds: a merge of ``a``
    into ``b`` adds rows (a photo and a notice with their blobs), overwrites rows, stores a conflict and
    tombstones a duplicate photo."""
    ids = {"enterprise": a.enterprise(1)}
    ids["inspection"] = a.inspection(2, ids["enterprise"])
    ids["finding"] = a.finding(3, ids["inspection"])
    b.merge(a.export())
    a.export()  # a's own bookkeeping moves on; b has local changes that are not exported yet
    a.update("enterprise", ids["enterprise"], 10, address="a 改的地址")
    b.update("enterprise", ids["enterprise"], 20, address="b 改的地址")  # both edited: a conflict, b wins
    a.update("inspection", ids["inspection"], 11, place="二号车间")  # a fast-forward: b's row is overwritten
    ids["photo_a"] = a.photo(12, ids["finding"], picture=3, caption="a 拍的")
    ids["photo_b"] = b.photo(13, ids["finding"], picture=3, caption="b 拍的")  # the same picture: a duplicate
    ids["notice"] = a.notice(14, ids["enterprise"])
    ids["finding_b"] = b.finding(15, ids["inspection"], description="b 本机新增")
    return ids


def test_undo_gives_back_every_row_as_before_the_merge_and_merging_again_works(a, b):
    ids = busy_history(a, b)
    before = every_row(b.path)
    export = a.export()
    report = b.merge(export)
    assert report.total("added") >= 2 and report.total("updated") >= 1 and len(report.conflicts) == 1
    assert report.photos_deduplicated == 1 and report.undo_seq
    merged = every_row(b.path)
    assert merged != before
    assert not list(b.backups.glob("backup-*-merge.db"))  # no whole-file copy: the journal is the safety

    result = undo.undo_merge(b.path)
    assert result.seq == report.undo_seq and result.files == (export.name,)
    assert result.removed >= 2 and result.restored >= 2
    after = every_row(b.path)
    for table in before:
        assert after[table] == before[table], table
    assert after == before

    again = b.merge(export)  # the same file merges as it did the first time
    assert (again.total("added"), again.total("updated"), len(again.conflicts), again.photos_deduplicated) == (
        report.total("added"), report.total("updated"), 1, 1)
    remerged = every_row(b.path)
    for table in ("enterprise", "inspection", "finding", "photo", "notice", "sync_stamp", "local_change"):
        assert remerged[table] == merged[table], table
    assert b.rows("photo")[ids["photo_a"]]["jpeg"] == a.rows("photo")[ids["photo_a"]]["jpeg"]


def test_a_local_edit_the_merge_overwrites_is_forgotten_as_a_change_and_undo_brings_it_back(a, b):
    """Settling after the merge forgets the local changes whose version is now in the history (a local edit
    that lost to a later one): the journal holds those rows, and only those, and undo puts them back."""
    from inspector.core.sync.stamps import changed_counts

    enterprise = a.enterprise(1)
    finding = a.finding(3, a.inspection(2, enterprise))
    b.merge(a.export())
    b.update("finding", finding, 5, location="b 的位置")  # a local change of b, not exported
    b.finding(6, b.inspection(7, enterprise), description="b 本机新增")  # two more, which stay changes
    a.update("finding", finding, 25, location="a 的位置")  # later: a's version wins
    before = every_row(b.path)
    connection = sqlite3.connect(b.path)
    assert changed_counts(connection)["finding"] == 2
    connection.close()
    b.merge(a.export())
    connection = sqlite3.connect(b.path)
    assert changed_counts(connection)["finding"] == 1  # the overwritten edit is no longer a change
    journaled = connection.execute("SELECT row_key FROM merge_undo WHERE table_name = 'local_change'").fetchall()
    connection.close()
    assert [json.loads(key) for (key,) in journaled] == [["finding", finding]]
    undo.undo_merge(b.path)
    assert every_row(b.path) == before


def test_undo_goes_back_one_merge_at_a_time(a, b):
    ids = busy_history(a, b)
    first = every_row(b.path)
    b.merge(a.export())
    second = every_row(b.path)
    a.update("finding", ids["finding"], 30, description="a 再改")
    b.merge(a.export())
    undo.undo_merge(b.path)
    assert every_row(b.path) == second
    undo.undo_merge(b.path)
    assert every_row(b.path) == first


def test_undo_is_refused_unchanged_after_a_local_edit_of_a_merged_row(a, b):
    ids = busy_history(a, b)
    b.merge(a.export())
    b.update("inspection", ids["inspection"], 40, place="三号车间")
    edited = every_row(b.path)
    with pytest.raises(UserError, match="又修改了合并写入的检查记录"):
        undo.undo_merge(b.path)
    assert every_row(b.path) == edited


def test_undo_is_refused_unchanged_when_a_new_row_refers_to_a_merged_one(a, b):
    enterprise = a.enterprise(1)
    b.merge(a.export())
    b.inspection(5, enterprise)  # a local row that needs the merged enterprise
    kept = every_row(b.path)
    with pytest.raises(UserError, match="引用了这次合并带来的记录"):
        undo.undo_merge(b.path)
    assert every_row(b.path) == kept


def test_undo_is_refused_after_an_export_and_when_there_is_nothing_to_undo(a, b):
    with pytest.raises(UserError, match="没有可以撤销的合并"):
        undo.undo_merge(b.path)
    busy_history(a, b)
    b.merge(a.export())
    b.export()
    exported = every_row(b.path)
    with pytest.raises(UserError, match="又做过导出"):
        undo.undo_merge(b.path)
    assert every_row(b.path) == exported


def test_only_the_newest_journals_are_kept(a, b):
    ids = busy_history(a, b)
    for n in range(3):
        a.update("finding", ids["finding"], 50 + n, description=f"第 {n} 次")
        b.merge(a.export())
    connection = sqlite3.connect(b.path)
    seqs = [s for (s,) in connection.execute("SELECT DISTINCT seq FROM merge_undo ORDER BY seq")]
    connection.close()
    assert len(seqs) == 2  # keep_backups=2 in Device.merge
    assert [m.seq for m in undo.journals(sqlite3.connect(b.path))] == seqs[::-1]


def test_a_preview_writes_no_journal(a, b):
    busy_history(a, b)
    before = every_row(b.path)
    connection = sqlite3.connect(b.path)
    journaled = connection.execute("SELECT count(*) FROM merge_undo").fetchone()[0]
    connection.close()
    b.merge(a.export(), dry_run=True)
    connection = sqlite3.connect(b.path)
    assert connection.execute("SELECT count(*) FROM merge_undo").fetchone()[0] == journaled
    connection.close()
    assert every_row(b.path) == before


def test_cli_undo_asks_first_then_gives_back_the_database_before_the_merge(demo_dir, a, capsys):
    from inspector.cli import main

    enterprise = a.enterprise(1)
    finding = a.finding(3, a.inspection(2, enterprise))
    a.photo(4, finding, picture=5)
    export = a.export()
    database = demo_dir / "inspector.db"
    assert main(["--data-dir", str(demo_dir), "backup", "list"]) == 0  # opens (and settles) the database first
    before = every_row(database)
    assert main(["--data-dir", str(demo_dir), "merge", str(export)]) == 0
    assert "inspector backup undo" in capsys.readouterr().out
    assert main(["--data-dir", str(demo_dir), "backup", "list"]) == 0
    assert "可撤销的合并：" in capsys.readouterr().out
    merged = every_row(database)
    assert main(["--data-dir", str(demo_dir), "backup", "undo"]) == 2  # asks for --yes first
    assert "确认请加 --yes" in capsys.readouterr().err and every_row(database) == merged
    assert main(["--data-dir", str(demo_dir), "backup", "undo", "--yes"]) == 0
    assert "已撤销" in capsys.readouterr().out
    assert every_row(database) == before
    assert main(["--data-dir", str(demo_dir), "backup", "undo", "--yes"]) == 1  # nothing left to undo
    assert capsys.readouterr().err.startswith("错误：")
    assert main(["--data-dir", str(demo_dir), "merge", str(export)]) == 0
    remerged = every_row(database)
    assert len(remerged.pop("sync_log")) == len(merged.pop("sync_log"))  # a new entry (id, time) for the new merge
    assert remerged == merged
    assert main(["--data-dir", str(demo_dir), "check"]) == 0


def test_planning_reads_local_versions_from_the_stamps_and_they_equal_the_rehashed_ones(a, b):
    from inspector.core.sync.plan import local_versions
    from inspector.core.sync.rows import SYNC_ORDER, table_specs, versions

    ids = busy_history(a, b)
    b.merge(a.export())  # a tombstoned duplicate photo, stamps stored by the merge
    b.update("finding", ids["finding_b"], 60, description="合并后本机又改")  # no stamp until the next export
    b.delete("enterprise", ids["enterprise"], 61)
    connection = b.connect()
    specs = table_specs(connection)
    stamped = connection.execute("SELECT count(*) FROM sync_stamp").fetchone()[0]
    assert stamped and connection.execute(
        "SELECT count(*) FROM sync_stamp WHERE table_name = 'finding' AND row_id = ?", (ids["finding_b"],)).fetchone() == (0,)
    for table in SYNC_ORDER:
        assert local_versions(connection, specs[table], f"SELECT id FROM main.{table}") == versions(connection, specs[table]), table
    connection.close()
