"""RowTableModel sorts on cached keys and SearchProxyModel filters in one pass; both stay correct."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, Qt

from inspector.ui.table_model import Column, RowRole, RowTableModel, SearchProxyModel


@dataclass(frozen=True)
class Item:
    name: str
    size: int


def make(qtbot):
    model = RowTableModel([Column("name", lambda r: r.name), Column("size", lambda r: str(r.size), sort=lambda r: r.size)],
                          search_key=lambda r: f"{r.name} size{r.size}")
    proxy = SearchProxyModel()
    proxy.setSourceModel(model)
    rows = [Item(name, size) for name, size in [("冷库甲", 30), ("焊接乙", 4), ("冷库丙", 100), ("燃气丁", 7)]]
    model.set_rows(rows)
    return model, proxy


def names(proxy) -> list[str]:
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def test_sort_uses_the_column_sort_key_not_its_text(qtbot):
    model, proxy = make(qtbot)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert names(proxy) == ["焊接乙", "燃气丁", "冷库甲", "冷库丙"]  # 4 < 7 < 30 < 100, not "100" < "30"
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    assert names(proxy) == ["冷库丙", "冷库甲", "燃气丁", "焊接乙"]


def test_filter_matches_every_word_and_survives_sorting_and_new_rows(qtbot):
    model, proxy = make(qtbot)
    proxy.set_query("冷库 SIZE1")
    assert names(proxy) == ["冷库丙"]
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert names(proxy) == ["冷库丙"]
    proxy.set_query("冷库")
    assert names(proxy) == ["冷库甲", "冷库丙"]
    model.set_rows(model.rows + [Item("冷库戊", 1)])  # new data keeps the sort and the query
    assert names(proxy) == ["冷库戊", "冷库甲", "冷库丙"]
    proxy.set_query("")
    assert proxy.rowCount() == 5


def test_selection_follows_its_row_when_sorted(qtbot):
    model, proxy = make(qtbot)
    selection = QItemSelectionModel(proxy)
    target = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == "燃气丁")
    selection.setCurrentIndex(proxy.index(target, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    assert selection.currentIndex().data(RowRole) == Item("燃气丁", 7)


def test_a_big_inspection_list_is_handed_to_the_table_page_by_page_but_searched_whole(qtbot):
    """100,000 inspections: the table gets FETCH_ROWS at a time as it scrolls; sorting, the search and
    the count see every row, and the search uses the stored pinyin initials (no pypinyin)."""
    from datetime import datetime, timedelta, timezone

    from PySide6.QtTest import QTest

    from inspector.db.queries import InspectionSummary
    from inspector.ui.application import create_application
    from inspector.core.records.inspection_search import search_keys
    from inspector.ui.records.inspections_view import InspectionsView
    from inspector.ui.table_model import FETCH_ROWS

    create_application()
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    total = FETCH_ROWS * 2 + 10
    rows = [InspectionSummary(f"i{n}", "e1" if n % 500 else "e2", "兴国县冷库有限公司" if n % 500 else "赣南焊接厂",
                              "冷库", start + timedelta(minutes=n), "completed", "", 10, 1, 0, 0,
                              "xgxlkyxgs" if n % 500 else "gnhjc") for n in range(total)]
    view = InspectionsView()
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    view.set_inspections(rows, search_keys(rows))
    assert view.proxy.rowCount() == FETCH_ROWS  # the first page only
    assert view.proxy.index(0, 0).data(RowRole).id == f"i{total - 1}"  # newest first: the sort saw every row
    assert view.count_label.text() == f"共 {total} 次检查"
    qtbot.waitUntil(lambda: view.table.verticalScrollBar().maximum() > 0, timeout=3000)  # laid out
    view.table.setFocus()
    QTest.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # a person goes to the end
    qtbot.waitUntil(lambda: view.proxy.rowCount() > FETCH_ROWS, timeout=3000)
    qtbot.keyClicks(view.search, "gnhj")  # initials of 赣南焊接厂, found beyond the first page too
    expected = len([n for n in range(total) if n % 500 == 0])
    qtbot.waitUntil(lambda: view.count_label.text() == f"共 {expected} 次检查", timeout=3000)
    qtbot.waitUntil(lambda: view.proxy.rowCount() == expected, timeout=5000)  # the table fetches until it has them


def test_every_word_typed_must_match_one_word_or_several(qtbot):
    """The search keeps rows whose key holds every word typed (one word takes a faster path)."""
    from datetime import datetime, timedelta, timezone

    from inspector.db.queries import InspectionSummary
    from inspector.ui.application import create_application
    from inspector.core.records.inspection_search import search_keys
    from inspector.ui.records.inspections_view import InspectionsView

    create_application()
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    rows = [InspectionSummary(f"i{n}", f"e{n % 3}", ("兴国县冷库有限公司", "赣南焊接厂", "赣州冷链公司")[n % 3], "冷库",
                              start + timedelta(minutes=n), "draft" if n % 2 else "completed", "", 1, 0, 0, 0,
                              ("xgxlkyxgs", "gnhjc", "gzllgs")[n % 3]) for n in range(60)]
    view = InspectionsView()
    qtbot.addWidget(view)
    view.show()
    view.set_inspections(rows, search_keys(rows))
    qtbot.keyClicks(view.search, "gnhj")
    qtbot.waitUntil(lambda: view.count_label.text() == "共 20 次检查", timeout=3000)
    qtbot.keyClicks(view.search, " draft")  # a second word narrows: 赣南焊接厂's drafts only
    qtbot.waitUntil(lambda: view.count_label.text() == "共 10 次检查", timeout=3000)
    assert {view.proxy.index(r, 0).data(RowRole).id for r in range(view.proxy.rowCount())} == \
        {f"i{n}" for n in range(60) if n % 3 == 1 and n % 2}
    qtbot.keyClicks(view.search, " zzz")  # a word nothing holds
    qtbot.waitUntil(lambda: view.count_label.text() == "共 0 次检查", timeout=3000)
