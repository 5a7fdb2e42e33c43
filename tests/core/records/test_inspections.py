"""An inspection on site, through the core: start, answer, edit, free findings, completion, snapshots."""

from __future__ import annotations

import io
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest

from inspector.core.records.checklists import checklist_from_snapshot, snapshot_of
from inspector.core.records.enterprises import create_enterprise
from inspector.core.records.inspection_state import load_state
from inspector.core.records.inspections import (
    add_free_finding,
    answer_item,
    complete_inspection,
    completion_problems,
    delete_free_finding,
    get_finding,
    reopen_inspection,
    start_inspection,
    update_finding,
)
from inspector.core.records.inspectors import add_inspector, last_inspector_ids, list_inspectors, set_inspector_active
from inspector.core.photos.store import attach_photos
from inspector.errors import NotFoundError, UserError

# 2025-03-07 23:30 UTC is already 2025-03-08 07:30 in China: deadlines count from the local date.
LATE_EVENING_UTC = datetime(2025, 3, 7, 23, 30, tzinfo=timezone.utc)


@pytest.fixture
def setup(services):
    db = services.db
    enterprise = create_enterprise(db, name="兴国县赣南冷链物流有限公司")
    team = [add_inspector(db, name="王伟", certificate_no="3607001").id, add_inspector(db, name="李芳").id]
    return services, db, enterprise, team


@pytest.fixture
def cold(services):
    return services.checklists.by_id("cold-storage")


def start(setup, checklists, **kwargs):
    services, db, enterprise, team = setup
    return start_inspection(db, enterprise_id=enterprise.id, checklists=checklists, inspector_ids=team,
                            place=kwargs.pop("place", "氨制冷机房"), **kwargs)


def answer(db, inspection, walk_item, result):
    return answer_item(db, inspection_id=inspection.id, snapshot_id=walk_item.snapshot_id,
                       item_id=walk_item.item.id, result=result)


def jpeg_bytes(colour="red") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def test_start_needs_two_inspectors_and_a_checklist(setup, cold):
    services, db, enterprise, team = setup
    with pytest.raises(UserError, match="至少需要两名检查人员（已选 1 名）"):
        start_inspection(db, enterprise_id=enterprise.id, checklists=[cold], inspector_ids=[team[0], team[0]])
    with pytest.raises(UserError, match="至少选择一张检查表"):
        start_inspection(db, enterprise_id=enterprise.id, checklists=[], inspector_ids=team)
    with pytest.raises(NotFoundError):
        start_inspection(db, enterprise_id="nope", checklists=[cold], inspector_ids=team)
    with pytest.raises(NotFoundError):
        start_inspection(db, enterprise_id=enterprise.id, checklists=[cold], inspector_ids=[team[0], "ghost"])


def test_start_records_snapshots_and_remembers_the_team(setup, cold, services):
    general = services.checklists.by_id("hot-work")
    inspection = start(setup, [cold, general], settings=services.settings)
    state = load_state(services.db, inspection.id)
    assert inspection.status == "draft" and inspection.started_at.tzinfo is not None
    assert inspection.snapshot_ids == [snapshot_of(cold)["id"], snapshot_of(general)["id"]]
    assert len(state.items) == len(cold.items) + len(general.items)
    assert [i.seq for i in state.items] == list(range(1, len(state.items) + 1))
    assert state.enterprise_name == "兴国县赣南冷链物流有限公司" and state.inspector_names == ["王伟", "李芳"]
    assert last_inspector_ids(services.settings, services.db) == setup[3]
    set_inspector_active(services.db, setup[3][1], active=False)
    assert last_inspector_ids(services.settings, services.db) == [setup[3][0]]
    assert [i.name for i in list_inspectors(services.db)] == ["王伟"]
    start(setup, [cold])  # the same checklist content is stored once
    rows = sqlite3.connect(services.paths.database).execute("SELECT count(*) FROM checklist_snapshot").fetchone()
    assert rows[0] == 2


