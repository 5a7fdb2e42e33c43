"""A list model of plain rows with a check box each (checklists, inspectors to choose)."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal

CHECKED = Qt.CheckState.Checked
UNCHECKED = Qt.CheckState.Unchecked


class CheckListModel(QAbstractListModel):
    checked_changed = Signal()

    def __init__(self, text: Callable[[Any], str], key: Callable[[Any], str], parent=None,
                 tooltip: Callable[[Any], str] | None = None):
        super().__init__(parent)
        self.text, self.key, self.tooltip = text, key, tooltip
        self.rows: list = []
        self._checked: set[str] = set()

    def set_rows(self, rows: list, checked_keys=()) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        keys = {self.key(row) for row in self.rows}
        self._checked = {key for key in checked_keys if key in keys}
        self.endResetModel()
        self.checked_changed.emit()

    def append(self, row, checked: bool = True) -> None:
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(row)
        if checked:
            self._checked.add(self.key(row))
        self.endInsertRows()
        self.checked_changed.emit()

    def checked_rows(self) -> list:
        return [row for row in self.rows if self.key(row) in self._checked]

    def set_checked(self, key: str, checked: bool) -> None:
        for number, row in enumerate(self.rows):
            if self.key(row) == key:
                self.setData(self.index(number), CHECKED if checked else UNCHECKED, Qt.ItemDataRole.CheckStateRole)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row)
        if role == Qt.ItemDataRole.CheckStateRole:
            return CHECKED if self.key(row) in self._checked else UNCHECKED
        if role == Qt.ItemDataRole.ToolTipRole and self.tooltip:
            return self.tooltip(row)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        key = self.key(self.rows[index.row()])
        if Qt.CheckState(value) == CHECKED:
            self._checked.add(key)
        else:
            self._checked.discard(key)
        self.dataChanged.emit(index, index, [role])
        self.checked_changed.emit()
        return True

    def flags(self, index):
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.isValid() else base
