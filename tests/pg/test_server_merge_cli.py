"""``inspector merge`` / ``conflicts`` / ``numbers block add --count`` end to end, on an office SQLite file and on
the office server (the same commands, the same answers)."""

from __future__ import annotations

import json

import pytest

from tests.core.sync.test_sync_support import Device
from tests.pg.office_cli import run


@pytest.fixture
def office(any_url, data_dir):
    return ["--data-dir", str(data_dir)] + ([] if any_url.startswith("sqlite") else ["--database", any_url])


def test_merge_preview_merge_and_conflicts_through_the_cli(office, folder, capsys):
    laptop = Device(folder / "laptop", "laptop")
    enterprise = laptop.enterprise(1)
    laptop.finding(3, laptop.inspection(2, enterprise))
    export = laptop.export()
    code, out, err = run(capsys, *office, "merge", export, "--dry-run", "--json")
    assert code == 0, err
    assert json.loads(out)["dry_run"] and json.loads(out)["totals"]["added"] == 3
    code, out, err = run(capsys, *office, "merge", export)
    assert code == 0, err
    assert "合并完成" in out and "合计：新增 3" in out
    code, out, _ = run(capsys, *office, "merge", export, "--json")
    assert json.loads(out)["totals"]["added"] == 0 and json.loads(out)["totals"]["unchanged"] == 3
    code, out, _ = run(capsys, *office, "enterprises", "--json")
    assert [e["id"] for e in json.loads(out)] == [enterprise]
    second = Device(folder / "second", "second")  # two laptops edit the enterprise since they last met
    second.merge(export)
    laptop.update("enterprise", enterprise, 10, address="甲地址")
    second.update("enterprise", enterprise, 20, address="乙地址")
    code, _, err = run(capsys, *office, "merge", laptop.export(), second.export())
    assert code == 0, err
    code, out, err = run(capsys, *office, "conflicts", "--json")
    assert code == 0, err
    assert [(c["table"], c["row_id"], c["reason"]) for c in json.loads(out)] == [("enterprise", enterprise, "both_edited")]
    code, out, _ = run(capsys, *office, "conflicts")
    assert "两边都修改过" in out


def test_a_refused_file_is_one_line_and_changes_nothing(office, folder, capsys):
    bad = folder / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    code, out, err = run(capsys, *office, "merge", bad)
    assert code == 1 and out == ""
    assert err.startswith("错误：") and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    code, out, _ = run(capsys, *office, "enterprises", "--json")
    assert json.loads(out) == []


def test_numbers_block_add_count_takes_the_lowest_free_run(office, capsys):
    base = [*office, "numbers", "block", "add", "--kind", "park", "--year", "2026", "--prefix", "兴经开安改"]
    assert run(capsys, *base, "--first", "4", "--last", "6")[0] == 0
    code, out, err = run(capsys, *base, "--count", "3", "--device", "laptop-1")
    assert code == 0, err
    assert "1–3号" in out and "laptop-1" in out
    code, out, _ = run(capsys, *base, "--count", "2")
    assert "7–8号" in out  # 4–6 are taken
    code, _, err = run(capsys, *base, "--count", "2", "--first", "1")
    assert code != 0 and err.startswith("错误：") and "--count" in err
    code, _, err = run(capsys, *base)
    assert code != 0 and "--count" in err
    code, out, _ = run(capsys, *office, "numbers", "block", "list", "--all", "--json")
    assert sorted((b["first"], b["last"]) for b in json.loads(out)) == [(1, 3), (4, 6), (7, 8)]
