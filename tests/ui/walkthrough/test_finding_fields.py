"""The finding editor as a person uses it: every field round-trips, the editor follows the selection,
the wheel changes nothing it is not meant to, and closing a tab or quitting never loses an edit."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from inspector.core.records import credit_code
from tests.ui.walkthrough.person import (  # noqa: F401 - window is a fixture
    CTRL,
    click,
    close_tab_button,
    editable_widgets,
    one,
    photo,
    quit_window,
    reopen_inspection,
    register_enterprise,
    retype,
    start_inspection,
    type_text,
    wait_photos,
    window,
)

#: Every editable field of the finding editor: how a person enters it, what they enter, where it is stored.
#: A field added to the editor without a row here fails ``test_the_table_covers_every_field``.
FINDING_FIELDS = {
    "description": ("type", "氨气报警器未与事故排风机联动", "finding", "description", "氨气报警器未与事故排风机联动"),
    "location": ("type", "一号氨机房东侧", "finding", "location", "一号氨机房东侧"),
    "level": ("key_up", None, "finding", "level", "general"),  # LK-03 is pre-filled as a major hazard
    "major_clause": ("type", "第三条（二）", "finding", "major_clause", "第三条（二）"),
    "requirement": ("type", "立即停用，加装联锁后复查", "finding", "requirement", "立即停用，加装联锁后复查"),
    "deadline": ("type", "2027-03-01", "finding", "deadline", "2027-03-01"),
    "responsible_person": ("type", "刘建华", "finding", "responsible_person", "刘建华"),
    "basis": ("type", "《冷库设计标准》GB 50072-2021 第 6.5.4 条", "finding", "basis",
              "《冷库设计标准》GB 50072-2021 第 6.5.4 条"),
    "caption": ("type", "报警器探头位置", "photo", "caption", "报警器探头位置"),
}


def editor_widgets(editor) -> dict:
    return {**editor.fields, "caption": editor.photos.caption}


def shown_value(widget):
    for getter in ("toPlainText", "currentData", "text"):
        if hasattr(widget, getter):
            value = getattr(widget, getter)()
            return value
    raise AssertionError(widget)


def stored(window, table: str, column: str, finding_id: str):
    key = "id" if table == "finding" else "finding_id"
    return one(window.services.paths.database, f"SELECT {column} FROM {table} WHERE {key} = ? AND deleted_at IS NULL",
               finding_id)


def first_hazard(qtbot, window, tmp_path, seed: int, with_photo: bool = False):
    """An enterprise, an inspection, LK-03 answered 不合格 by key 2 (optionally with a photo)."""
    register_enterprise(qtbot, window, "兴国县赣南冷链物流有限公司", credit_code.generate(random.Random(seed)))
    walk = start_inspection(qtbot, window, "gnll")
    walk.table.setFocus()
    qtbot.keyClick(walk.table, Qt.Key.Key_2)
    assert walk.model.rows[0].item.item.id == "LK-03" and walk.model.rows[0].finding.level == "major"
    if with_photo:
        strip = walk.editor.photos
        strip.choose_files = lambda: [str(photo(tmp_path / "lk03.jpg", "red"))]  # stands in for the file dialog
        click(qtbot, strip.buttons["add"])
        wait_photos(qtbot, strip, 1)
    return walk


def test_the_table_covers_every_field(qtbot, window, tmp_path):
    walk = first_hazard(qtbot, window, tmp_path, 21, with_photo=True)
    names = {id(widget): name for name, widget in editor_widgets(walk.editor).items()}
    found = sorted(names.get(id(widget), f"unnamed {type(widget).__name__}") for widget in editable_widgets(walk.editor))
    assert found == sorted(FINDING_FIELDS)


@pytest.mark.parametrize("move_on", ["tab", "click"])
@pytest.mark.parametrize("name", list(FINDING_FIELDS))
def test_every_finding_field_round_trips(qtbot, window, tmp_path, name, move_on):
    how, text, table, column, expected = FINDING_FIELDS[name]
    walk = first_hazard(qtbot, window, tmp_path, 22, with_photo=name == "caption")
    finding_id = walk.model.rows[0].finding.id
    widget = editor_widgets(walk.editor)[name]
    if how == "type":
        retype(qtbot, widget, text)
    else:
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_Up)
    if move_on == "tab":
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    else:  # a click on the item's own row in the list
        rect = walk.table.visualRect(walk.model.index(0, 1))
        qtbot.mouseClick(walk.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert walk.table.hasFocus()
    assert stored(window, table, column, finding_id) == expected  # saved on leaving the field, no waiting
    assert "未保存" not in walk.saved.text()

    click(qtbot, close_tab_button(window.tabs, walk))
    assert window.records.current_walkthrough() is None
    assert stored(window, table, column, finding_id) == expected
    walk = reopen_inspection(qtbot, window, walk.inspection_id)
    walk.table.setFocus()
    qtbot.keyClick(walk.table, Qt.Key.Key_K)  # resumed at the first unanswered item: back to LK-03
    assert walk.current_row() == 0
    assert shown_value(editor_widgets(walk.editor)[name]) == expected


def test_the_editor_follows_the_selected_item(qtbot, window, tmp_path):
    walk = first_hazard(qtbot, window, tmp_path, 23)
    editor, table = walk.editor, walk.table
    first_id = walk.model.rows[0].finding.id
    retype(qtbot, editor.fields["responsible_person"], "刘建华")
    qtbot.keyClick(editor.fields["responsible_person"], Qt.Key.Key_Escape)  # back to the list, unsaved edit
    assert table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_J)
    assert stored(window, "finding", "responsible_person", first_id) == "刘建华"
    qtbot.keyClick(table, Qt.Key.Key_2)  # LK-01 不合格
    second = walk.model.rows[1]
    assert walk.current_row() == 1 and second.finding.result == "fail"
    assert editor.finding.id == second.finding.id and "LK-01" in editor.title.text()
    assert editor.fields["description"].toPlainText() == second.item.item.hazard
    assert editor.fields["responsible_person"].text() == ""
    retype(qtbot, editor.fields["responsible_person"], "王强")
    qtbot.keyClick(editor.fields["responsible_person"], Qt.Key.Key_Tab)
    assert stored(window, "finding", "responsible_person", second.finding.id) == "王强"
    assert stored(window, "finding", "responsible_person", first_id) == "刘建华"
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_K)
    assert "LK-03" in editor.title.text() and editor.fields["responsible_person"].text() == "刘建华"


def test_the_wheel_over_an_unfocused_field_changes_nothing(qtbot, window, tmp_path):
    from tests.ui.walkthrough.person import wheel

    walk = first_hazard(qtbot, window, tmp_path, 24)
    editor = walk.editor
    finding_id = walk.model.rows[0].finding.id
    retype(qtbot, editor.fields["deadline"], "2027-03-01")
    qtbot.keyClick(editor.fields["deadline"], Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: stored(window, "finding", "deadline", finding_id) == "2027-03-01", timeout=3000)
    walk.table.setFocus()
    for name in ("deadline", "level"):
        wheel(editor.fields[name], 5)
        wheel(editor.fields[name], -2)
    qtbot.wait(700)  # longer than the autosave delay
    assert editor.fields["deadline"].date().toString("yyyy-MM-dd") == "2027-03-01"
    assert editor.fields["level"].currentData() == "major"
    assert stored(window, "finding", "deadline", finding_id) == "2027-03-01"
    assert stored(window, "finding", "level", finding_id) == "major"
    assert walk.table.hasFocus()


def test_ctrl_a_and_typing_replaces_a_date(qtbot, window, tmp_path):
    walk = first_hazard(qtbot, window, tmp_path, 25)
    deadline = walk.editor.fields["deadline"]
    finding_id = walk.model.rows[0].finding.id
    for typed, expected in (("20280315", "2028-03-15"), ("2027/12/31", "2027-12-31")):
        retype(qtbot, deadline, typed)
        qtbot.keyClick(deadline, Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda expected=expected: stored(window, "finding", "deadline", finding_id) == expected,
                        timeout=3000)
        assert deadline.date().toString("yyyy-MM-dd") == expected
    deadline.setFocus()
    qtbot.keyClick(deadline, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(deadline, Qt.Key.Key_Delete)  # no deadline: shown as not set, stored as NULL
    qtbot.keyClick(deadline, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: stored(window, "finding", "deadline", finding_id) is None, timeout=3000)
    assert deadline.text() == "未设定"
    retype(qtbot, deadline, "2027-03-01")  # and typed again over "未设定"
    qtbot.keyClick(deadline, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: stored(window, "finding", "deadline", finding_id) == "2027-03-01", timeout=3000)


def test_closing_the_tab_keeps_an_unsaved_edit(qtbot, window, tmp_path):
    walk = first_hazard(qtbot, window, tmp_path, 26)
    finding_id = walk.model.rows[0].finding.id
    retype(qtbot, walk.editor.fields["responsible_person"], "刘建华")
    retype(qtbot, walk.editor.fields["requirement"], "加装联锁")
    assert "未保存" in walk.saved.text()
    click(qtbot, close_tab_button(window.tabs, walk))
    assert window.records.current_walkthrough() is None
    assert stored(window, "finding", "responsible_person", finding_id) == "刘建华"
    assert stored(window, "finding", "requirement", finding_id) == "加装联锁"


def test_quitting_keeps_an_unsaved_edit(qtbot, window, tmp_path):
    walk = first_hazard(qtbot, window, tmp_path, 27)
    finding_id = walk.model.rows[0].finding.id
    retype(qtbot, walk.editor.fields["deadline"], "2027-03-01")
    retype(qtbot, walk.editor.fields["responsible_person"], "刘建华")
    assert "未保存" in walk.saved.text()
    quit_window(qtbot, window, walk.editor.fields["responsible_person"])
    qtbot.waitUntil(lambda: not window.isVisible())
    assert stored(window, "finding", "responsible_person", finding_id) == "刘建华"
    assert stored(window, "finding", "deadline", finding_id) == "2027-03-01"


def test_an_edit_that_cannot_be_saved_stops_quitting_and_closing(qtbot, window, tmp_path):
    walk = first_hazard(qtbot, window, tmp_path, 28)
    finding_id = walk.model.rows[0].finding.id
    description = walk.editor.fields["description"]
    QGuiApplication.clipboard().setText("长" * 4001)  # longer than a description may be
    description.setFocus()
    qtbot.keyClick(description, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(description, Qt.Key.Key_V, CTRL)
    qtbot.keyClick(description, Qt.Key.Key_Escape)  # back to the list: J is refused while the edit is not stored
    qtbot.keyClick(walk.table, Qt.Key.Key_J)
    assert walk.current_row() == 0 and "LK-03" in walk.editor.title.text()
    assert "隐患描述内容过长" in walk.saved.text() and description.toPlainText() == "长" * 4001
    quit_window(qtbot, window, description)
    question = window.records.unsaved_question
    assert window.isVisible() and question.isVisible() and "隐患描述内容过长" in question.text()
    click(qtbot, question.button(QMessageBox.StandardButton.Cancel))  # 继续编辑
    assert window.isVisible() and description.toPlainText() == "长" * 4001
    click(qtbot, close_tab_button(window.tabs, walk))
    question = window.records.unsaved_question
    assert question.isVisible() and window.records.current_walkthrough() is walk
    click(qtbot, question.button(QMessageBox.StandardButton.Cancel))
    retype(qtbot, description, "门口堆放纸箱")  # shortened: now it saves and the tab closes
    click(qtbot, close_tab_button(window.tabs, walk))
    assert window.records.current_walkthrough() is None
    assert stored(window, "finding", "description", finding_id) == "门口堆放纸箱"


def test_stale_completion_problems_go_away(qtbot, window, tmp_path):
    register_enterprise(qtbot, window, "兴国冷藏有限公司", credit_code.generate(random.Random(29)))
    walk = start_inspection(qtbot, window, "兴国冷藏")
    table = walk.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_1)  # LK-03 合格
    qtbot.keyClick(table, Qt.Key.Key_2)  # LK-01 不合格: a photo is required
    qtbot.keyClick(table, Qt.Key.Key_J)
    for _ in range(len(walk.model.rows) - 2):
        qtbot.keyClick(table, Qt.Key.Key_1)
    click(qtbot, walk.buttons["complete"])
    assert walk.problems.isVisible() and "须附现场照片" in walk.problems.text()
    table.setFocus()
    while walk.current_row() != 1:
        qtbot.keyClick(table, Qt.Key.Key_K)
    strip = walk.editor.photos
    strip.choose_files = lambda: [str(photo(tmp_path / "lk01.jpg", "navy"))]  # stands in for the file dialog
    click(qtbot, strip.buttons["add"])
    wait_photos(qtbot, strip, 1)
    assert not walk.problems.isVisible()
