"""Browse the loaded checklists and their items (with legal basis and 重大 flags)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from inspector.ui.table_model import Column, RowTableModel, read_only_table

MAJOR_COLOUR = QColor("#c62828")
VERIFY_COLOUR = QColor("#8d6e00")


class ChecklistsView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.list_model = RowTableModel([
            Column(self.tr("Checklist"), lambda c: c.title),
            Column(self.tr("Sector"), lambda c: c.sector_name),
            Column(self.tr("Version"), lambda c: c.version),
            Column(self.tr("Effective"), lambda c: c.effective.isoformat()),
            Column(self.tr("Items"), lambda c: str(len(c.items)), sort=lambda c: len(c.items)),
            Column(self.tr("Major"), lambda c: str(c.major_count), sort=lambda c: c.major_count),
            Column(self.tr("To verify"), lambda c: str(sum(bool(i.verify) for i in c.items))),
        ], parent=self)
        self.item_model = RowTableModel(self._item_columns(), parent=self)
        self.lists = self._table(self.list_model)
        self.items = self._table(self.item_model)
        self.items.setWordWrap(True)
        # rows follow their wrapped text at the columns' current widths: the view is built ahead, before the
        # window has its size, and a person resizes the window or a column (a checklist has ~100 rows at most)
        self.items.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b71c1c")
        self.problems.hide()
        self.lists.selectionModel().currentRowChanged.connect(self._show_items)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.lists)
        splitter.addWidget(self.items)
        splitter.setSizes([180, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addWidget(splitter)

    def _item_columns(self) -> list[Column]:
        bold = QFont()
        bold.setBold(True)
        return [
            Column(self.tr("No."), lambda i: i.id),
            Column(self.tr("Check"), lambda i: i.text, tooltip=lambda i: i.hazard),
            Column(self.tr("Basis"), lambda i: i.basis, tooltip=lambda i: i.basis),
            Column(self.tr("Level"), lambda i: self.tr("Major") if i.major else self.tr("General"),
                   foreground=lambda i: QBrush(MAJOR_COLOUR) if i.major else None,
                   tooltip=lambda i: i.major_clause),
            Column(self.tr("Days"), lambda i: str(i.deadline_days), sort=lambda i: i.deadline_days),
            Column(self.tr("Photo"), lambda i: self.tr("Required") if i.photo_required else ""),
            Column(self.tr("To verify"), lambda i: i.verify or "", foreground=lambda i: QBrush(VERIFY_COLOUR)),
        ]

    def _table(self, model) -> QTableView:
        table = read_only_table(model, self)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def set_checklists(self, loaded) -> None:
        self.list_model.set_rows(loaded.checklists)
        if loaded.problems:
            self.problems.setText(self.tr("Skipped %n checklist file(s) with problems:", "", len(loaded.problems))
                                  + "\n" + "\n".join(map(str, loaded.problems)))
            self.problems.show()
        if loaded.checklists:
            self.lists.selectRow(0)

    def _show_items(self, current, _previous=None) -> None:
        checklist = self.list_model.row_at(current.row()) if current.isValid() else None
        self.item_model.set_rows(checklist.items if checklist else [])
        header = self.items.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.items.setColumnWidth(1, 420)
        self.items.setColumnWidth(2, 260)
