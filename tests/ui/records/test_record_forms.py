"""The record dialogs as a person uses them: enterprise, inspector entry, new inspection.

Every editable field round-trips (type, move on, save, reopen, see it); a field added to a form
without a row in its table fails ``test_the_tables_cover_every_field``.
"""

from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest
from PySide6.QtCore import Qt

from inspector.core.records import credit_code
from tests.ui.walkthrough.person import (  # noqa: F401 - window is a fixture
    CHINA,
    activated,
    click,
    editable_widgets,
    one,
    open_tab,
    query,
    register_enterprise,
    retype,
    start_inspection,
    type_text,
    wheel,
    window,
)

CODE = credit_code.generate(random.Random(41))
OTHER_CODE = credit_code.generate(random.Random(42))

#: Enterprise dialog: field -> (typed when registering, typed when editing); stored in enterprise.<field>.
ENTERPRISE_FIELDS = {
    "name": ("兴国县赣南冷链物流有限公司", "兴国县赣南冷链物流股份有限公司"),
    "credit_code": (CODE, OTHER_CODE),
    "address": ("兴国经济技术开发区平川大道8号", "兴国经济技术开发区鼎龙路3号"),
    "industry": ("冷库/涉氨制冷", "粉尘涉爆"),
    "legal_representative": ("钟国华", "钟卫东"),
    "contact_phone": ("0797-5321234", "13907971234"),
    "liaison": ("曾庆林", "谢小红"),
}

#: New-inspection dialog: field -> what is typed and how to find it again after reopening.
NEW_INSPECTION_FIELDS = {
    "enterprise_search": "gnll",  # filters the list; not stored
    "new_inspector_name": "王伟",
    "new_inspector_cert": "36070001",
    "place": "氨制冷机房",
    "started": "202612010830",  # Ctrl+A and digits: 2026-12-01 08:30 China time
}


def enterprise_widgets(dialog) -> dict:
    return {**dialog.fields, "industry": dialog.industry}


def new_inspection_widgets(dialog) -> dict:
    return {name: getattr(dialog, name) for name in NEW_INSPECTION_FIELDS}


def shown(widget) -> str:
    return widget.currentText() if hasattr(widget, "currentText") else widget.text()


def open_register_dialog(qtbot, window):
    view = window.records.enterprises
    open_tab(qtbot, window.tabs, view)
    click(qtbot, view.buttons["register"])
    return view.dialog


def save(qtbot, dialog):
    with qtbot.waitSignal(dialog.enterprise_saved, timeout=3000):
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Save))


def open_edit_dialog(qtbot, window, name: str):
    view = window.records.enterprises
    rows = lambda: [r for r in range(view.proxy.rowCount()) if view.proxy.index(r, 0).data() == name]  # noqa: E731
    qtbot.waitUntil(lambda: bool(rows()))  # the list reloads in the background after a save
    row = rows()[0]
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.table.visualRect(view.proxy.index(row, 0)).center())
    click(qtbot, view.buttons["edit"])
    return view.dialog


def test_the_tables_cover_every_field(qtbot, window):
    dialog = open_register_dialog(qtbot, window)
    names = {id(w): n for n, w in enterprise_widgets(dialog).items()}
    assert sorted(names.get(id(w), type(w).__name__) for w in editable_widgets(dialog)) == sorted(ENTERPRISE_FIELDS)
    dialog.reject()
    register_enterprise(qtbot, window, "任一企业", "")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.records.dialog
    names = {id(w): n for n, w in new_inspection_widgets(dialog).items()}
    assert sorted(names.get(id(w), type(w).__name__) for w in editable_widgets(dialog)) == sorted(NEW_INSPECTION_FIELDS)


@pytest.mark.parametrize("name", list(ENTERPRISE_FIELDS))
def test_every_enterprise_field_round_trips(qtbot, window, name):
    first, second = ENTERPRISE_FIELDS[name]
    database = window.services.paths.database
    dialog = open_register_dialog(qtbot, window)
    if name != "name":
        type_text(qtbot, dialog.fields["name"], "兴国县赣南冷链物流有限公司")
        qtbot.keyClick(dialog.fields["name"], Qt.Key.Key_Tab)
    widget = enterprise_widgets(dialog)[name]
    retype(qtbot, widget, first)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)  # move on
    save(qtbot, dialog)
    assert one(database, f"SELECT {name} FROM enterprise") == first

    enterprise_name = one(database, "SELECT name FROM enterprise")
    dialog = open_edit_dialog(qtbot, window, enterprise_name)
    widget = enterprise_widgets(dialog)[name]
    assert shown(widget) == first
    retype(qtbot, widget, second)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    save(qtbot, dialog)
    assert one(database, f"SELECT {name} FROM enterprise") == second
    dialog = open_edit_dialog(qtbot, window, one(database, "SELECT name FROM enterprise"))
    assert shown(enterprise_widgets(dialog)[name]) == second


