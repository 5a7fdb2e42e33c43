"""Exact 重大 flags: multi-condition articles, flags limited to an enterprise kind, 重大火灾隐患 apart."""

from __future__ import annotations

import pytest

from inspector.core.records.enterprises import create_enterprise
from inspector.core.records.industries import enterprise_kinds, finding_level, suggested_checklists, suggested_sectors
from inspector.core.records.inspections import answer_item, get_finding, start_inspection
from inspector.core.records.inspectors import add_inspector


def begin(services, industry: str, checklist_id: str):
    db = services.db
    enterprise = create_enterprise(db, name=f"兴国县{industry or '某'}测试有限公司", industry=industry)
    team = [add_inspector(db, name="王伟").id, add_inspector(db, name="李芳").id]
    checklist = services.checklists.by_id(checklist_id)
    inspection = start_inspection(db, enterprise_id=enterprise.id, checklists=[checklist], inspector_ids=team, place="车间")
    return inspection, checklist


def answer(services, inspection, item_id, result="fail"):
    finding = answer_item(services.db, inspection_id=inspection.id, snapshot_id=inspection.snapshot_ids[0],
                          item_id=item_id, result=result)
    return get_finding(services.db, finding.id)


def test_one_condition_of_an_and_article_is_a_general_hazard(services):
    inspection, _ = begin(services, "机械", "confined-space")
    ledger = answer(services, inspection, "YX-01A")
    assert ledger.level == "general" and ledger.major_clause == ""
    assert ledger.description == "未对存在硫化氢、一氧化碳等中毒风险的有限空间进行辨识、建立安全管理台账"


def test_both_conditions_make_both_findings_major_and_passing_one_undoes_it(services):
    inspection, _ = begin(services, "机械", "confined-space")
    ledger = answer(services, inspection, "YX-01A")
    sign = answer(services, inspection, "YX-01B")
    ledger = get_finding(services.db, ledger.id)
    assert (sign.level, ledger.level) == ("major", "major")
    assert sign.major_clause == ledger.major_clause == "《工贸企业重大事故隐患判定标准》（应急管理部令第10号）第十三条（一）"
    answer(services, inspection, "YX-01B", "pass")
    assert get_finding(services.db, ledger.id).level == "general"
    assert get_finding(services.db, ledger.id).major_clause == ""


def test_121_flags_apply_to_hazchem_producers_only(services):
    user, _ = begin(services, "纺织", "hazchem")
    assert answer(services, user, "WH-02").level == "general"
    producer, _ = begin(services, "危险化学品生产", "hazchem")
    finding = answer(services, producer, "WH-02")
    assert finding.level == "major"
    assert finding.major_clause == "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》（安监总管三〔2017〕121号）第二十项"


def test_fire_hazard_is_labelled_apart_from_accident_hazards(services):
    fire = services.checklists.by_id("fire").item("XF-09")
    assert fire.major_label == "重大火灾隐患" and not fire.major
    assert finding_level(fire, "商贸") == ("general", "")
    dust = services.checklists.by_id("dust").item("FC-01")
    assert dust.major_label == "重大事故隐患" and dust.major
    assert finding_level(dust, "")[0] == "major"


def test_split_items_of_article_3_1(services):
    for checklist_id, general_id in (("confined-space", "YX-12"), ("hot-work", "DH-20")):
        checklist = services.checklists.by_id(checklist_id)
        assert not checklist.item(general_id).major
        assert checklist.item(general_id + "B").major
        assert checklist.item(general_id + "B").major_clause.endswith("第三条（一）")


def test_metal_smelting_flag_needs_a_smelting_enterprise(services):
    item = services.checklists.by_id("general").item("TY-03")
    assert finding_level(item, "稀土冶炼")[0] == "major"
    assert finding_level(item, "服装加工")[0] == "general"


@pytest.mark.parametrize("industry, first, also", [
    ("机械铸造", "machinery", {"hot_work", "special_work", "general"}),
    ("家具制造", "furniture", {"dust", "fire"}),
    ("纺织服装", "textile", {"fire"}),
    ("新型建材", "building_materials", {"dust"}),
    ("商贸物流", "trade", {"mixed_use", "fire"}),
    ("稀土冶炼", "metallurgy", {"hot_work"}),
    ("冷库/涉氨制冷", "cold_storage", set()),  # registered under a specialty name: that list only
    ("机械（含铸造）", "machinery", {"hot_work", "general"}),
    ("轻工", "light_industry", {"fire"}),
    ("", "general", set()),
    ("未知行业", "general", set()),
])
def test_industry_picks_its_list_and_the_specialty_lists(industry, first, also):
    sectors = suggested_sectors(industry)
    assert sectors[0] == first and also <= set(sectors)
    if not also:
        assert sectors == [first]


def test_suggested_checklists_are_loaded_lists(services):
    lists = suggested_checklists("机械制造", services.checklists.checklists)
    assert lists[0].sector == "machinery" and "general" in {c.sector for c in lists}
    assert enterprise_kinds("危险化学品经营") == {"hazchem_trader"}


def test_every_sample_industry_has_its_own_list(services):
    from inspector.core.records.industries import SAMPLE_INDUSTRIES, finding_defaults

    loaded = services.checklists.checklists
    firsts = {suggested_checklists(industry, loaded)[0].sector for industry in SAMPLE_INDUSTRIES}
    assert {"machinery", "furniture", "textile", "building_materials", "trade", "light_industry", "metallurgy",
            "tobacco"} <= firsts
    item = services.checklists.by_id("hazchem").item("WH-08")
    assert finding_defaults(item, "危险化学品经营")["level"] == "major"
    assert finding_defaults(item, "家具制造") == {"description": item.hazard, "level": "general", "major_clause": "",
                                                 "requirement": item.requirement, "basis": item.basis}
