"""The list of inspections: search box over a sortable, filterable table.

At county scale (100,000 inspections) nothing row-sized runs on the GUI thread but one sort of cached
keys: the search keys come with the rows from the worker (:mod:`inspector.core.records.inspection_search`,
using the stored pinyin initials, never pypinyin) and the table fetches rows page by page as it scrolls."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QHBoxLayout, QWidget

from inspector.core.common.clock import format_local
from inspector.core.records.inspection_search import search_key
from inspector.ui.table_model import FETCH_ROWS, Column, RowRole, RowTableModel, SearchProxyModel, read_only_table

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
MAJOR_COLOUR = QColor("#c62828")


class InspectionsView(QWidget):
    inspection_activated = Signal(str)
    document_requested = Signal(str)  # 生成文书 for an inspection id

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = RowTableModel(self._columns(), search_key=search_key, parent=self, fetch_rows=FETCH_ROWS)
        self.proxy = SearchProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search enterprise, pinyin initials, place or status"))
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.table = self._make_table()
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._debounce.start)
        self._layout()

    def _columns(self) -> list[Column]:
        status = {"draft": self.tr("Draft"), "completed": self.tr("Completed")}
        return [
            Column(self.tr("Started"), lambda r: format_local(r.started_at), sort=lambda r: r.started_at),
            Column(self.tr("Enterprise"), lambda r: r.enterprise),
            Column(self.tr("Sector"), lambda r: r.industry),
            Column(self.tr("Place"), lambda r: r.place),
            Column(self.tr("Status"), lambda r: status.get(r.status, r.status)),
            Column(self.tr("Items"), lambda r: str(r.findings), sort=lambda r: r.findings, align=RIGHT),
            Column(self.tr("Hazards"), lambda r: str(r.hazards), sort=lambda r: r.hazards, align=RIGHT),
            Column(self.tr("Major"), lambda r: str(r.major), sort=lambda r: r.major, align=RIGHT,
                   foreground=lambda r: QBrush(MAJOR_COLOUR) if r.major else None),
            Column(self.tr("Photos"), lambda r: str(r.photos), sort=lambda r: r.photos, align=RIGHT),
        ]

    def _make_table(self) -> QTableView:
        table = read_only_table(self.proxy, self)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(False)
        table.activated.connect(self._activated)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        generate = QAction(self.tr("Generate document…"), table)
        generate.triggered.connect(lambda: self.selected_id() and self.document_requested.emit(self.selected_id()))
        table.addAction(generate)
        return table

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def set_inspections(self, summaries: list, keys: list[str] | None = None) -> None:
        """``keys``: the summaries' :func:`~inspector.core.records.inspection_search.search_keys`, computed
        off the GUI thread."""
        self.model.set_rows(summaries, keys)
        widths = (130, 300, 160, 140, 70, 60, 60, 60, 60)
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._update_count()

    def _apply_search(self) -> None:
        self.proxy.set_query(self.search.text())
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("%n inspection(s)", "", self.proxy.matching_rows()))

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(RowRole).id if rows else None

    def _activated(self, index) -> None:
        row = index.data(RowRole)
        if row is not None:
            self.inspection_activated.emit(row.id)
