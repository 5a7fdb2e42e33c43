"""The walk-through's item list as a Qt model: checklist items (from the snapshot), then free findings."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

MAJOR = QColor("#c62828")
RESULT_COLOURS = {"pass": QColor("#2e7d32"), "fail": QColor("#c62828"), "na": QColor("#757575")}
HAZARD_BACKGROUND = QColor("#fdecea")
CENTER = int(Qt.AlignmentFlag.AlignCenter)


@dataclass
class WalkRow:
    item: object | None  # WalkItem, or None for a free finding
    finding: object | None
    free_number: int = 0

    @property
    def major(self) -> bool:
        if self.finding is not None and self.finding.result == "fail":
            return self.finding.level == "major"
        return bool(self.item and self.item.item.major)


class WalkItemsModel(QAbstractTableModel):
    NUMBER, CHECK, RESULT, PHOTOS = range(4)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[WalkRow] = []
        self.photo_counts: dict[str, int] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._headers = [self.tr("No."), self.tr("Check"), self.tr("Result"), self.tr("Photos")]
        self._results = {"pass": self.tr("Pass"), "fail": self.tr("Fail"), "na": self.tr("N/A")}

    def set_state(self, state) -> None:
        self.beginResetModel()
        self.rows = [WalkRow(item, state.finding_for(item)) for item in state.items]
        self.rows += [WalkRow(None, finding, number) for number, finding in enumerate(state.free_findings, 1)]
        self.photo_counts = dict(state.photo_counts)
        self.endResetModel()

    def row_at(self, row: int) -> WalkRow:
        return self.rows[row]

    def set_finding(self, row: int, finding) -> None:
        self.rows[row].finding = finding
        self._row_changed(row)

    def add_free(self, finding) -> int:
        number = sum(1 for r in self.rows if r.item is None) + 1
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(WalkRow(None, finding, number))
        self.endInsertRows()
        return len(self.rows) - 1

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        self.endRemoveRows()

    def set_photo_count(self, finding_id: str, count: int) -> None:
        self.photo_counts[finding_id] = count
        for number, row in enumerate(self.rows):
            if row.finding is not None and row.finding.id == finding_id:
                self._row_changed(number)

    def row_of_finding(self, finding_id: str) -> int | None:
        return next((n for n, r in enumerate(self.rows) if r.finding is not None and r.finding.id == finding_id), None)

    def progress(self) -> tuple[int, int, int, int]:
        """(answered, items, hazards, major hazards)."""
        items = [r for r in self.rows if r.item is not None]
        hazards = [r for r in self.rows if r.finding is not None and r.finding.result == "fail"]
        return (sum(r.finding is not None for r in items), len(items), len(hazards), sum(r.major for r in hazards))

    def first_unanswered(self) -> int | None:
        return next((n for n, r in enumerate(self.rows) if r.item is not None and r.finding is None), None)

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    # --- Qt model API --------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 4

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.RESULT and row.finding is not None:
                return QBrush(RESULT_COLOURS[row.finding.result])
            return QBrush(MAJOR) if row.major else None
        if role == Qt.ItemDataRole.FontRole and (row.major or column == self.RESULT):
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and row.finding is not None and row.finding.result == "fail":
            return QBrush(HAZARD_BACKGROUND)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.RESULT, self.PHOTOS):
            return CENTER
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        return None

    def _text(self, row: WalkRow, column: int) -> str:
        if column == self.NUMBER:
            return row.item.item.id if row.item else self.tr("Free %1").replace("%1", str(row.free_number))
        if column == self.CHECK:
            if row.item:
                return ("【" + self.tr("Major") + "】" if row.item.item.major else "") + row.item.item.text
            return row.finding.description or self.tr("(free finding, no description yet)")
        if column == self.RESULT:
            return self._results[row.finding.result] if row.finding is not None else ""
        count = self.photo_counts.get(row.finding.id, 0) if row.finding is not None else 0
        required = row.item is not None and row.item.item.photo_required
        failed = row.finding is not None and row.finding.result == "fail"
        return str(count) if count else ("!" if required and failed else "")

    def _tooltip(self, row: WalkRow) -> str:
        if row.item is None:
            return row.finding.description
        item = row.item.item
        parts = [f"{row.item.checklist_title} · {row.item.section}", item.text, self.tr("Basis: %1").replace("%1", item.basis)]
        if item.major:
            parts.append(self.tr("Major hazard clause: %1").replace("%1", item.major_clause))
        if item.photo_required:
            parts.append(self.tr("A photo is required when it fails."))
        return "\n".join(parts)
