"""The closed loop and documents through the CLI, on the laptop's file and on the office server
(``any_url``): dashboard, hazard show/status/deadline/photo/close/escalate/govern, notice --issue,
the notices list, export, correct, void, and verify against the database."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.loop_helpers import add_number_blocks, make_site, today, write_jpeg
from tests.pg.office_cli import run


@pytest.fixture
def office(any_url, data_dir):
    """The CLI's global options for the database under test: the laptop's file, or the office server."""
    return ["--data-dir", str(data_dir)] + ([] if any_url.startswith("sqlite") else ["--database", any_url])


@pytest.fixture
def site_on(any_url, data_dir):
    """Build a site with the core API on the same database the CLI will open."""
    from inspector.services import Services

    def build(**options):
        services = Services(data_dir, database_url=None if any_url.startswith("sqlite") else any_url)
        try:
            site = make_site(services.db, **options)
            add_number_blocks(services.db, kinds=("order", "park", "review"))
            return site
        finally:
            services.close()
    return build


def test_the_dashboard_and_each_hazard_step(office, site_on, capsys, tmp_path):
    site = site_on(hazards=2, levels=("general", "major"), found_days_ago=20, deadline_days=5)
    code, out, err = run(capsys, *office, "dashboard", "--json")
    board = json.loads(out)
    assert code == 0 and board["counts"] == {"overdue": 2, "due_soon": 0, "reinspection_due": 2, "open_major": 1}
    assert board["complete"] and {h["finding_id"] for h in board["hazards"]} == set(site.finding_ids)
    code, out, _ = run(capsys, *office, "dashboard")
    assert code == 0 and "逾期 2" in out and "兴国县测试冷链有限公司" in out and "逾期天数" in out

    general, major = site.finding_ids
    who = site.inspector_ids[0]
    later = (today() + timedelta(days=10)).isoformat()
    assert run(capsys, *office, "hazard", "deadline", general, "--deadline", later, "--inspector", who)[0] == 0
    code, out, err = run(capsys, *office, "hazard", "status", general, "--to", "待复查", "--inspector", who)
    assert code == 0, err
    code, out, err = run(capsys, *office, "hazard", "close", general, "--reviewer", who)
    assert code != 0 and err.startswith("错误：") and "整改后照片" in err and "Traceback" not in err
    photo = write_jpeg(tmp_path, "after.jpg")
    assert run(capsys, *office, "hazard", "photo", general, photo)[0] == 0
    code, out, err = run(capsys, *office, "hazard", "close", general, "--reviewer", who, "--note", "复查合格")
    assert code == 0, err
    code, out, err = run(capsys, *office, "hazard", "govern", major, "--interim", "设置警戒区", "--plan", "更换泄爆片")
    assert code == 0 and "治理信息已更新" in out, err
    code, out, err = run(capsys, *office, "hazard", "escalate", major, "--inspector", who, "--note", "拒不整改")
    assert code == 0, err

    code, out, _ = run(capsys, *office, "hazard", "show", general, "--json")
    shown = json.loads(out)
    assert shown["status"] == "closed" and len(shown["history"]) == 4 and "复查合格" in shown["history"][-1]
    code, out, _ = run(capsys, *office, "dashboard", "--json")
    assert json.loads(out)["counts"] == {"overdue": 0, "due_soon": 0, "reinspection_due": 0, "open_major": 0}


def test_issuing_listing_exporting_correcting_voiding_and_verifying_notices(office, site_on, capsys, tmp_path):
    site = site_on(hazards=2, deadline_days=20)
    first = tmp_path / "order.pdf"
    code, out, err = run(capsys, *office, "notice", site.inspection_id, "--kind", "order", "--issue", "--out", first)
    assert code == 0 and "已签发" in out and first.read_bytes().startswith(b"%PDF"), err
    code, out, _ = run(capsys, *office, "notices", "--json")
    [issued] = json.loads(out)
    assert issued["status"] == "issued" and issued["inspection_id"] == site.inspection_id
    code, out, err = run(capsys, *office, "hazard", "show", site.finding_ids[0], "--json")
    shown = json.loads(out)
    assert [n["number"] for n in shown["notices"]] == [issued["number_text"]] and shown["status"] == "rectifying"

    code, out, _ = run(capsys, *office, "verify", first)
    assert code == 0 and issued["number_text"] in out
    copy = tmp_path / "copy.pdf"
    assert run(capsys, *office, "notices", "export", issued["id"], "--out", copy)[0] == 0
    assert copy.read_bytes() == first.read_bytes()

    code, out, err = run(capsys, *office, "notice", site.inspection_id, "--kind", "order", "--issue", "--out",
                         tmp_path / "second.pdf")
    assert code != 0 and err.splitlines()[-1].startswith("错误：") and "notices correct" in err and "Traceback" not in err
    code, out, err = run(capsys, *office, "notices", "correct", issued["id"], "--reason", "隐患部位写错",
                         "--out", tmp_path / "corrected.pdf")
    assert code == 0 and "取代" in out, err
    code, out, _ = run(capsys, *office, "notices", "--json")
    listed = json.loads(out)
    assert sorted(n["status"] for n in listed) == ["issued", "superseded"]
    corrected = next(n for n in listed if n["status"] == "issued")
    code, out, err = run(capsys, *office, "notices", "void", corrected["id"], "--reason", "企业已注销")
    assert code == 0 and "已作废" in out, err
    code, out, _ = run(capsys, *office, "notices")
    assert code == 0 and "作废" in out and corrected["number_text"] in out
    code, out, err = run(capsys, *office, "verify", tmp_path / "corrected.pdf")
    assert code == 1 and "作废" in out + err


def test_the_dashboard_counts_every_overdue_hazard_beyond_those_it_lists(office, site_on, capsys, monkeypatch):
    from inspector.core.loop import dashboard

    monkeypatch.setattr(dashboard, "LIST_LIMIT", 3)  # as 220,000 overdue hazards against the real 1,000
    site_on(hazards=6, levels=("general",) * 6, found_days_ago=20, deadline_days=5, photos=False)
    code, out, _ = run(capsys, *office, "dashboard")
    assert code == 0 and "逾期 6" in out and "……另有 3 项" in out
    code, out, _ = run(capsys, *office, "dashboard", "--json")
    board = json.loads(out)
    assert board["counts"]["overdue"] == 6 and len(board["hazards"]) == 3 and board["complete"] is False
    assert board["by_enterprise"][0]["overdue"] == 6
