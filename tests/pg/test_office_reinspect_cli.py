"""``inspector reinspect`` (复查 on the command line) on the laptop's file and on the office server (``any_url``):
the 复查 tab's steps — enterprises to review, a visit, after photos, 已整改/未整改/移交执法, completion — and
its refusals (one line on stderr, non-zero exit, nothing stored)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.loop_helpers import make_site, today, write_jpeg
from tests.pg.office_cli import run

NAME = "兴国县测试冷链有限公司"


@pytest.fixture
def office(any_url, data_dir):
    """The CLI's global options for the database under test: the laptop's file, or the office server."""
    return ["--data-dir", str(data_dir)] + ([] if any_url.startswith("sqlite") else ["--database", any_url])


@pytest.fixture
def site(any_url, data_dir):
    """Three overdue hazards (general, major, general), built with the core API on the database the CLI opens."""
    from inspector.services import Services

    services = Services(data_dir, database_url=None if any_url.startswith("sqlite") else any_url)
    try:
        yield make_site(services.db, hazards=3, levels=("general", "major"), found_days_ago=20, deadline_days=5)
    finally:
        services.close()


def refused(result, *words) -> bool:
    code, out, err = result
    return (code != 0 and err.startswith("错误：") and err.count("\n") == 1 and "Traceback" not in err
            and all(word in err for word in words))


def shown(capsys, office) -> dict:
    code, out, err = run(capsys, *office, "reinspect", "show", NAME, "--json")
    assert code == 0, err
    return json.loads(out)


def hazard(capsys, office, finding_id) -> dict:
    code, out, err = run(capsys, *office, "hazard", "show", finding_id, "--json")
    assert code == 0, err
    return json.loads(out)


def test_a_whole_reinspection_closes_extends_and_escalates(office, site, capsys, tmp_path):
    code, out, err = run(capsys, *office, "reinspect", "list", "--json")
    assert code == 0, err
    assert json.loads(out) == [{"id": site.enterprise_id, "name": NAME, "industry": "冷库/涉氨制冷", "open_hazards": 3,
                                "overdue": 3, "awaiting_review": 0, "draft": None}]
    code, out, err = run(capsys, *office, "reinspect", "start", NAME, "--inspector", "刘志强", "--inspector", "曾海燕")
    assert code == 0 and "已开始" in out, err
    visit = shown(capsys, office)["reinspection_id"]
    code, out, err = run(capsys, *office, "reinspect", "start", site.enterprise_id, "--inspector", "刘志强")
    assert code == 0 and visit in out and "已有进行中的复查" in out  # resumed, as the GUI resumes a draft
    code, out, _ = run(capsys, *office, "reinspect", "list")
    assert code == 0 and NAME in out and "进行中" in out

    general, major, third = site.finding_ids
    later = today() + timedelta(days=15)
    photo = write_jpeg(tmp_path, "after.jpg")
    code, out, err = run(capsys, *office, "reinspect", "record", general, "--result", "已整改", "--photo", photo,
                         "--note", "报警装置已安装")
    assert code == 0 and "已添加整改后照片 1 张" in out and "已整改" in out, err
    code, out, err = run(capsys, *office, "reinspect", "record", major, "--result", "未整改", "--deadline",
                         later.isoformat())
    assert code == 0 and later.isoformat() in out, err
    code, out, err = run(capsys, *office, "reinspect", "record", third, "--result", "escalated", "--note", "拒不整改")
    assert code == 0, err
    board = {h["finding_id"]: h for h in shown(capsys, office)["hazards"]}
    assert [board[f]["outcome"] for f in site.finding_ids] == ["rectified", "not_rectified", "escalated"]
    assert board[general]["after_photos"] == 1 and board[major]["new_deadline"] == later.isoformat()
    assert hazard(capsys, office, general)["status"] == "pending"  # nothing applied before completion

    code, out, err = run(capsys, *office, "reinspect", "complete", NAME, "--reviewer", "曾海燕")
    assert code == 0 and "销号 1 项，限期整改 1 项，移交执法 1 项" in out, err
    closed, extended, escalated = (hazard(capsys, office, f) for f in site.finding_ids)
    assert closed["status"] == "closed" and any("复查合格，予以销号：报警装置已安装" in s for s in closed["history"])
    assert [p["reinspection_id"] for p in closed["photos"] if p["kind"] == "after"] == [visit]
    assert extended["status"] == "rectifying" and extended["deadline"] == later.isoformat()
    assert escalated["status"] == "escalated"
    code, out, _ = run(capsys, *office, "reinspect", "list", "--json")
    assert [(e["open_hazards"], e["draft"]) for e in json.loads(out)] == [(1, None)]
    assert refused(run(capsys, *office, "reinspect", "complete", NAME), "没有进行中的复查")


def test_refused_steps_store_nothing(office, site, capsys, tmp_path):
    general, major, _ = site.finding_ids
    photo = write_jpeg(tmp_path, "after.jpg")
    assert refused(run(capsys, *office, "reinspect", "record", general, "--result", "已整改", "--photo", photo),
                   "没有进行中的复查", "reinspect start")
    assert refused(run(capsys, *office, "reinspect", "start", "不存在的企业", "--inspector", "刘志强"), "找不到企业")
    assert refused(run(capsys, *office, "reinspect", "start", NAME, "--inspector", "无此人"))
    assert shown(capsys, office)["reinspection_id"] is None
    assert run(capsys, *office, "reinspect", "start", NAME, "--inspector", "刘志强")[0] == 0

    assert refused(run(capsys, *office, "reinspect", "record", general, "--result", "已整改"), "整改后照片")
    assert refused(run(capsys, *office, "reinspect", "record", general, "--result", "大概好了"), "未知的复查结论")
    assert refused(run(capsys, *office, "reinspect", "record", major, "--result", "未整改", "--photo", photo),
                   "新的整改期限")
    yesterday = (today() - timedelta(days=1)).isoformat()
    assert refused(run(capsys, *office, "reinspect", "record", major, "--result", "未整改", "--deadline", yesterday,
                       "--photo", photo), "早于今天")
    assert refused(run(capsys, *office, "reinspect", "record", major, "--result", "未整改", "--deadline", "15号"),
                   "格式不对")
    assert refused(run(capsys, *office, "reinspect", "complete", NAME), "还没有记录任何复查结论")
    board = shown(capsys, office)["hazards"]
    assert [(h["outcome"], h["after_photos"]) for h in board] == [(None, 0)] * 3  # no photo left behind
    assert refused(run(capsys, *office, "reinspect", "record", "XGKF-2026-ZZZZZZZZ", "--result", "已整改"), "找不到隐患")


def test_a_closed_hazard_is_not_reinspected(office, site, capsys, tmp_path):
    general = site.finding_ids[0]
    assert run(capsys, *office, "hazard", "photo", general, write_jpeg(tmp_path, "a.jpg"))[0] == 0
    assert run(capsys, *office, "hazard", "close", general, "--reviewer", "刘志强")[0] == 0
    assert run(capsys, *office, "reinspect", "start", NAME, "--inspector", "刘志强")[0] == 0
    assert refused(run(capsys, *office, "reinspect", "record", general, "--result", "移交执法"), "无需复查")
    assert [h["finding_id"] for h in shown(capsys, office)["hazards"]] == site.finding_ids[1:]


def test_reinspect_without_a_step_prints_its_usage(office, capsys):
    code, out, err = run(capsys, *office, "reinspect")
    assert code == 2 and "list|show|start|record|complete" in err
