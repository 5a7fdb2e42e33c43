"""Getting started, as a new user does it: first-run setup, the start page, the demo, the guide, the toolbar."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from inspector.ui.application import create_application, open_main_window
from tests.ui.walkthrough.person import type_text

LEFT = Qt.MouseButton.LeftButton


def replace_text(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)


def click(qtbot, button) -> None:
    assert button.isEnabled() and button.isVisible(), button.text()
    qtbot.mouseClick(button, LEFT)


def open_window(qtbot, services, offer_first_run=False):
    create_application()
    window = open_main_window(services, offer_first_run=offer_first_run)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.setup.state is not None, timeout=10000)
    return window


@pytest.fixture
def new_window(qtbot, services):
    window = open_window(qtbot, services, offer_first_run=True)
    yield window
    window.tasks.wait()


def answer_next_box(qtbot, button_text: str, seen: list) -> None:
    """When the next message box appears, note its buttons and press the one labelled ``button_text``."""
    def press():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return QTimer.singleShot(20, press)
        seen.append([button.text() for button in box.buttons()])
        wanted = [button for button in box.buttons() if button.text() == button_text]
        qtbot.mouseClick((wanted or box.buttons())[0], LEFT)  # no such button: answer anyway, then fail

    QTimer.singleShot(0, press)


def rows(services, sql: str) -> list:
    connection = sqlite3.connect(services.db.path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_first_run_setup_stores_office_inspectors_and_blocks(qtbot, new_window, services):
    dialog = new_window.setup.first_run
    assert dialog is not None and dialog.isVisible()  # offered at once on a new installation
    replace_text(qtbot, dialog.names["office"], "经开区安监办")
    qtbot.keyClick(dialog.family, Qt.Key.Key_Down)  # 本机签发：县局执法文书
    for name, cert in (("王伟", "36070001"), ("李芳", "36070002")):
        type_text(qtbot, dialog.inspector_name, name)
        qtbot.keyClick(dialog.inspector_name, Qt.Key.Key_Return)  # Enter moves on to 执法证号
        type_text(qtbot, dialog.inspector_cert, cert)
        qtbot.keyClick(dialog.inspector_cert, Qt.Key.Key_Return)  # Enter adds the inspector, not the dialog
    assert dialog.isVisible() and dialog.inspector_list.count() == 2
    _, first, last = dialog.block_rows["order"]
    replace_text(qtbot, first.lineEdit(), "51")
    replace_text(qtbot, last.lineEdit(), "100")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert sorted(rows(services, "SELECT name, certificate_no FROM inspector")) == [("李芳", "36070002"),
                                                                                    ("王伟", "36070001")]
    assert rows(services, "SELECT kind, first, last FROM number_block") == [("order", 51, 100)]
    settings = services.settings
    assert settings.get("document_overrides")["park"]["office"] == "经开区安监办"
    assert settings.get("template_family") == "enforcement" and settings.get("first_run_done") is True


def test_a_bad_block_keeps_everything_typed(qtbot, new_window, services):
    dialog = new_window.setup.first_run
    type_text(qtbot, dialog.inspector_name, "王伟")
    qtbot.keyClick(dialog.inspector_name, Qt.Key.Key_Return)
    _, first, last = dialog.block_rows["park"]
    replace_text(qtbot, first.lineEdit(), "80")
    replace_text(qtbot, last.lineEdit(), "20")
    click(qtbot, dialog.save_button)
    assert dialog.isVisible() and "80–20" in dialog.message.text()
    assert rows(services, "SELECT count(*) FROM number_block") == [(0,)]
    replace_text(qtbot, last.lineEdit(), "120")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert rows(services, "SELECT name FROM inspector") == [("王伟",)]  # added once, not twice
    assert rows(services, "SELECT kind, first, last FROM number_block") == [("park", 80, 120)]


def test_skipped_setup_is_not_offered_again_and_reopens_from_help(qtbot, services):
    window = open_window(qtbot, services, offer_first_run=True)
    click(qtbot, window.setup.first_run.skip_button)
    assert services.settings.get("first_run_done") is True
    window.close()
    again = open_window(qtbot, services, offer_first_run=True)
    assert again.setup.first_run is None
    again.setup.setup_action.trigger()  # 帮助 → 首次设置
    assert again.setup.first_run.isVisible()
    again.tasks.wait()


def test_the_empty_start_page_offers_the_next_actions(qtbot, new_window):
    click(qtbot, new_window.setup.first_run.skip_button)
    page = new_window.setup.start_page
    assert page.isVisible() and page.geometry() == page.parentWidget().rect()
    assert page.title.text() == "欢迎使用。本机还没有任何记录。"
    texts = {key: button.text() for key, button in page.buttons.items()}
    assert texts["register"].startswith("登记企业") and texts["import"].startswith("导入企业名单")
    assert texts["inspect"].startswith("新建检查") and texts["demo"].startswith("载入演示数据")
    click(qtbot, page.buttons["register"])
    enterprises = new_window.records.enterprises
    assert new_window.tabs.currentWidget() is enterprises and enterprises.dialog.isVisible()


def test_load_demo_from_the_start_page_fills_every_card(qtbot, new_window, services):
    click(qtbot, new_window.setup.first_run.skip_button)
    page = new_window.setup.start_page
    seen: list = []
    answer_next_box(qtbot, "载入", seen)
    with qtbot.waitSignal(new_window.setup.demo_loaded, timeout=60000):
        click(qtbot, page.buttons["demo"])
    assert seen == [["载入", "取消"]]  # a verb, not 是/否
    dashboard = new_window.closed_loop.dashboard
    qtbot.waitUntil(lambda: not page.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: dashboard.board is not None and all(dashboard.board.counts.values()), timeout=10000)
    assert new_window.tabs.currentWidget() is dashboard
    assert rows(services, "SELECT count(*) FROM notice")[0][0] == 5


def test_declining_the_demo_adds_nothing(qtbot, new_window, services):
    click(qtbot, new_window.setup.first_run.skip_button)
    answer_next_box(qtbot, "取消", [])
    click(qtbot, new_window.setup.start_page.buttons["demo"])
    assert rows(services, "SELECT count(*) FROM enterprise") == [(0,)]


def test_f1_shows_the_chinese_guide_inside_the_app(qtbot, new_window):
    click(qtbot, new_window.setup.first_run.skip_button)
    new_window.activateWindow()
    qtbot.waitUntil(new_window.isActiveWindow)
    qtbot.keyClick(new_window, Qt.Key.Key_F1)
    guide = new_window.setup.guide
    assert guide is not None and guide.isVisible() and guide.windowTitle() == "使用说明"
    text = guide.browser.toPlainText()
    assert "新建检查" in text and "号段" in text and "销号" in text
    qtbot.keyClick(guide.browser, Qt.Key.Key_Escape)
    assert not guide.isVisible()


def test_the_toolbar_starts_the_main_actions(qtbot, new_window):
    click(qtbot, new_window.setup.first_run.skip_button)
    bar = new_window.setup.toolbar
    texts = [action.text() for action in bar.actions()]
    assert texts[:3] == ["新建检查", "登记企业", "导入企业名单"] and "导出数据" in texts
    qtbot.mouseClick(bar.widgetForAction(new_window.setup.toolbar_actions["inspect"]), LEFT)
    assert new_window.records.dialog.isVisible()


def test_an_existing_office_gets_no_start_page_and_no_setup(qtbot, demo_services):
    window = open_window(qtbot, demo_services, offer_first_run=True)
    assert not window.setup.start_page.isVisible() and window.setup.first_run is None
    window.tasks.wait()


def test_the_start_page_goes_once_an_enterprise_is_registered(qtbot, new_window):
    click(qtbot, new_window.setup.first_run.skip_button)
    click(qtbot, new_window.setup.start_page.buttons["register"])
    dialog = new_window.records.enterprises.dialog
    type_text(qtbot, dialog.fields["name"], "兴国县赣南冷链物流有限公司")
    with qtbot.waitSignal(dialog.enterprise_saved):
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Save))
    bar = new_window.tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(0).center())  # back to 今日待办
    assert new_window.tabs.currentIndex() == 0
    qtbot.waitUntil(lambda: not new_window.setup.start_page.isVisible(), timeout=5000)


def test_a_block_typed_after_a_click_into_not_set(qtbot, new_window, services):
    """A person clicks into 起号 (showing 未设置) and types the number: the digits replace 未设置."""
    dialog = new_window.setup.first_run
    type_text(qtbot, dialog.inspector_name, "王伟")
    qtbot.keyClick(dialog.inspector_name, Qt.Key.Key_Return)
    _, first, last = dialog.block_rows["park"]
    qtbot.mouseClick(first.lineEdit(), LEFT)
    type_text(qtbot, first, "51")  # keys go to the focused box, as a person's do
    qtbot.mouseClick(last.lineEdit(), LEFT)
    type_text(qtbot, last, "100")
    assert (first.text(), last.text()) == ("51", "100")
    qtbot.keyClick(first, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(first, Qt.Key.Key_Backspace)  # emptied: back to 未设置, not a stray 0
    assert first.value() == 0 and first.text() == first.specialValueText()
    qtbot.mouseClick(first.lineEdit(), LEFT)
    type_text(qtbot, first, "51")  # keys go to the focused box, as a person's do
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert rows(services, "SELECT kind, first, last FROM number_block") == [("park", 51, 100)]
