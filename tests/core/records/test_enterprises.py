"""Enterprises: register, edit, tombstone, search by name / pinyin initials / credit code, history, open hazards."""

from __future__ import annotations

import random
import sqlite3

import pytest

from inspector.core.records import credit_code
from inspector.core.records.enterprises import (
    create_enterprise,
    delete_enterprise,
    enterprise_history,
    get_enterprise,
    list_enterprises,
    open_hazards,
    search_enterprises,
    update_enterprise,
)
from inspector.errors import NotFoundError, UserError

CODE = credit_code.generate(random.Random(7))
OTHER_CODE = credit_code.generate(random.Random(8))


@pytest.fixture
def db(services):
    return services.db


def names(rows) -> list[str]:
    return sorted(row.name for row in rows)


def test_create_stores_normalised_fields_and_pinyin_initials(db):
    enterprise = create_enterprise(db, name="  兴国县 赣南冷链物流有限公司 ", credit_code=CODE.lower(),
                                   address="平川大道 8 号", liaison="刘洋")
    stored = get_enterprise(db, enterprise.id)
    assert stored.name == "兴国县 赣南冷链物流有限公司"
    assert stored.credit_code == CODE
    assert stored.name_initials == "xgxgnllwlyxgs"
    assert stored.device_id == db.device_id and stored.rev == 1 and stored.deleted_at is None


def test_credit_code_is_optional_but_an_invalid_one_is_refused(db):
    assert create_enterprise(db, name="潋江餐饮管理有限公司").credit_code is None
    broken = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")
    with pytest.raises(UserError, match="校验位"):
        create_enterprise(db, name="红都钢结构工程有限公司", credit_code=broken)
    with pytest.raises(UserError, match="18 位"):
        create_enterprise(db, name="红都钢结构工程有限公司", credit_code="9136")
    assert names(list_enterprises(db)) == ["潋江餐饮管理有限公司"]


@pytest.mark.parametrize("name", ["", "   ", None])
def test_a_name_is_required(db, name):
    with pytest.raises(UserError, match="企业名称不能为空"):
        create_enterprise(db, name=name)


def test_duplicates_by_credit_code_or_name_are_refused(db):
    create_enterprise(db, name="兴国食品冷藏有限公司", credit_code=CODE)
    with pytest.raises(UserError, match="已登记给“兴国食品冷藏有限公司”"):
        create_enterprise(db, name="另一家公司", credit_code=CODE)
    with pytest.raises(UserError, match="已经登记过"):
        create_enterprise(db, name="兴国食品冷藏有限公司")


def test_search_by_part_of_name_pinyin_initials_or_credit_code(db):
    cold = create_enterprise(db, name="兴国县赣南冷链物流有限公司", credit_code=CODE)
    create_enterprise(db, name="兴国县潋江餐饮管理有限公司", credit_code=OTHER_CODE)
    create_enterprise(db, name="将军钢结构工程有限公司")
    assert names(search_enterprises(db, "冷链")) == [cold.name]
    assert names(search_enterprises(db, "GNLL")) == [cold.name]
    assert names(search_enterprises(db, CODE[8:14].lower())) == [cold.name]
    assert len(search_enterprises(db, "兴国县")) == 2
    assert names(search_enterprises(db, "兴国县 cy")) == ["兴国县潋江餐饮管理有限公司"]
    assert len(search_enterprises(db, "")) == 3
    assert search_enterprises(db, "%") == [] and search_enterprises(db, "_") == []


def test_update_bumps_revision_and_recomputes_initials(db):
    enterprise = create_enterprise(db, name="鼎龙木业有限公司")
    updated = update_enterprise(db, enterprise.id, name="鼎龙新材料科技有限公司", credit_code=CODE,
                                contact_phone="13800000000")
    stored = get_enterprise(db, enterprise.id)
    assert stored.rev == 2 and stored.updated_at > enterprise.updated_at
    assert stored.name_initials == "dlxclkjyxgs" and stored.credit_code == CODE == updated.credit_code
    update_enterprise(db, enterprise.id, name="鼎龙新材料科技有限公司", credit_code=CODE, contact_phone="13800000000")
    assert get_enterprise(db, enterprise.id).rev == 2  # nothing changed: no new revision


def test_update_refuses_a_code_of_another_enterprise(db):
    create_enterprise(db, name="甲", credit_code=CODE)
    second = create_enterprise(db, name="乙")
    with pytest.raises(UserError, match="已登记给“甲”"):
        update_enterprise(db, second.id, name="乙", credit_code=CODE)
    update_enterprise(db, second.id, name="乙", credit_code=OTHER_CODE)  # its own new code is fine


def test_delete_is_a_tombstone(db, services):
    enterprise = create_enterprise(db, name="埠头化工材料有限公司", credit_code=CODE)
    delete_enterprise(db, enterprise.id)
    assert search_enterprises(db, "埠头") == []
    with pytest.raises(NotFoundError):
        get_enterprise(db, enterprise.id)
    row = sqlite3.connect(services.paths.database).execute(
        "SELECT deleted_at, rev FROM enterprise WHERE id = ?", (enterprise.id,)).fetchone()
    assert row[0] is not None and row[1] == 2
    create_enterprise(db, name="埠头化工材料有限公司", credit_code=CODE)  # may be registered again


def test_history_and_open_hazards(services):
    from inspector.core.records.inspections import answer_item, start_inspection
    from inspector.core.records.inspectors import add_inspector
    from inspector.core.records.inspection_state import load_state

    db = services.db
    enterprise = create_enterprise(db, name="赣南脐橙仓储冷链有限公司")
    other = create_enterprise(db, name="别的公司")
    team = [add_inspector(db, name="王伟").id, add_inspector(db, name="李芳").id]
    checklist = services.checklists.by_id("cold-storage")
    first = start_inspection(db, enterprise_id=enterprise.id, checklists=[checklist], inspector_ids=team, place="冷藏库房")
    second = start_inspection(db, enterprise_id=enterprise.id, checklists=[checklist], inspector_ids=team)
    start_inspection(db, enterprise_id=other.id, checklists=[checklist], inspector_ids=team)
    items = load_state(db, first.id).items
    major_item = next(i for i in items if i.item.major)
    general_item = next(i for i in items if not i.item.major)
    hazards = [answer_item(db, inspection_id=first.id, snapshot_id=i.snapshot_id, item_id=i.item.id, result="fail")
               for i in (general_item, major_item)]
    answer_item(db, inspection_id=first.id, snapshot_id=items[5].snapshot_id, item_id=items[5].item.id, result="pass")

    history = enterprise_history(db, enterprise.id)
    assert [h.id for h in history] == [second.id, first.id]  # newest first
    assert (history[1].findings, history[1].hazards, history[1].major) == (3, 2, 1)
    found = open_hazards(db, enterprise.id)
    assert [h.finding_id for h in found] == [hazards[1].id, hazards[0].id]  # major first
    assert found[0].level == "major" and found[0].description == major_item.item.hazard

    with sqlite3.connect(services.paths.database) as connection:
        connection.execute("UPDATE finding SET status = 'closed' WHERE id = ?", (hazards[1].id,))
    assert [h.finding_id for h in open_hazards(db, enterprise.id)] == [hazards[0].id]
    assert open_hazards(db, other.id) == []
