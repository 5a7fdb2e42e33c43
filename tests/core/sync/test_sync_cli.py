"""The sync commands end to end: two data folders with different demo data exchange exports both ways."""

from __future__ import annotations

import json
import sqlite3

import pytest

from inspector.cli import main
from inspector.core.sync.status import content_fingerprint

TABLES = ("enterprise", "inspector", "inspection", "finding", "photo", "hazard_event", "reinspection", "notice",
          "document_number")


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ids(data_dir, table) -> set[str]:
    connection = sqlite3.connect(data_dir / "inspector.db")
    try:
        return {row[0] for row in connection.execute(f"SELECT id FROM {table}")}
    finally:
        connection.close()


@pytest.fixture(scope="module")
def laptop_templates(tmp_path_factory):
    from inspector.core.demo.generate import build_demo
    from inspector.services import Services

    folders = []
    for name, seed in (("a", 31), ("b", 32)):
        folder = tmp_path_factory.mktemp(name)
        services = Services(folder)
        build_demo(services.db, services.checklists.checklists, seed=seed, inspections=3)
        services.close()
        folders.append(folder)
    return folders


@pytest.fixture
def two_laptops(laptop_templates, tmp_path):
    import shutil

    copies = [tmp_path / name for name in ("a", "b")]
    for template, copy in zip(laptop_templates, copies):
        shutil.copytree(template, copy)
    return copies


def test_two_laptops_exchange_exports_both_ways_and_end_identical(two_laptops, tmp_path, capsys):
    a, b = two_laptops
    before = {table: (ids(a, table), ids(b, table)) for table in TABLES}
    assert before["inspection"][0].isdisjoint(before["inspection"][1]) and before["photo"][0]
    for source, name in ((a, "a.db"), (b, "b.db")):
        code, out, _ = run(capsys, "--data-dir", source, "export", "--out", tmp_path / name)
        assert code == 0 and "已导出" in out
    code, out, _ = run(capsys, "--data-dir", b, "merge", "--dry-run", "--json", tmp_path / "a.db")
    preview = json.loads(out)
    assert code == 0 and preview["dry_run"] and preview["totals"]["added"] > 0
    assert ids(b, "inspection") == before["inspection"][1]  # the preview changed nothing
    for target, name in ((b, "a.db"), (a, "b.db")):
        code, out, _ = run(capsys, "--data-dir", target, "merge", tmp_path / name)
        assert code == 0 and "合并完成" in out and "inspector backup undo" in out
    for table in TABLES:
        assert ids(a, table) == ids(b, table) == before[table][0] | before[table][1], table
    assert content_fingerprint(a / "inspector.db") == content_fingerprint(b / "inspector.db")
    for target, name in ((b, "a.db"), (a, "b.db")):  # repeating the merges changes nothing
        code, out, _ = run(capsys, "--data-dir", target, "merge", "--json", tmp_path / name)
        totals = json.loads(out)["totals"]
        assert (totals["added"], totals["updated"], totals["conflicts"]) == (0, 0, 0)
    assert content_fingerprint(a / "inspector.db") == content_fingerprint(b / "inspector.db")
    for folder in (a, b):
        assert run(capsys, "--data-dir", folder, "check")[0] == 0


def test_since_last_export_and_the_conflicts_command(two_laptops, tmp_path, capsys):
    a, b = two_laptops
    run(capsys, "--data-dir", a, "export", "--out", tmp_path / "a1.db", "--since-last")
    code, out, _ = run(capsys, "--data-dir", a, "export", "--out", tmp_path / "a2.db", "--since-last", "--json")
    assert code == 0 and json.loads(out)["records"] == 0 and json.loads(out)["photos"] == 0
    run(capsys, "--data-dir", b, "merge", tmp_path / "a1.db")
    enterprise = sorted(ids(a, "enterprise"))[0]
    for folder, address, stamp in ((a, "甲改", "2026-06-01T00:00:00.000000Z"), (b, "乙改", "2026-06-02T00:00:00.000000Z")):
        connection = sqlite3.connect(folder / "inspector.db")
        connection.execute("UPDATE enterprise SET address = ?, updated_at = ?, rev = rev + 1 WHERE id = ?",
                           (address, stamp, enterprise))
        connection.commit()
        connection.close()
    run(capsys, "--data-dir", a, "export", "--out", tmp_path / "a3.db", "--since-last")
    code, out, _ = run(capsys, "--data-dir", b, "merge", tmp_path / "a3.db")
    assert code == 0 and "冲突" in out and "两边都修改过" in out
    code, out, _ = run(capsys, "--data-dir", b, "conflicts", "--json")
    assert [(c["table"], c["row_id"], c["reason"]) for c in json.loads(out)] == [("enterprise", enterprise, "both_edited")]


def test_export_filters_and_bad_arguments(two_laptops, tmp_path, capsys):
    a, _ = two_laptops
    enterprise = sorted(ids(a, "enterprise"))[0]
    code, out, _ = run(capsys, "--data-dir", a, "export", "--out", tmp_path / "one.db", "--enterprise", enterprise, "--json")
    assert code == 0 and json.loads(out)["manifest"]["kind"] == "filtered"
    code, _, err = run(capsys, "--data-dir", a, "export", "--out", tmp_path / "x.db", "--enterprise", "no-such-id")
    assert code != 0 and "找不到企业" in err
    code, _, err = run(capsys, "--data-dir", a, "export", "--out", tmp_path / "x.db", "--from", "2026-05-01", "--to", "2026-04-01")
    assert code != 0 and "不能晚于" in err
    with pytest.raises(SystemExit):
        main(["--data-dir", str(a), "export", "--out", str(tmp_path / "x.db"), "--from", "昨天"])


def test_backup_commands(two_laptops, capsys):
    a, _ = two_laptops
    code, out, _ = run(capsys, "--data-dir", a, "backup", "create")
    assert code == 0 and "已备份到" in out
    code, out, _ = run(capsys, "--data-dir", a, "backup", "list", "--json")
    listed = json.loads(out)
    assert code == 0 and [b["reason"] for b in listed] == ["manual"]
    connection = sqlite3.connect(a / "inspector.db")
    connection.execute("UPDATE inspection SET deleted_at = updated_at")
    connection.commit()
    connection.close()
    code, _, err = run(capsys, "--data-dir", a, "backup", "restore", listed[0]["path"])
    assert code == 2 and "--yes" in err
    code, out, _ = run(capsys, "--data-dir", a, "backup", "restore", listed[0]["path"], "--yes")
    assert code == 0 and "已恢复" in out
    code, out, _ = run(capsys, "--data-dir", a, "inspections", "--json")
    assert len(json.loads(out)) == 3
    code, out, _ = run(capsys, "--data-dir", a, "backup", "list")
    assert "恢复前" in out and "手动" in out
