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
