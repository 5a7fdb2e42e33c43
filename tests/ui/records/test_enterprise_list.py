"""The 企业 tab's list loads in the background as plain rows: what a person sees and changes through it
is still what the database holds (an edit opens the enterprise as stored, not the list's copy)."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from inspector.core.records.enterprises import create_enterprise
from tests.ui.walkthrough.person import click, one, open_tab, query, type_text, window  # noqa: F401  (a fixture)


def _enterprises(window, names):
    for name, initials_address in names:
        create_enterprise(window.services.db, name=name, industry="冷库/涉氨制冷", address=initials_address)


def _open_list(qtbot, window, count: int):
    view = window.records.enterprises
    open_tab(qtbot, window.tabs, view)
    qtbot.waitUntil(lambda: view.proxy.rowCount() == count, timeout=10000)
    return view


def test_search_then_enter_opens_the_enterprise_as_stored_now(qtbot, window):
    _enterprises(window, [("兴国县赣南冷链物流有限公司", "平川大道8号"), ("潋江食品有限公司", "鼎龙路3号")])
    view = _open_list(qtbot, window, 2)
    assert "2" in view.count_label.text()
    database = window.services.paths.database
    with sqlite3.connect(database) as connection:  # changed behind the list's back (a merge, another window)
        connection.execute("UPDATE enterprise SET address = '长冈路12号', rev = rev + 1 WHERE name = '潋江食品有限公司'")
    view.search.setFocus()
    type_text(qtbot, view.search, "ljsp")
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 1)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    assert view.selected().name == "潋江食品有限公司"
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    dialog = view.dialog
    assert dialog.isVisible() and dialog.fields["address"].text() == "长冈路12号"  # the stored address
    dialog.fields["address"].selectAll()
    type_text(qtbot, dialog.fields["address"], "长冈路14号")
    with qtbot.waitSignal(dialog.enterprise_saved, timeout=3000):
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Save))
    assert one(database, "SELECT address FROM enterprise WHERE name = '潋江食品有限公司'") == "长冈路14号"
    qtbot.waitUntil(lambda: view.selected() is not None and view.selected().address == "长冈路14号")
    assert view.proxy.rowCount() == 1 and view.selected().name == "潋江食品有限公司"  # the search and row stay


def test_delete_twice_removes_it_from_the_database_and_the_list(qtbot, window):
    _enterprises(window, [("兴国县赣南冷链物流有限公司", "平川大道8号"), ("潋江食品有限公司", "鼎龙路3号")])
    view = _open_list(qtbot, window, 2)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    name = view.selected().name
    click(qtbot, view.buttons["delete"])
    assert "再次" in view.message.text() or "again" in view.message.text()
    assert query(window.services.paths.database, "SELECT count(*) FROM enterprise WHERE deleted_at IS NULL") == [(2,)]
    click(qtbot, view.buttons["delete"])
    assert query(window.services.paths.database, "SELECT name FROM enterprise WHERE deleted_at IS NULL") == [
        (other,) for other in ("兴国县赣南冷链物流有限公司", "潋江食品有限公司") if other != name]
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 1)
    assert [e.name for e in view.model.rows] != [name] and "1" in view.count_label.text()



def test_a_clicked_enterprise_shows_its_history_dates_and_hazards_unclipped(qtbot, window):
    """At 1366 px wide, the detail's date-times stay on one line and the open hazards' text gets the width the
    short columns (item, level, dates) leave, not the last column's."""
    from tests.loop_helpers import make_site

    make_site(window.services.db, hazards=2, levels=("major", "general"))
    window.resize(1366, 740)
    view = _open_list(qtbot, window, 1)
    index = view.table.model().index(0, 0)
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=view.table.visualRect(index).center())
    qtbot.waitUntil(lambda: view.hazard_model.rowCount() == 2 and view.history_model.rowCount() == 1)
    qtbot.wait(50)
    history, hazards = view.history, view.hazards
    when = history.model().index(0, 0).data()
    assert history.columnWidth(0) > history.fontMetrics().horizontalAdvance(when), when
    widths = [hazards.columnWidth(c) for c in range(hazards.model().columnCount())]
    assert max(widths) == widths[2], widths  # the hazard column
