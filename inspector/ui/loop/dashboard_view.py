"""The start-up dashboard: four count cards, counts per enterprise or sector, and the hazards behind them.

Click a card to choose the category, click an enterprise or sector to narrow the list; a
double-click (or Enter) on a hazard opens it (``hazard_activated``). Everything is computed
locally by :func:`inspector.core.loop.dashboard.load_dashboard` in a background task.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter,
    QTableView, QVBoxLayout, QWidget,
)

from inspector.core.loop.dashboard import CATEGORIES
from inspector.ui.loop_common import OVERDUE_COLOUR, SOON_COLOUR, category_text, effective_status_text, level_text
from inspector.ui.table_model import Column, RowRole, RowTableModel, read_only_table

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CARD_COLOURS = {"overdue": "#c62828", "due_soon": "#e65100", "reinspection_due": "#1565c0", "open_major": "#6a1b9a"}


def _load(db, shown=None):
    """The dashboard; ``shown`` itself if it is equal to the one on screen (compared here, off the GUI
    thread), which then keeps its tables as they are: refilling them re-measured and repainted both
    (~50 ms of GUI-thread CPU at 100,000 inspections) each time the tab came back."""
    from inspector.core.loop.dashboard import load_dashboard
    from inspector.core.loop.hazards import sync_notice_events

    sync_notice_events(db)  # hazards of notices issued since: 待整改 → 整改中
    board = load_dashboard(db)
    return shown if shown is not None and board == shown else board


class DashboardView(QWidget):
    hazard_activated = Signal(str)  # finding id
    reinspection_requested = Signal(str)  # enterprise id
    dashboard_loaded = Signal()

    def __init__(self, services, tasks, parent=None):
        super().__init__(parent)
        self.services, self.tasks = services, tasks
        self.board = None
        self.category = "overdue"
        self.group_key: str | None = None
        self._build()

    # --- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.cards: dict[str, QPushButton] = {}
        self.card_group = QButtonGroup(self)
        cards = QHBoxLayout()
        for category in CATEGORIES:
            card = QPushButton(self)
            card.setCheckable(True)
            card.setMinimumHeight(64)
            colour = CARD_COLOURS[category]
            card.setStyleSheet(f"QPushButton {{ font-size: 15px; color: {colour}; border: 2px solid {colour};"
                               f" border-radius: 6px; background: white; padding: 6px; }}"
                               f" QPushButton:checked {{ background: {colour}; color: white; }}")
            card.clicked.connect(lambda _=False, c=category: self.select_category(c))
            self.card_group.addButton(card)
            self.cards[category] = card
            cards.addWidget(card)
        self.cards[self.category].setChecked(True)
        self.grouping = QComboBox(self)
        self.grouping.addItem(self.tr("By enterprise"), "enterprise")
        self.grouping.addItem(self.tr("By sector"), "sector")
        self.grouping.currentIndexChanged.connect(self._show_groups)
        self.group_model = RowTableModel(self._group_columns(), parent=self)
        self.groups = self._table(self.group_model)
        self.groups.horizontalHeader().setStretchLastSection(False)
        self.groups.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.groups.clicked.connect(self._group_clicked)
        self.groups.activated.connect(self._group_clicked)
        self.model = RowTableModel(self._hazard_columns(), parent=self)
        self.table = self._table(self.model)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Interactive)
        self.table.activated.connect(self._hazard_activated)
        self.heading = QLabel(self)
        self.show_all = QPushButton(self.tr("Show all"), self)
        self.show_all.clicked.connect(lambda: self.select_group(None))
        self.reinspect = QPushButton(self.tr("Re-inspect this enterprise…"), self)
        self.reinspect.clicked.connect(self._reinspect)
        self.today_label = QLabel(self)
        self._arrange(cards)

    def _arrange(self, cards: QHBoxLayout) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.grouping)
        left_layout.addWidget(self.groups)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.heading, 1)
        bar.addWidget(self.show_all)
        bar.addWidget(self.reinspect)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.table)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([520, 880])
        layout = QVBoxLayout(self)
        layout.addLayout(cards)
        layout.addWidget(self.today_label)
        layout.addWidget(splitter, 1)

    def _table(self, model) -> QTableView:
        table = read_only_table(model, self)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.setWordWrap(False)
        return table

    def _group_columns(self) -> list[Column]:
        columns = [Column(self.tr("Name"), lambda g: g.name, tooltip=lambda g: g.sector)]
        for category in CATEGORIES:
            columns.append(Column(category_text(category), lambda g, c=category: str(g.counts[c] or ""), align=RIGHT))
        return columns

    def _hazard_columns(self) -> list[Column]:
        today = lambda: self.board.today  # noqa: E731
        return [
            Column(self.tr("Deadline"), lambda h: h.deadline.isoformat() if h.deadline else "—",
                   foreground=lambda h: QBrush(OVERDUE_COLOUR) if "overdue" in h.categories
                   else QBrush(SOON_COLOUR) if "due_soon" in h.categories else None),
            Column(self.tr("Days overdue"), lambda h: str(h.days_overdue(today()) or ""), align=RIGHT),
            Column(self.tr("Level"), lambda h: level_text(h.level),
                   foreground=lambda h: QBrush(OVERDUE_COLOUR) if h.level == "major" else None),
            Column(self.tr("Status"), lambda h: effective_status_text(h.status, h.deadline, today())),
            Column(self.tr("Enterprise"), lambda h: h.enterprise, tooltip=lambda h: h.sector),
            Column(self.tr("Hazard"), lambda h: h.description, tooltip=lambda h: f"{h.location}：{h.description}"),
        ]

    # --- data -------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.today_label.setText(self.tr("Loading…"))
        self.tasks.submit(_load, self.services.db, self.board, on_done=self.set_dashboard)

    def set_dashboard(self, board) -> None:
        # unchanged: the tables stay as they are (but a group's list beyond the board's own hazards is
        # read from the database again)
        if board is self.board and board is not None and (board.complete or self.group_key is None):
            self._show_today(board)
            self.dashboard_loaded.emit()
            return
        self.board = board
        for category, card in self.cards.items():
            card.setText(f"{category_text(category)}\n{board.counts[category]}")
        self._show_today(board)
        self._show_groups()
        self.dashboard_loaded.emit()

    def _show_today(self, board) -> None:
        self.today_label.setText(self.tr("Computed on this computer for %1.").replace("%1", board.today.isoformat()))

    def select_category(self, category: str) -> None:
        self.category = category
        self.cards[category].setChecked(True)
        self._show_groups()

    def select_group(self, key: str | None) -> None:
        self.group_key = key
        if key is None:
            self.groups.clearSelection()
        self._show_hazards()

    @property
    def by_sector(self) -> bool:
        return self.grouping.currentData() == "sector"

    def _show_groups(self) -> None:
        if self.board is None:
            return
        groups = self.board.by_sector if self.by_sector else self.board.by_enterprise
        shown = [g for g in groups if g.counts[self.category]]
        self.group_model.set_rows(shown)
        if self.group_key not in {g.key for g in shown}:
            self.group_key = None
        self._show_hazards()

    def _show_hazards(self) -> None:
        if self.board is None:
            return
        key = self.group_key
        rows = self.board.hazards_in(self.category, sector=key if self.by_sector and key else None,
                                     enterprise_id=key if not self.by_sector and key else None)
        self.model.set_rows(rows)
        title = category_text(self.category)
        total = self.board.counts[self.category]  # counts cover every hazard, the list may hold fewer
        if key:
            group = next((g for g in self.group_model.rows if g.key == key), None)
            title = f"{title} · {group.name if group else key}"
            total = group.counts[self.category] if group else len(rows)
        heading = self.tr("%1: %n hazard(s)", "", total).replace("%1", title)
        if len(rows) < total:
            heading += self.tr(" (the %1 with the earliest deadlines listed)").replace("%1", str(len(rows)))
        self.heading.setText(heading)
        self.reinspect.setEnabled(bool(key) and not self.by_sector)
        self.show_all.setEnabled(bool(key))

    def _group_clicked(self, index) -> None:
        group = index.data(RowRole)
        if group is not None:
            self.select_group(group.key)

    def _hazard_activated(self, index) -> None:
        hazard = index.data(RowRole)
        if hazard is not None:
            self.hazard_activated.emit(hazard.finding_id)

    def _reinspect(self) -> None:
        if self.group_key and not self.by_sector:
            self.reinspection_requested.emit(self.group_key)
