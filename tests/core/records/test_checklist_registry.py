"""The source registry: every shipped item cites it; what may not be printed is refused with its place."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from inspector.core.records.checklist_review import coverage, review_entries, uncovered_articles
from inspector.core.records.checklists import (
    REGISTRY_FILE, ChecklistFileError, bundled_registry, load_checklist, load_checklists, load_registry,
)
from inspector.paths import bundled_checklists_dir

LIST = """\
id: cite-test
title: 引用测试
sector: general
version: "1.0"
effective: 2026-12-01
sections:
  - title: 管理
    items:
      - id: T-01
        text: 是否对承包单位统一协调、管理
        cite:
          - {source: aqsc-law, article: 第四十九条}
        hazard: 未对承包单位统一协调、管理
        requirement: 统一协调、管理
        deadline_days: 7
"""


def problems(tmp_path: Path, text: str) -> list:
    path = tmp_path / "list.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ChecklistFileError) as caught:
        load_checklist(path)
    return caught.value.problems


@pytest.fixture(scope="module")
def loaded():
    result = load_checklists([bundled_checklists_dir()])
    assert result.problems == []
    return result


def test_every_shipped_item_cites_the_registry(loaded):
    registry = loaded.registry
    items = [item for checklist in loaded.checklists for item in checklist.items]
    assert len(items) >= 240 and len(loaded.checklists) >= 21
    for item in items:
        assert item.cite, item.id
        for cite in item.cite:
            assert registry.citation_problem(cite.source, cite.article) is None, (item.id, cite)
        assert item.basis == "；".join(registry.cite_text(c.source, c.article) for c in item.cite)


def test_no_printed_text_names_a_source_outside_the_registry(loaded):
    printed = [(c.id, i.id, i.basis + i.major_clause + i.hazard + i.requirement + i.text)
               for c in loaded.checklists for i in c.items]
    for words in ("上海", "深圳", "宝安", "湖北", "安徽", "四川", "某省", "原文", "DB", "实例：", "火灾教训", "“6·3”",
                  "68号", "GB 30871—2014", "GB 50484", "GB 9448—1999", "GB 17914"):
        offenders = [(c, i) for c, i, text in printed if words in text]
        assert not offenders, (words, offenders)


def test_unknown_source_is_refused_with_its_place(tmp_path):
    (problem,) = problems(tmp_path, LIST.replace("source: aqsc-law", "source: shanghai-notice"))
    assert problem.file == "list.yaml" and problem.line == 12 and problem.where == "T-01.cite.0"
    assert "未在来源登记表" in problem.message
    assert str(problem).startswith("list.yaml:12 [T-01.cite.0]: ")


def test_superseded_source_is_refused_and_names_its_replacement(tmp_path):
    (problem,) = problems(tmp_path, LIST.replace("{source: aqsc-law, article: 第四十九条}", "{source: gb-30871-2014, article: 5.2.9}"))
    assert "已废止" in problem.message and "gb-30871-2022" in problem.message


def test_missing_or_malformed_article_of_a_law_is_refused(tmp_path):
    (missing,) = problems(tmp_path, LIST.replace("{source: aqsc-law, article: 第四十九条}", "{source: aqsc-law}"))
    assert "必须写条号" in missing.message
    (malformed,) = problems(tmp_path, LIST.replace("第四十九条", "49"))
    assert "格式不对" in malformed.message


def test_placeholders_and_written_basis_are_refused(tmp_path):
    placeholder = problems(tmp_path, LIST.replace("requirement: 统一协调、管理", "requirement: 按某省条例原文整改"))
    assert any(p.where == "T-01.requirement" and "占位" in p.message for p in placeholder)
    written = problems(tmp_path, LIST.replace("        deadline_days: 7", "        deadline_days: 7\n        basis: 地方规定"))
    assert any("不得直接填写" in p.message and p.where == "T-01" for p in written)
    no_cite = problems(tmp_path, LIST.replace("        cite:\n          - {source: aqsc-law, article: 第四十九条}\n", ""))
    assert any("缺少 cite" in p.message for p in no_cite)


def test_pending_article_numbers_are_allowed_only_where_the_registry_says_so(tmp_path):
    text = LIST.replace("{source: aqsc-law, article: 第四十九条}", "{source: mem-13}")
    path = tmp_path / "pending.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_checklist(path).item("T-01").basis == "《工贸企业有限空间作业安全规定》（应急管理部令第13号）"


def test_multi_condition_items_must_name_each_other(tmp_path):
    text = LIST.replace("        hazard:", "        major_rule: {source: mem-10, article: 第十三条（一）, all_of: [T-09]}\n        hazard:")
    assert any("不是本检查表的其他检查项" in p.message for p in problems(tmp_path, text))


def test_broken_registry_is_reported_with_its_line(tmp_path):
    folder = tmp_path / "user"
    folder.mkdir()
    (folder / REGISTRY_FILE).write_text("version: '1'\nsources:\n  local:\n    title: 某规定\n    kind: 传说\n", encoding="utf-8")
    result = load_checklists([bundled_checklists_dir(), folder])
    assert result.checklists and result.registry is not None  # the bundled registry still serves
    assert any(p.file == REGISTRY_FILE and p.line == 5 and "未知类别" in p.message for p in result.problems)


def test_registry_entries_are_complete():
    registry = load_registry(bundled_checklists_dir() / REGISTRY_FILE)
    assert registry == bundled_registry()
    for key, source in registry.sources.items():
        assert source.issuer and source.scope, key
        if source.status == "废止":
            assert registry.sources[source.replaced_by].status == "现行", key
    assert registry.sources["sawsa-68"].status == "废止" and registry.sources["gb-9448-1999"].status == "废止"


def test_every_judging_article_3_to_13_is_reached(loaded):
    rows = coverage(loaded.registry, loaded.checklists)
    assert uncovered_articles(rows) == []
    reached = {row.label for row in rows if row.items}
    for label in ("第三条（一）", "第三条（二）", "第三条（三）", "第十二条（一）", "第十二条（二）",
                  "第十三条（一）", "第十三条（二）", *(f"第十一条（{n}）" for n in "一二三四五六七八九十")):
        assert label in reached, label
    assert {"第四条", "第五条", "第六条", "第七条", "第八条", "第九条", "第十条"} <= {row.article for row in rows if row.items}


def test_coverage_notices_an_unreached_article(loaded):
    without_tobacco = [c for c in loaded.checklists if c.sector != "tobacco"]
    assert "第十条" in uncovered_articles(coverage(loaded.registry, without_tobacco))


def test_review_lists_every_unverified_mark(loaded):
    entries = review_entries(loaded.registry, loaded.checklists)
    marked = {f"{c.id}/{i.id}" for c in loaded.checklists for i in c.items if i.verify and "【记" in i.verify}
    assert marked and marked <= {e.where for e in entries if e.kind == "检查项"}
    assert {"mem-13", "mem-6", "gb-35181-2017"} <= {e.where for e in entries if e.kind == "来源"}
    assert any(e.kind == "条号待补充" and e.where == "confined-space/YX-03" for e in entries)
    assert all(e.why for e in entries)