def test_the_credit_code_is_checked_while_typing_and_old_errors_go(qtbot, window):
    dialog = open_register_dialog(qtbot, window)
    type_text(qtbot, dialog.fields["name"], "兴国县赣南冷链物流有限公司")
    code = dialog.fields["credit_code"]
    type_text(qtbot, code, CODE[:16])
    assert dialog.code_hint.isVisible() and "16" in dialog.code_hint.text()  # before any save
    qtbot.keyClick(code, Qt.Key.Key_Tab)
    assert "应为 18 位" in dialog.code_hint.text()
    wrong = next(c for c in "0123456789" if c != CODE[17])
    type_text(qtbot, code, CODE[16] + wrong)
    assert "校验位错误" in dialog.code_hint.text()
    click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Save))
    assert dialog.isVisible() and "校验位" in dialog.error.text()
    assert query(window.services.paths.database, "SELECT * FROM enterprise") == []
    code.setFocus()
    qtbot.keyClick(code, Qt.Key.Key_End)
    qtbot.keyClick(code, Qt.Key.Key_Backspace)
    type_text(qtbot, code, CODE[17])
    assert not dialog.code_hint.isVisible() and dialog.error.text() == ""  # no stale message
    save(qtbot, dialog)
    assert one(window.services.paths.database, "SELECT credit_code FROM enterprise") == CODE


def test_the_credit_code_column_is_not_cut(qtbot, window):
    register_enterprise(qtbot, window, "兴国县赣南冷链物流有限公司", CODE)
    table = window.records.enterprises.table
    needed = table.fontMetrics().horizontalAdvance(CODE)
    assert table.columnWidth(1) >= needed + 12
    assert table.model().index(0, 1).data() == CODE


def test_enter_in_the_certificate_number_adds_the_inspector(qtbot, window):
    register_enterprise(qtbot, window, "兴国县赣南冷链物流有限公司", CODE)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = activated(qtbot, window.records.dialog)
    type_text(qtbot, dialog.new_inspector_name, "王伟")
    qtbot.keyClick(dialog.new_inspector_name, Qt.Key.Key_Tab)
    assert dialog.new_inspector_cert.hasFocus()
    type_text(qtbot, dialog.new_inspector_cert, "36070001")
    qtbot.keyClick(dialog.new_inspector_cert, Qt.Key.Key_Return)
    assert dialog.isVisible()  # not submitted
    assert query(window.services.paths.database, "SELECT name, certificate_no FROM inspector") == [("王伟", "36070001")]
    assert query(window.services.paths.database, "SELECT * FROM inspection") == []
    assert dialog.new_inspector_name.hasFocus() and dialog.new_inspector_cert.text() == ""  # ready for the next one
    type_text(qtbot, dialog.new_inspector_name, "李芳")
    qtbot.keyClick(dialog.new_inspector_name, Qt.Key.Key_Return)  # Enter in the name field too
    assert dialog.isVisible()
    assert [p.name for p in dialog.inspector_model.checked_rows()] == ["王伟", "李芳"]


