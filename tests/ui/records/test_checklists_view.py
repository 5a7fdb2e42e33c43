"""The 检查表 tab as a person sees it: a checklist's items, each row as tall as its wrapped text."""

from __future__ import annotations

from tests.ui.walkthrough.person import open_tab, window  # noqa: F401  (a fixture)


def _misfits(table) -> list[tuple[int, int, int]]:
    """(row, height, fitted height) of every row whose height is not its contents' at the current widths."""
    return [(row, table.rowHeight(row), table.sizeHintForRow(row)) for row in range(table.model().rowCount())
            if abs(table.rowHeight(row) - table.sizeHintForRow(row)) > 2]


def test_the_items_rows_fit_their_text_at_the_width_the_window_has_when_the_tab_is_opened(qtbot, window):
    window.resize(1366, 740)
    view = window.checklists  # built ahead of the click, as after start-up, at whatever size it had then
    qtbot.waitUntil(lambda: view.item_model.rowCount() > 0, timeout=10000)
    open_tab(qtbot, window.tabs, window._checklists_page)
    qtbot.wait(50)
    assert _misfits(view.items) == []
    window.resize(1000, 700)  # the window made narrower: the rows grow with the wrapped lines
    qtbot.waitUntil(lambda: _misfits(view.items) == [], timeout=3000)
