"""The first frame shows the window's frame only: each tab's view is built when a person first opens
its tab, then shows its data as before; the data load starts after the first frame."""

from __future__ import annotations

from PySide6.QtCore import Qt

from inspector.ui.application import create_application, open_main_window


def test_tabs_are_built_when_first_opened_and_show_their_data(qtbot, demo_services):
    create_application()
    window = open_main_window(demo_services)
    qtbot.addWidget(window)
    assert not window.has_data  # nothing is loaded before the window is on screen
    window.show()
    loaded = []
    window.data_loaded.connect(lambda: loaded.append(True))
    qtbot.waitUntil(lambda: bool(loaded), timeout=10000)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["今日待办", "检查记录", "检查表", "企业", "文书", "复查", "月度分析"]  # all there at once
    assert window.closed_loop.dashboard_tab.built  # the current tab, built after the first frame
    assert not window.records.enterprises_tab.built and not window._inspections_page.built
    assert not window.notices_tab.built and not window.closed_loop.analysis_tab.built
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(3).center())  # 企业
    assert window.records.enterprises_tab.built and window.tabs.currentWidget() is window.records.enterprises
    enterprises = window.records.enterprises
    qtbot.waitUntil(lambda: enterprises.proxy.rowCount() > 0, timeout=10000)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())  # 检查记录
    qtbot.waitUntil(lambda: window.inspections.model.rowCount() > 0, timeout=10000)
    assert window.tabs.indexOf(window.inspections) == 1
    assert not window.notices_tab.built  # never opened, never built
    window.tasks.wait()