@pytest.mark.parametrize("name", list(NEW_INSPECTION_FIELDS))
def test_every_new_inspection_field_round_trips(qtbot, window, name):
    database = window.services.paths.database
    register_enterprise(qtbot, window, "兴国县赣南冷链物流有限公司", CODE)
    register_enterprise(qtbot, window, "潋江食品有限公司", OTHER_CODE, sector="粉尘涉爆")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.records.dialog
    for person, cert in (("赵敏", "36070011"), ("钱进", "36070012")):
        type_text(qtbot, dialog.new_inspector_name, person)
        type_text(qtbot, dialog.new_inspector_cert, cert)
        qtbot.keyClick(dialog.new_inspector_cert, Qt.Key.Key_Return)
    widget = new_inspection_widgets(dialog)[name]
    retype(qtbot, widget, NEW_INSPECTION_FIELDS[name])
    qtbot.keyClick(widget, Qt.Key.Key_Return if name.startswith("new_inspector") else Qt.Key.Key_Tab)
    if name == "new_inspector_name":  # a name alone is enough; the number may follow later
        assert one(database, "SELECT certificate_no FROM inspector WHERE name = '王伟'") == ""
    if name == "new_inspector_cert":
        assert dialog.error.text() and "姓名" in dialog.error.text()  # a number without a name is refused
        assert query(database, "SELECT * FROM inspector WHERE certificate_no = '36070001'") == []
        return
    if name != "enterprise_search":
        type_text(qtbot, dialog.enterprise_search, "gnll")
    with qtbot.waitSignal(dialog.inspection_started, timeout=3000):
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Ok))
    enterprise, place, started, team = one(
        database, "SELECT e.name, i.place, i.started_at, i.inspector_ids FROM inspection i JOIN enterprise e "
                  "ON e.id = i.enterprise_id")
    walk = window.records.current_walkthrough()
    if name == "enterprise_search":
        assert enterprise == "兴国县赣南冷链物流有限公司" and enterprise in walk.header.text()
    elif name == "new_inspector_name":
        assert team.count('"') == 6 and "王伟" in walk.header.text()
    elif name == "place":
        assert place == "氨制冷机房" and "氨制冷机房" in walk.header.text()
    else:
        stamp = datetime.fromisoformat(started.replace(" ", "T"))
        stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
        assert stamp.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") == "2026-12-01 08:30"
        assert "2026-12-01 08:30" in walk.header.text()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # the team is remembered
    dialog = window.records.dialog
    assert {p.name for p in dialog.inspector_model.checked_rows()} >= {"赵敏", "钱进"}


def test_the_wheel_leaves_the_start_time_and_sector_alone(qtbot, window):
    register_enterprise(qtbot, window, "兴国县赣南冷链物流有限公司", CODE)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.records.dialog
    dialog.place.setFocus()
    before = dialog.started.dateTime()
    wheel(dialog.started, 4)
    assert dialog.started.dateTime() == before
    dialog.reject()
    dialog = open_register_dialog(qtbot, window)
    dialog.fields["name"].setFocus()
    wheel(dialog.industry, -3)
    assert dialog.industry.currentText() == ""


def test_ctrl_n_with_no_enterprise_offers_to_register_one(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.records.dialog
    assert dialog.register_button.isVisible() and "登记企业" in dialog.register_button.text()
    assert dialog.empty_hint.isVisible()
    click(qtbot, dialog.register_button)
    form = dialog.enterprise_dialog
    type_text(qtbot, form.fields["name"], "兴国县赣南冷链物流有限公司")
    retype(qtbot, form.industry, "冷库/涉氨制冷")
    save(qtbot, form)
    assert one(window.services.paths.database, "SELECT name FROM enterprise") == "兴国县赣南冷链物流有限公司"
    assert dialog.isVisible() and dialog.selected_enterprise().name == "兴国县赣南冷链物流有限公司"
    assert not dialog.empty_hint.isVisible()
    assert [c.id for c in dialog.checklist_model.checked_rows()] == ["cold-storage"]
    qtbot.waitUntil(lambda: window.records.enterprises.model.rowCount() == 1)  # the enterprises tab knows it too


def test_esc_closes_the_dialogs_one_at_a_time(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = activated(qtbot, window.records.dialog)
    click(qtbot, dialog.register_button)
    form = activated(qtbot, dialog.enterprise_dialog)
    qtbot.keyClick(form.fields["name"], Qt.Key.Key_Escape)
    assert not form.isVisible() and dialog.isVisible()
    activated(qtbot, dialog)
    qtbot.keyClick(dialog.place, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert query(window.services.paths.database, "SELECT * FROM enterprise") == []


def test_the_enterprise_form_is_filled_by_tab_alone(qtbot, window):
    """Type each field in the order the form shows them, moving on with Tab only, then Enter."""
    from PySide6.QtWidgets import QApplication

    dialog = activated(qtbot, open_register_dialog(qtbot, window))
    for name in ("name", "credit_code", "address", "industry", "legal_representative", "contact_phone", "liaison"):
        focused = QApplication.focusWidget()
        type_text(qtbot, focused, ENTERPRISE_FIELDS[name][0])
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    with qtbot.waitSignal(dialog.enterprise_saved, timeout=3000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    columns = ", ".join(ENTERPRISE_FIELDS)
    stored = one(window.services.paths.database, f"SELECT {columns} FROM enterprise")
    assert dict(zip(ENTERPRISE_FIELDS, stored)) == {name: typed for name, (typed, _) in ENTERPRISE_FIELDS.items()}
