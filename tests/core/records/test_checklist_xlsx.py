"""Checklists to Excel and back, for legal staff: exact round trip, validated import with located messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector.core.records.checklist_xlsx import HEADERS, SHEET, export_checklists, import_checklists, read_workbook
from inspector.core.records.checklists import ChecklistFileError, load_checklists
from inspector.errors import UserError
from inspector.paths import bundled_checklists_dir


@pytest.fixture(scope="module")
def loaded():
    return load_checklists([bundled_checklists_dir()])


def edit(path: Path, changes: dict[tuple[str, str], str]) -> None:
    """Change cells of the item sheet: {(item id, header): value}."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book[SHEET]
    column = {h: i for i, h in enumerate(HEADERS)}
    for row in sheet.iter_rows(min_row=2):
        for (item_id, header), value in changes.items():
            if row[column["检查项编号"]].value == item_id:
                row[column[header]].value = value
    book.save(path)


def test_export_then_import_gives_the_same_checklists(loaded, tmp_path):
    workbook = tmp_path / "items.xlsx"
    count = export_checklists(loaded.checklists, workbook, registry=loaded.registry)
    assert count == sum(len(c.items) for c in loaded.checklists)
    written = import_checklists(workbook, tmp_path / "user", loaded.registry)
    assert len(written) == len(loaded.checklists)
    again = load_checklists([tmp_path / "user"])
    assert again.problems == []
    assert {c.id: c for c in again.checklists} == {c.id: c for c in loaded.checklists}


def test_an_edit_in_excel_arrives_in_the_checklist(loaded, tmp_path):
    workbook = tmp_path / "items.xlsx"
    export_checklists(loaded.checklists, workbook)
    edit(workbook, {("LK-04", "依据（来源编号 条款，每行一条）"): "gb-50072-2021 7.4.1\naqsc-law 第三十六条",
                    ("LK-04", "整改期限（天）"): 20})
    (cold,) = [c for c in read_workbook(workbook, loaded.registry) if c.id == "cold-storage"]
    item = cold.item("LK-04")
    assert item.deadline_days == 20
    assert item.basis == "GB 50072—2021《冷库设计标准》第7.4.1条；《中华人民共和国安全生产法》第三十六条"


def test_import_names_row_and_field_and_writes_nothing(loaded, tmp_path):
    workbook = tmp_path / "items.xlsx"
    export_checklists(loaded.checklists, workbook)
    edit(workbook, {("LK-04", "依据（来源编号 条款，每行一条）"): "shanghai-rules 第五条",
                    ("DH-01", "需拍照"): "也许", ("FC-01", "重大判定条款"): "第十一条（十一）"})
    with pytest.raises(ChecklistFileError) as caught:
        import_checklists(workbook, tmp_path / "user", loaded.registry)
    by_where = {p.where: p for p in caught.value.problems}
    assert "未在来源登记表" in by_where["LK-04.cite.0"].message and by_where["LK-04.cite.0"].line > 1
    assert by_where["LK-04.cite.0"].file == "items.xlsx"
    assert "DH-01.photo_required" in by_where and "FC-01.major_rule" in by_where
    assert not (tmp_path / "user").exists() or not list((tmp_path / "user").iterdir())


def test_existing_files_need_consent(loaded, tmp_path):
    workbook = tmp_path / "items.xlsx"
    export_checklists(loaded.checklists[:1], workbook)
    with pytest.raises(UserError, match="已存在"):
        export_checklists(loaded.checklists[:1], workbook)
    import_checklists(workbook, tmp_path / "user", loaded.registry)
    with pytest.raises(UserError, match="--overwrite"):
        import_checklists(workbook, tmp_path / "user", loaded.registry)
    assert import_checklists(workbook, tmp_path / "user", loaded.registry, overwrite=True)


def test_not_a_workbook_is_a_clear_error(loaded, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(UserError, match="不是有效的 .xlsx"):
        read_workbook(bad, loaded.registry)
