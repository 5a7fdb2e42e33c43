"""What a person can do the moment the window appears: the first frame defers work (the data load,
the tabs' views, the window fitter, hidden strips), never a menu, shortcut or toolbar button."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from inspector.ui.application import create_application, open_main_window, show_main_window
from tests.ui.walkthrough.person import type_text


def inspection_count(database) -> int:
    connection = sqlite3.connect(database)
    try:
        return connection.execute("SELECT count(*) FROM inspection WHERE deleted_at IS NULL").fetchone()[0]
    finally:
        connection.close()


def open_as_the_app_does(qtbot, services):
    create_application()
    window = open_main_window(services, offer_first_run=True)
    qtbot.addWidget(window)
    show_main_window(window)
    return window


def test_ctrl_n_pressed_as_the_window_appears_starts_an_inspection(qtbot, demo_services):
    before = inspection_count(demo_services.paths.database)
    enterprise = demo_services.db.raw().execute(
        "SELECT id, credit_code FROM enterprise WHERE deleted_at IS NULL AND credit_code IS NOT NULL "
        "ORDER BY name LIMIT 1").fetchone()
    window = open_as_the_app_does(qtbot, demo_services)
    window.activateWindow()  # the window manager's focus: a shortcut goes to the active window
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    assert not window.has_data  # the data is still loading: the key comes before the deferred work is done
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.records.dialog
    assert dialog.isVisible() and dialog.windowTitle() == "新建检查"
    type_text(qtbot, dialog.enterprise_search, enterprise[1])
    qtbot.waitUntil(lambda: dialog.selected_enterprise() is not None
                    and dialog.selected_enterprise().id == enterprise[0], timeout=10000)
    for name, cert in (("王伟", "36070001"), ("李芳", "36070002")):  # two inspectors on site
        type_text(qtbot, dialog.new_inspector_name, name)
        type_text(qtbot, dialog.new_inspector_cert, cert)
        qtbot.mouseClick(dialog.add_inspector_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, dialog.place, "仓库")
    assert dialog.checklist_model.checked_rows()  # proposed from the enterprise's sector
    started = []
    dialog.inspection_started.connect(started.append)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(started) or bool(dialog.error.text()), timeout=10000)
    assert started, dialog.error.text()
    assert inspection_count(demo_services.paths.database) == before + 1
    qtbot.waitUntil(lambda: window.has_data, timeout=20000)
    window.tasks.wait()


def test_the_first_frame_has_every_menu_tab_and_toolbar_button(qtbot, services):
    """The window as it is first painted: nothing appears or moves once the deferred work has run."""
    window = open_as_the_app_does(qtbot, services)
    menus = [action.text() for action in window.menuBar().actions()]
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    toolbar = [action.text() for action in window.setup.toolbar.actions()]
    assert menus == ["文件(&F)", "工具(&T)", "文书(&D)", "闭环(&L)", "同步(&S)", "帮助(&H)"]
    assert tabs == ["今日待办", "检查记录", "检查表", "企业", "文书", "复查", "月度分析"]
    assert window.tabs.currentIndex() == 0 and window.isVisible()
    file_menu = window.menuBar().actions()[0].menu()
    assert file_menu.actions()[0].text().startswith("新建检查") and file_menu.actions()[0].shortcut().toString() == "Ctrl+N"
    qtbot.waitUntil(lambda: window.has_data, timeout=20000)  # after the first frame: the load, the fitter
    assert [action.text() for action in window.menuBar().actions()] == menus
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == tabs
    assert [action.text() for action in window.setup.toolbar.actions()] == toolbar
    assert window.sync.banner_bar.isHidden()  # nothing to export in a new data folder
    window.tasks.wait()


def test_the_tab_bar_takes_the_focus_once_the_window_is_up(qtbot, services):
    """Until the first frame no widget takes focus (a focus change passing a Python filter costs 47 M
    instructions); then the tab bar takes it as Qt gives it on activation, so → moves to the next tab."""
    from PySide6.QtWidgets import QApplication

    window = open_as_the_app_does(qtbot, services)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.tabs.tabBar(), timeout=5000)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "检查记录"
    assert window.tabs.tabBar().focusPolicy() == Qt.FocusPolicy.TabFocus
    qtbot.waitUntil(lambda: window.has_data, timeout=20000)
    window.tasks.wait()


def test_the_layout_stays_unanimated_and_looks_the_same_once_the_style_sheet_gives_way(qtbot, services):
    """Before the first frame a style sheet says "no layout animation", after it the proxy style does
    (inspector.ui.layout_style): the menus, tabs and toolbar are drawn the same, and the tabs' views are
    not drawn by Qt's (slower) style-sheet style."""
    from PySide6.QtWidgets import QApplication, QStyle

    duration = QStyle.StyleHint.SH_Widget_Animation_Duration
    window = open_as_the_app_does(qtbot, services)
    parts = [window.menuBar(), window.tabs.tabBar(), window.setup.toolbar]
    first_frame = [part.grab().toImage() for part in parts]
    assert [w.style().styleHint(duration, None, w) for w in (window.tabs, window.setup.toolbar)] == [0, 0]
    qtbot.waitUntil(lambda: window.tabs.building_enabled, timeout=5000)  # the first frame has been shown
    for before, after in zip(first_frame, [part.grab().toImage() for part in parts]):
        width = min(before.width(), after.width())  # the fitter may narrow the window to the screen meanwhile
        assert after.copy(0, 0, width, after.height()) == before.copy(0, 0, width, before.height())
    assert [w.style().styleHint(duration, None, w) for w in (window.tabs, window.setup.toolbar)] == [0, 0]
    assert window.tabs.styleSheet() == "" and window.setup.toolbar.styleSheet() == ""
    view = window.tabs.currentWidget()
    assert view.style().metaObject().className() == QApplication.style().metaObject().className()
    qtbot.waitUntil(lambda: window.has_data, timeout=20000)
    window.tasks.wait()
