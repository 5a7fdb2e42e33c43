"""A new inspection proposes the enterprise's industry list plus its specialty lists (issue 13)."""

from __future__ import annotations

import random

from PySide6.QtCore import Qt

from inspector.core.records import credit_code
from inspector.core.records.industries import suggested_checklists
from tests.ui.walkthrough.test_walkthrough import click, type_text, window  # noqa: F401 - fixture


def test_machinery_enterprise_gets_the_machinery_list_and_its_specialty_lists(qtbot, window, services):  # noqa: F811
    view = window.records.enterprises
    window.tabs.setCurrentWidget(view)
    click(qtbot, view.buttons["register"])
    dialog = view.dialog
    type_text(qtbot, dialog.fields["name"], "兴国县精工机械铸造有限公司")
    type_text(qtbot, dialog.fields["credit_code"], credit_code.generate(random.Random(13)))
    type_text(qtbot, dialog.industry.lineEdit(), "机械铸造")
    with qtbot.waitSignal(dialog.enterprise_saved):
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Save))

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    new = window.records.dialog
    type_text(qtbot, new.enterprise_search, "jgjx")
    qtbot.waitUntil(lambda: new.selected_enterprise() is not None)
    ticked = [c.id for c in new.checklist_model.checked_rows()]
    expected = [c.id for c in suggested_checklists("机械铸造", services.checklists.checklists)]
    assert sorted(ticked) == sorted(expected)
    assert "machinery" in ticked and {"hot-work", "special-work", "general"} <= set(ticked)


def _register(qtbot, window, name: str, industry: str, seed: int) -> None:  # noqa: F811
    view = window.records.enterprises
    window.tabs.setCurrentWidget(view)
    click(qtbot, view.buttons["register"])
    dialog = view.dialog
    type_text(qtbot, dialog.fields["name"], name)
    type_text(qtbot, dialog.fields["credit_code"], credit_code.generate(random.Random(seed)))
    type_text(qtbot, dialog.industry.lineEdit(), industry)
    with qtbot.waitSignal(dialog.enterprise_saved):
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Save))


def _search(qtbot, new, text: str) -> None:
    field = new.enterprise_search
    field.setFocus()
    for _ in range(len(field.text())):
        qtbot.keyClick(field, Qt.Key.Key_Backspace)
    type_text(qtbot, field, text)


def _tick_by_keyboard(qtbot, new, checklist_id: str) -> None:
    row = next(n for n, c in enumerate(new.checklist_model.rows) if c.id == checklist_id)
    view = new.checklists
    view.setFocus()
    view.setCurrentIndex(new.checklist_model.index(row))
    qtbot.keyClick(view, Qt.Key.Key_Space)


def _ticked(new) -> set[str]:
    return {c.id for c in new.checklist_model.checked_rows()}


def test_searching_past_another_enterprise_proposes_the_lists_of_the_one_found(qtbot, window, services):  # noqa: F811
    """Typing the search, the first match is selected on the way: its lists must not stick to the one found."""
    _register(qtbot, window, "兴国县埠头农产品冷链有限公司", "冷链物流（冷库仓储）", 21)
    _register(qtbot, window, "兴国县精工机械铸造有限公司", "机械铸造", 22)
    checklists = services.checklists.checklists
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    new = window.records.dialog
    _search(qtbot, new, "btn")  # the cold store first (a slip, or on the way) ...
    qtbot.waitUntil(lambda: new.selected_enterprise() is not None)
    assert new.selected_enterprise().name == "兴国县埠头农产品冷链有限公司"
    assert _ticked(new) == {c.id for c in suggested_checklists("冷链物流（冷库仓储）", checklists)}
    _search(qtbot, new, "jgjx")  # ... then the foundry the inspector is standing in
    assert new.selected_enterprise().name == "兴国县精工机械铸造有限公司"
    assert _ticked(new) == {c.id for c in suggested_checklists("机械铸造", checklists)}


def test_lists_the_inspector_ticked_stay_when_the_enterprise_changes(qtbot, window, services):  # noqa: F811
    _register(qtbot, window, "兴国县埠头农产品冷链有限公司", "冷链物流（冷库仓储）", 23)
    _register(qtbot, window, "兴国县精工机械铸造有限公司", "机械铸造", 24)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    new = window.records.dialog
    _search(qtbot, new, "btn")
    qtbot.waitUntil(lambda: new.selected_enterprise() is not None)
    assert "dust" not in _ticked(new)
    _tick_by_keyboard(qtbot, new, "dust")  # the person's own choice
    chosen = _ticked(new)
    _search(qtbot, new, "jgjx")
    assert new.selected_enterprise().name == "兴国县精工机械铸造有限公司"
    assert _ticked(new) == chosen
