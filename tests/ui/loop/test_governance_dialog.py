"""治理信息 typed into the dialog like a person (keys, an input method, clicks), then read from the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from inspector.core.loop.governance import load_governance
from inspector.ui.application import create_application
from inspector.ui.loop.governance_dialog import GovernanceDialog
from inspector.ui.tasks import TaskRunner
from tests.loop_helpers import make_site
from tests.ui.walkthrough.test_walkthrough import click, type_text


@pytest.fixture
def site(services):
    create_application()
    return make_site(services.db, hazards=2, levels=("general", "major"))


def open_dialog(qtbot, services, finding_id: str) -> GovernanceDialog:
    tasks = TaskRunner()
    dialog = GovernanceDialog(services, tasks, finding_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10000)
    return dialog


def test_every_field_typed_is_stored(qtbot, services, site):
    dialog = open_dialog(qtbot, services, site.finding_ids[1])
    typed = {"interim_measures": "停止使用除尘系统", "governance_plan": "更换泄爆片", "governance_funds": "3.5万元",
             "responsible_person": "钟国平", "responsible_phone": "13907970001", "supervision": "县级挂牌督办",
             "enforcement": "已立案", "remarks": "企业已承诺"}
    assert set(typed) == set(dialog.editors)  # a new field without a line here fails
    for name, text in typed.items():
        type_text(qtbot, dialog.editors[name], text)
        qtbot.keyClick(dialog.editors[name], Qt.Key.Key_Tab)
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        click(qtbot, dialog.save_button)
    stored = load_governance(services.db, site.finding_ids[1])
    assert {name: getattr(stored, name) for name in typed} == typed
    reopened = open_dialog(qtbot, services, site.finding_ids[1])
    assert reopened.editors["governance_funds"].text() == "3.5万元"
    assert reopened.editors["interim_measures"].toPlainText() == "停止使用除尘系统"


def test_a_refusal_is_shown_and_nothing_is_lost(qtbot, services, site):
    dialog = open_dialog(qtbot, services, site.finding_ids[1])  # major: a plan needs interim measures first
    type_text(qtbot, dialog.editors["governance_plan"], "更换泄爆片")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: "临时管控措施" in dialog.message.text(), timeout=10000)
    assert dialog.isVisible() and dialog.editors["governance_plan"].toPlainText() == "更换泄爆片"
    assert load_governance(services.db, site.finding_ids[1]).governance_plan == ""


def test_the_hazard_window_opens_it_with_a_click(qtbot, services, site):
    from inspector.ui.loop.hazard_view import HazardView

    view = HazardView(services, TaskRunner())
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.detail_loaded, timeout=10000):
        view.show_hazard(site.finding_ids[0])
    click(qtbot, view.governance_button)
    dialog = view.governance_dialog
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10000)
    type_text(qtbot, dialog.editors["remarks"], "企业已承诺月底前完成")
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        click(qtbot, dialog.save_button)
    assert load_governance(services.db, site.finding_ids[0]).remarks == "企业已承诺月底前完成"
