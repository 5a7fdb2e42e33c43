"""The dashboard at county scale: when a category's hazards arrive (up to 1,000 listed) the columns that
size to their contents measure the rows around the visible ones, not every row: at 100,000 inspections the
dashboard's 1,000 hazards and 4,000 enterprises were measured cell by cell (~150,000 model calls, 0.4–1.4 s
of GUI thread each time a card was clicked or the tab opened)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from inspector.ui.application import create_application, open_main_window
from inspector.ui.table_model import RowTableModel
from tests.loop_helpers import make_site

HAZARDS = 600


@pytest.fixture
def window(qtbot, services):
    make_site(services.db, hazards=HAZARDS, levels=("general",), found_days_ago=20, deadline_days=7, photos=False)
    create_application()
    window = open_main_window(services)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.closed_loop.dashboard.board is not None, timeout=20000)
    yield window
    window.close()


def test_clicking_a_card_measures_the_visible_rows_not_all_of_them(window, qtbot, monkeypatch):
    board = window.closed_loop.dashboard
    calls = []

    def counted(index, role=Qt.ItemDataRole.DisplayRole):
        calls.append(index.row())
        return RowTableModel.data(board.model, index, role)

    monkeypatch.setattr(board.model, "data", counted)
    qtbot.mouseClick(board.cards["reinspection_due"], Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert len(board.model.rows) == HAZARDS  # every hazard is listed
    assert board.heading.text() == f"应复查：{HAZARDS} 项隐患"
    assert calls, "the table did not ask its model at all"
    assert max(calls) < 250, f"rows up to {max(calls)} were measured"  # those in view and about 100 more
    index = board.model.index(HAZARDS - 1, 0)  # the last hazard is still there to scroll to and open
    board.table.scrollTo(index)
    assert board.table.visualRect(index).isValid()


def test_coming_back_to_the_tab_keeps_the_place_when_nothing_changed(window, qtbot):
    """The person scrolls down the hazard list and selects one, looks at another tab and comes back: the
    dashboard reloads, finds the same board and keeps its tables (refilling them lost the place and
    re-measured and repainted both: ~50 ms of GUI thread at 100,000 inspections)."""
    from PySide6.QtTest import QTest

    board = window.closed_loop.dashboard
    table = board.table
    table.setFocus()
    for _ in range(40):  # ↓ forty times: the 40th hazard
        QTest.keyClick(table, Qt.Key.Key_Down)
    selected = table.currentIndex().row()
    scrolled = table.verticalScrollBar().value()
    assert selected >= 30 and scrolled > 0
    loaded = []
    board.dashboard_loaded.connect(lambda: loaded.append(True))
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())  # 检查表
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())  # back to 今日待办
    qtbot.waitUntil(lambda: bool(loaded), timeout=20000)  # reloaded
    assert table.currentIndex().row() == selected and table.verticalScrollBar().value() == scrolled
