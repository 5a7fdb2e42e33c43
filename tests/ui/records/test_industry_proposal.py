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
