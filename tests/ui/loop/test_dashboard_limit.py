"""A dashboard category with more hazards than the list holds: the heading gives the real count and
says that only the first ones (earliest deadline) are listed, instead of the list's length."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from inspector.ui.application import create_application, open_main_window
from tests.loop_helpers import make_site


@pytest.fixture
def window(qtbot, services, monkeypatch):
    import inspector.core.loop.dashboard as dashboard

    monkeypatch.setattr(dashboard, "LIST_LIMIT", 2)  # as if the county had more than 1,000 open major hazards
    make_site(services.db, hazards=3, levels=("major", "major", "major"), found_days_ago=3, deadline_days=10)
    create_application()
    window = open_main_window(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.closed_loop.dashboard.board is not None, timeout=10000)
    yield window
    window.close()


def test_the_heading_counts_every_hazard_and_says_how_many_are_listed(window, qtbot):
    board = window.closed_loop.dashboard
    assert board.cards["open_major"].text() == "重大隐患未销号\n3"
    qtbot.mouseClick(board.cards["open_major"], Qt.MouseButton.LeftButton)
    assert len(board.model.rows) == 2
    assert board.heading.text() == "重大隐患未销号：3 项隐患（列出期限最早的 2 项）"
    table = board.groups  # the enterprise's own list: read from the database, still capped, still counted
    index = table.model().index(0, 0)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    qtbot.waitUntil(lambda: "兴国县测试冷链有限公司" in board.heading.text(), timeout=5000)
    assert board.heading.text() == "重大隐患未销号 · 兴国县测试冷链有限公司：3 项隐患（列出期限最早的 2 项）"
