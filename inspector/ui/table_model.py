"""A read-only table model over a list of plain rows, described by column specs.

Views never keep data in widgets: each list is one of these models behind a
``QSortFilterProxyModel``. Sorting uses ``SortRole`` (raw values), filtering ``SearchRole``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, Sequence, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

Row = TypeVar("Row")
SortRole = Qt.ItemDataRole.UserRole + 1
SearchRole = Qt.ItemDataRole.UserRole + 2
RowRole = Qt.ItemDataRole.UserRole + 3


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    foreground: Callable[[Any], Any] | None = None
    tooltip: Callable[[Any], str] | None = None


FETCH_ROWS = 2000  # rows a view is handed at a time (more as it scrolls): Qt lays out thousands, not 100,000
# rows a ResizeToContents column measures (those in view and around them); Qt's default, 1,000, asked the
# model ~150,000 times and shaped every text when the dashboard's 1,000 hazards and 3,500 enterprises
# arrived (0.4–1.4 s of GUI thread at 100,000 inspections)
RESIZE_ROWS = 100


class RowTableModel(QAbstractTableModel):
    """Rows of plain data; sorts itself on cached keys (one Python pass, not a call per comparison).

    With ``fetch_rows`` (e.g. ``FETCH_ROWS``) all rows are held (sorting and searching see every one),
    but views get them in pages of that size through ``canFetchMore``/``fetchMore``, so a view of
    100,000 inspections lays out, filters and paints only what has been scrolled to. Without it views
    get every row at once (code that looks rows up through the view keeps working)."""

    def __init__(self, columns: Sequence[Column], search_key: Callable[[Any], str] | None = None, parent=None,
                 fetch_rows: int | None = None):
        super().__init__(parent)
        self.fetch_rows = fetch_rows
        self.columns = list(columns)
        self.search_key = search_key
        self.rows: list = []
        self.search_keys: list[str] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._shown = 0  # rows handed to views so far

    def set_rows(self, rows: list, search_keys: list[str] | None = None) -> None:
        """``search_keys``: the rows' lower-case search keys computed beforehand (off the GUI thread)."""
        self.beginResetModel()
        self.rows = list(rows)
        if search_keys is not None and len(search_keys) == len(self.rows):
            self.search_keys = list(search_keys)
        else:
            self.search_keys = [self.search_key(row).lower() for row in self.rows] if self.search_key else []
        if self._sort:
            self._apply_order(self._order(*self._sort))
        self._shown = min(len(self.rows), self.fetch_rows or len(self.rows))
        self.endResetModel()

    @property
    def total_rows(self) -> int:
        """Every row held, including those not yet handed to the views."""
        return len(self.rows)

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802 - Qt override
        return not parent.isValid() and self._shown < len(self.rows)

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802 - Qt override
        if parent.isValid() or self._shown >= len(self.rows):
            return
        more = min(len(self.rows) - self._shown, self.fetch_rows or len(self.rows))
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def row_at(self, row: int):
        return self.rows[row]

    def _order(self, column: int, order: Qt.SortOrder) -> list[int]:
        spec = self.columns[column]
        key = spec.sort or spec.text
        keys = [key(row) for row in self.rows]
        return sorted(range(len(keys)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)

    def _apply_order(self, permutation: list[int]) -> None:
        if permutation == list(range(len(permutation))):  # already in order (a list arrives sorted by its query)
            return
        self.rows = [self.rows[i] for i in permutation]
        if self.search_keys:
            self.search_keys = [self.search_keys[i] for i in permutation]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        permutation = self._order(column, order)
        self._apply_order(permutation)
        persistent = self.persistentIndexList()
        if persistent:
            new_row = {old: new for new, old in enumerate(permutation)}
            self.changePersistentIndexList(persistent, [self.index(new_row[i.row()], i.column()) for i in persistent])
        self.layoutChanged.emit()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES or not index.isValid():  # Qt asks for a dozen roles per cell while painting
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SortRole:
            return column.sort(row) if column.sort else column.text(row)
        if role == SearchRole:
            return self.search_keys[index.row()] if self.search_keys else ""
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground:
            return column.foreground(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(row)
        return None


_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, SortRole, SearchRole, RowRole, Qt.ItemDataRole.TextAlignmentRole,
                    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole})


class SearchProxyModel(QSortFilterProxyModel):
    """Keeps rows whose search key contains every word of the query (case-insensitive).

    The decision for all rows is made in one pass when the query or the rows change, so
    ``filterAcceptsRow`` is a list lookup; sorting is delegated to the source model, which
    sorts on cached keys. With 10,000 rows both stay well under the 150 ms typing debounce.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._words: list[str] = []
        self._accepted: list[bool] | None = None

    def setSourceModel(self, model) -> None:  # noqa: N802 - Qt override
        super().setSourceModel(model)
        model.modelReset.connect(self._recompute)
        model.layoutChanged.connect(self._recompute)

    def set_query(self, query: str) -> None:
        words = query.lower().split()
        if words == self._words:
            return
        self._words = words
        self._refilter()

    def _recompute(self) -> None:
        if self._words:
            self._refilter()

    def _refilter(self) -> None:
        keys, words = self._keys(), self._words
        if len(words) == 1:  # the usual query: one word (a third of the time of all() over 100,000 keys)
            word = words[0]
            accepted = [word in key for key in keys]
        else:
            accepted = [all(word in key for word in words) for key in keys] if words else None
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9
            self.beginFilterChange()
            self._accepted = accepted
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._accepted = accepted
            self.invalidateFilter()

    def _keys(self) -> list[str]:
        """Every source row's key, also of rows not yet fetched by the view."""
        source = self.sourceModel()
        keys = getattr(source, "search_keys", None)
        if keys is not None and len(keys) == getattr(source, "total_rows", source.rowCount()):
            return keys
        return [(source.index(r, 0).data(SearchRole) or "") for r in range(source.rowCount())]

    def matching_rows(self) -> int:
        """Rows the query keeps among all the source holds (the view may not have fetched them all yet)."""
        if self._accepted is not None:
            return sum(self._accepted)
        return getattr(self.sourceModel(), "total_rows", self.rowCount())

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # noqa: N802
        accepted = self._accepted
        if accepted is None or source_row >= len(accepted):
            return True
        return accepted[source_row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the source rows (cached keys) instead of comparing through Qt row by row."""
        self.sourceModel().sort(column, order)


def read_only_table(model, parent=None):
    """A view of whole rows: one row selected at a time, no editing, no row numbers."""
    from PySide6.QtWidgets import QAbstractItemView, QTableView

    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setResizeContentsPrecision(RESIZE_ROWS)
    table.verticalHeader().setResizeContentsPrecision(RESIZE_ROWS)
    return table
