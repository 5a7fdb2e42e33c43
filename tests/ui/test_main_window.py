"""The main window offscreen: it lists the data directory's inspections and checklists."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from inspector.ui.application import create_application, open_main_window


@pytest.fixture
def window(qtbot, demo_services):
    create_application()
    window = open_main_window(demo_services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.inspections.model.rowCount() > 0, timeout=5000)
    return window


def test_lists_every_inspection_and_filters_by_pinyin_initials(window, qtbot):
    from inspector.core.common.text_search import initials
    from inspector.db.queries import inspection_summaries

    with window.services.db.session() as session:
        summaries = inspection_summaries(session)
    view = window.inspections
    assert view.proxy.rowCount() == len(summaries)
    target = summaries[0].enterprise
    qtbot.keyClicks(view.search, initials(target))
    expected = sum(initials(target) in initials(s.enterprise) for s in summaries)
    qtbot.waitUntil(lambda: view.proxy.rowCount() == expected, timeout=2000)
    assert all(target == view.proxy.index(r, 1).data() or initials(target) in initials(view.proxy.index(r, 1).data())
               for r in range(view.proxy.rowCount()))


def test_window_is_in_chinese_and_shows_checklist_items(window):
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs[:3] == ["今日待办", "检查记录", "检查表"]  # the closed-loop dashboard comes first
    checklists = window.checklists
    assert checklists.list_model.rowCount() >= 8
    assert checklists.item_model.rowCount() == len(window.services.checklists.checklists[0].items)
    assert checklists.item_model.headerData(2, checklists.items.horizontalHeader().orientation()) == "依据"


def test_damaged_database_is_reported_in_chinese(qtbot, data_dir, monkeypatch):
    from inspector.services import Services

    (data_dir / "inspector.db").write_bytes(b"not a database" * 100)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    create_application()
    services = Services(data_dir)
    window = open_main_window(services)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.data_unavailable, timeout=5000):
        window.show()
    assert shown and shown[0][0] == "无法打开数据" and "不是" in shown[0][1]
    assert not window.isVisible()
    assert (data_dir / "inspector.db").read_bytes() == b"not a database" * 100
    services.close()
