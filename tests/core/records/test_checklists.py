"""Checklist files: the bundled sector lists, and clear problems for bad files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from inspector.core.records.checklists import (
    SECTORS, ChecklistFileError, checklist_from_snapshot, load_checklist, load_checklists, snapshot_of,
)
from inspector.paths import bundled_checklists_dir

VALID = """\
id: demo-list
title: 演示检查表
sector: gas
version: "1.0"
effective: 2025-03-01
sections:
  - title: 设备
    items:
      - id: RQ-01
        text: 是否安装可燃气体报警装置
        cite:
          - {source: aqsc-law, article: 第三十六条第四款}
        hazard: 未安装可燃气体报警装置
        requirement: 安装可燃气体报警装置
        deadline_days: 15
        photo_required: true
      - id: RQ-02
        text: 是否安装紧急切断阀
        cite:
          - {source: gb-55009-2021}
        major_rule: {source: mem-10, article: 第十三条（二）}
        hazard: 未安装紧急切断阀
        requirement: 安装紧急切断阀
        deadline_days: 30
        verify: 【记】条号需核对
"""


def write(tmp_path: Path, text: str, name: str = "list.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> list:
    with pytest.raises(ChecklistFileError) as caught:
        load_checklist(path)
    return caught.value.problems


def test_bundled_checklists_all_load_and_cover_every_sector():
    loaded = load_checklists([bundled_checklists_dir()])
    assert loaded.problems == []
    by_sector = {c.sector: c for c in loaded.checklists}
    assert set(SECTORS) - {"general"} <= set(by_sector), set(SECTORS) - set(by_sector)
    for sector in ("cold_storage", "hot_work", "gas", "ebike"):
        assert len(by_sector[sector].items) >= 15, sector
    for sector in ("fire", "dust", "confined_space", "hazchem"):
        assert len(by_sector[sector].items) >= 8, sector
    items = [item for c in loaded.checklists for item in c.items]
    assert all(item.basis and item.hazard and item.requirement and item.cite for item in items)
    assert any(item.major for item in by_sector["dust"].items)
    assert all(item.major_clause and item.major_rule for item in items if item.major)
    assert any(item.verify and "【记" in item.verify for item in items), "the 【记】 marks of the reference must survive"


def test_valid_file_loads(tmp_path):
    checklist = load_checklist(write(tmp_path, VALID))
    assert checklist.id == "demo-list" and checklist.version == "1.0"
    assert [item.id for item in checklist.items] == ["RQ-01", "RQ-02"]
    assert checklist.item("RQ-02").major and checklist.major_count == 1
    assert checklist.item("RQ-01").basis == "《中华人民共和国安全生产法》第三十六条第四款"
    assert checklist.item("RQ-02").basis == "GB 55009—2021《燃气工程项目规范》"
    assert checklist.item("RQ-02").major_clause == "《工贸企业重大事故隐患判定标准》（应急管理部令第10号）第十三条（二）"
    assert checklist.sources == ["《中华人民共和国安全生产法》", "GB 55009—2021《燃气工程项目规范》"]


def test_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, VALID.replace("title: 设备", "title: [设备"), "broken.yaml")
    (problem,) = problems_of(path)
    assert problem.file == "broken.yaml" and problem.line is not None and "YAML" in problem.message


def test_missing_field_names_item_field_and_line(tmp_path):
    path = write(tmp_path, VALID.replace("        hazard: 未安装紧急切断阀\n", ""))
    (problem,) = problems_of(path)
    assert problem.where == "RQ-02.hazard" and "缺少" in problem.message
    assert problem.line == 17  # the line where the item starts


def test_wrong_type_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, VALID.replace("deadline_days: 15", "deadline_days: soon"))
    (problem,) = problems_of(path)
    assert problem.where == "RQ-01.deadline_days" and problem.line == 15 and "整数" in problem.message


def test_duplicate_item_ids_are_refused(tmp_path):
    problems = problems_of(write(tmp_path, VALID.replace("id: RQ-02", "id: RQ-01")))
    assert any("重复" in p.message and "RQ-01" in p.message for p in problems)


def test_duplicate_keys_are_refused(tmp_path):
    problems = problems_of(write(tmp_path, VALID.replace("        deadline_days: 15\n", "        deadline_days: 15\n        deadline_days: 7\n", 1)))
    assert any("重复" in p.message and p.line == 16 for p in problems)


def test_unknown_sector_and_unknown_field(tmp_path):
    text = VALID.replace("sector: gas", "sector: bakery").replace("photo_required: true", "photo_required: true\n        colour: red")
    messages = {p.where: p.message for p in problems_of(write(tmp_path, text))}
    assert "未知行业" in messages["sector"] and messages["RQ-01.colour"] == "未知字段"


def test_major_rule_needs_an_article_of_a_judging_standard(tmp_path):
    no_article = problems_of(write(tmp_path, VALID.replace("article: 第十三条（二）}", "article: ''}")))
    assert any("条号" in p.message and p.where.startswith("RQ-02.major_rule") for p in no_article)
    not_judging = problems_of(write(tmp_path, VALID.replace("{source: mem-10, article: 第十三条（二）}", "{source: aqsc-law, article: 第三十条}")))
    assert any("不是重大隐患判定标准" in p.message for p in not_judging)
    not_in_outline = problems_of(write(tmp_path, VALID.replace("第十三条（二）", "第十三条（九）")))
    assert any("outline" in p.message for p in not_in_outline)


def test_absurd_sizes_are_refused(tmp_path):
    huge = tmp_path / "huge.yaml"
    huge.write_text(VALID + "# " + "x" * 1_100_000, encoding="utf-8")
    assert "过大" in problems_of(huge)[0].message
    long_text = write(tmp_path, VALID.replace("是否安装紧急切断阀", "长" * 5000), "long.yaml")
    assert problems_of(long_text)[0].message == "内容过长"
    days = write(tmp_path, VALID.replace("deadline_days: 30", "deadline_days: 100000"), "days.yaml")
    assert "范围" in problems_of(days)[0].message


def test_not_a_mapping_and_not_utf8(tmp_path):
    assert "键值映射" in problems_of(write(tmp_path, "- just\n- a list\n"))[0].message
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert "UTF-8" in problems_of(binary)[0].message


def test_bad_file_is_skipped_and_the_others_load(tmp_path):
    write(tmp_path, VALID, "good.yaml")
    write(tmp_path, "id: [oops", "bad.yaml")
    loaded = load_checklists([tmp_path])
    assert [c.id for c in loaded.checklists] == ["demo-list"]
    assert [p.file for p in loaded.problems] == ["bad.yaml"]
    assert str(loaded.problems[0]).startswith("bad.yaml:")


def test_later_folder_overrides_same_id(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    write(first, VALID)
    write(second, VALID.replace('version: "1.0"', 'version: "2.0"'))
    assert load_checklists([first, second]).by_id("demo-list").version == "2.0"


def test_snapshot_is_deterministic_and_restores_the_old_version(tmp_path):
    old = load_checklist(write(tmp_path, VALID))
    new = load_checklist(write(tmp_path, VALID.replace("是否安装紧急切断阀", "是否安装联动切断阀"), "new.yaml"))
    assert snapshot_of(old)["id"] == snapshot_of(load_checklist(tmp_path / "list.yaml"))["id"]
    assert snapshot_of(old)["id"] != snapshot_of(new)["id"]
    restored = checklist_from_snapshot(snapshot_of(old)["content"])
    assert restored.item("RQ-02").text == "是否安装紧急切断阀"