def test_fail_prefills_the_finding_from_the_item(setup, cold):
    db = setup[1]
    inspection = start(setup, [cold], started_at=LATE_EVENING_UTC)
    walk = load_state(db, inspection.id).items
    major = next(w for w in walk if w.item.major)
    finding = answer(db, inspection, major, "fail")
    item = major.item
    assert (finding.result, finding.description, finding.requirement, finding.basis) == (
        "fail", item.hazard, item.requirement, item.basis)
    assert finding.level == "major" and finding.major_clause == item.major_clause
    assert finding.deadline == date(2025, 3, 8) + timedelta(days=item.deadline_days)
    assert finding.location == "氨制冷机房" and finding.item_text == item.text and finding.seq == major.seq
    assert finding.device_id == db.device_id


def test_changing_an_answer_keeps_one_row_and_the_edited_text(setup, cold):
    db = setup[1]
    inspection = start(setup, [cold])
    item = load_state(db, inspection.id).items[3]
    first = answer(db, inspection, item, "fail")
    update_finding(db, first.id, description="现场：氨气报警器已拆除", deadline=date(2030, 1, 2))
    answer(db, inspection, item, "pass")
    again = answer(db, inspection, item, "fail")
    assert again.id == first.id
    stored = get_finding(db, first.id)
    assert stored.description == "现场：氨气报警器已拆除" and stored.deadline == date(2030, 1, 2)
    assert stored.rev == 4  # update, pass, fail
    state = load_state(db, inspection.id)
    assert len(state.answers) == 1 and state.progress.hazards == 1


def test_update_finding_only_accepts_editor_fields(setup, cold):
    db = setup[1]
    inspection = start(setup, [cold])
    finding = answer(db, inspection, load_state(db, inspection.id).items[0], "fail")
    updated = update_finding(db, finding.id, level="general", major_clause="", responsible_person="赵敏",
                             location="一号冷库")
    assert (updated.level, updated.responsible_person, updated.location) == ("general", "赵敏", "一号冷库")
    with pytest.raises(TypeError):
        update_finding(db, finding.id, result="pass")
    with pytest.raises(ValueError):
        update_finding(db, finding.id, level="huge")
    with pytest.raises(UserError, match="过长"):
        update_finding(db, finding.id, description="长" * 5000)


def test_free_findings_come_after_the_items_and_can_be_removed(setup, cold):
    db = setup[1]
    inspection = start(setup, [cold])
    free = add_free_finding(db, inspection_id=inspection.id, description="消防通道堆放纸箱")
    second = add_free_finding(db, inspection_id=inspection.id)
    assert free.item_id is None and free.result == "fail" and free.seq == len(cold.items) + 1
    assert second.seq == free.seq + 1 and free.deadline is not None
    state = load_state(db, inspection.id)
    assert [f.id for f in state.free_findings] == [free.id, second.id]
    assert state.progress.answered == 0 and state.progress.hazards == 2
    delete_free_finding(db, second.id)
    assert [f.id for f in load_state(db, inspection.id).free_findings] == [free.id]
    item_answer = answer(db, inspection, state.items[0], "pass")
    with pytest.raises(UserError, match="不适用"):
        delete_free_finding(db, item_answer.id)


def test_completion_says_what_is_missing_then_completes(setup, cold):
    db = setup[1]
    inspection = start(setup, [cold])
    items = load_state(db, inspection.id).items
    photo_item = next(w for w in items if w.item.photo_required)
    plain_item = next(w for w in items if not w.item.photo_required)
    with_photo = answer(db, inspection, photo_item, "fail")
    cleared = answer(db, inspection, plain_item, "fail")
    update_finding(db, cleared.id, description="  ", requirement="")
    free = add_free_finding(db, inspection_id=inspection.id)

    problems = completion_problems(db, inspection.id)
    assert problems[0].startswith(f"还有 {len(items) - 2} 项未检查：")
    assert any(p.startswith("2 条隐患未填写隐患描述：") and plain_item.item.id in p and "自由隐患" in p for p in problems)
    assert any(p.startswith("2 条隐患未填写整改要求") for p in problems)
    assert f"1 条隐患须附现场照片：{photo_item.item.id}。" in problems
    with pytest.raises(UserError, match="检查尚不能完成") as refused:
        complete_inspection(db, inspection.id)
    assert "须附现场照片" in refused.value.message

    for walk_item in items:
        if walk_item not in (photo_item, plain_item):
            answer(db, inspection, walk_item, "na" if walk_item.seq % 3 else "pass")
    update_finding(db, cleared.id, description="冷库门口堆放杂物", requirement="清理")
    update_finding(db, free.id, description="配电箱门未关", requirement="关闭并上锁")
    attach_photos(db, finding_id=with_photo.id, sources=[("现场.jpg", jpeg_bytes())])
    assert completion_problems(db, inspection.id) == []
    done = complete_inspection(db, inspection.id)
    assert done.status == "completed" and done.ended_at is not None

    with pytest.raises(UserError, match="已完成"):
        answer(db, inspection, items[0], "fail")
    with pytest.raises(UserError, match="已完成"):
        update_finding(db, free.id, description="改")
    with pytest.raises(UserError, match="已完成"):
        attach_photos(db, finding_id=with_photo.id, sources=[("又一张.jpg", jpeg_bytes("blue"))])
    reopen_inspection(db, inspection.id)
    assert answer(db, inspection, items[0], "fail").result == "fail"


def test_fewer_than_two_inspectors_is_a_completion_problem(setup, cold, services):
    inspection = start(setup, [cold])
    with sqlite3.connect(services.paths.database) as connection:
        connection.execute("UPDATE inspection SET inspector_ids = ? WHERE id = ?", (f'["{setup[3][0]}"]', inspection.id))
    assert "检查人员不足两名（现有 1 名）。" in completion_problems(services.db, inspection.id)


def test_old_inspections_show_their_snapshot_not_the_current_checklist(setup, cold, services):
    db = setup[1]
    content = cold.model_dump(mode="json")
    content["version"] = "2024.9"
    content["sections"][0]["items"][0]["text"] = "旧版检查项文字"
    content["sections"][0]["items"][0]["hazard"] = "旧版隐患描述"
    old = checklist_from_snapshot(content)
    inspection = start(setup, [old])
    state = load_state(db, inspection.id)
    assert state.items[0].item.text == "旧版检查项文字"
    assert answer(db, inspection, state.items[0], "fail").description == "旧版隐患描述"
    newer = start(setup, [cold])
    assert load_state(db, newer.id).items[0].item.text == cold.items[0].text
    assert newer.snapshot_ids != inspection.snapshot_ids


def test_a_resumed_draft_continues_at_the_first_unanswered_item(setup, cold):
    db = setup[1]
    inspection = start(setup, [cold])
    items = load_state(db, inspection.id).items
    for walk_item in items[:4]:
        answer(db, inspection, walk_item, "pass")
    answer(db, inspection, items[6], "na")
    state = load_state(db, inspection.id)
    assert state.first_unanswered() == 4
    assert state.progress.answered == 5 and state.progress.total == len(items)


def test_answers_are_validated(setup, cold):
    db = setup[1]
    inspection = start(setup, [cold])
    item = load_state(db, inspection.id).items[0]
    with pytest.raises(ValueError):
        answer(db, inspection, item, "maybe")
    with pytest.raises(NotFoundError):
        answer_item(db, inspection_id=inspection.id, snapshot_id=item.snapshot_id, item_id="NO-SUCH", result="pass")
    with pytest.raises(NotFoundError):
        answer_item(db, inspection_id=inspection.id, snapshot_id="other", item_id=item.item.id, result="pass")
