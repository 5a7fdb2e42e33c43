"""The enterprises tab: searchable list (name, pinyin initials, credit code), detail with
inspection history and open hazards, register / edit / delete, import of an office's list."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector.core.common.clock import format_local
from inspector.ui.table_model import Column, RowRole, RowTableModel, SearchProxyModel, read_only_table

MAJOR_COLOUR = QColor("#c62828")
SAMPLE_CODE = "91360732MA3WXYPQ8H"  # as wide as a credit code gets


class EnterprisesView(QWidget):
    inspection_activated = Signal(str)
    new_inspection_requested = Signal(str)  # enterprise id
    enterprises_loaded = Signal()  # a refresh's list is shown

    def __init__(self, services, tasks, parent=None):
        super().__init__(parent)
        self.services, self.tasks = services, tasks
        self.choose_import_file = self._ask_for_import_file  # replaceable (tests)
        self._armed_delete: str | None = None
        self._loads = 0  # refreshes asked for; only the latest one's list is shown
        self._select_after_load: str | None = None
        self.model = RowTableModel(self._columns(), search_key=_search_key, parent=self)
        self.proxy = SearchProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.history_model = RowTableModel(self._history_columns(), parent=self)
        self.hazard_model = RowTableModel(self._hazard_columns(), parent=self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search name, pinyin initials or credit code"))
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self, singleShot=True, interval=120)
        self._debounce.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._debounce.start)
        self.count_label = QLabel(self)
        self.table = _table(self, self.proxy, sortable=True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.history = _table(self, self.history_model)
        self.history.activated.connect(self._history_activated)
        self.hazards = _table(self, self.hazard_model)
        _fit_columns(self.history, stretch=None)  # the last column takes the rest; a date-time stays on one line
        _fit_columns(self.hazards, stretch=2)  # the hazard's text takes what the short columns leave
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.buttons = self._make_buttons()
        self._layout()
        self._show_detail()

    def _columns(self) -> list[Column]:
        return [
            Column(self.tr("Enterprise"), lambda e: e.name, sort=lambda e: e.name_initials),
            Column(self.tr("Credit code"), lambda e: e.credit_code or ""),
            Column(self.tr("Sector"), lambda e: e.industry),
            Column(self.tr("Address"), lambda e: e.address),
            Column(self.tr("Liaison"), lambda e: e.liaison),
        ]

    def _history_columns(self) -> list[Column]:
        status = {"draft": self.tr("Draft"), "completed": self.tr("Completed")}
        return [
            Column(self.tr("Started"), lambda s: format_local(s.started_at)),
            Column(self.tr("Status"), lambda s: status.get(s.status, s.status)),
            Column(self.tr("Place"), lambda s: s.place),
            Column(self.tr("Hazards"), lambda s: str(s.hazards)),
            Column(self.tr("Major"), lambda s: str(s.major), foreground=lambda s: QBrush(MAJOR_COLOUR) if s.major else None),
        ]

    def _hazard_columns(self) -> list[Column]:
        level = {"major": self.tr("Major"), "general": self.tr("General")}
        major = lambda h: QBrush(MAJOR_COLOUR) if h.level == "major" else None  # noqa: E731
        return [
            Column(self.tr("Item"), lambda h: h.item_id or self.tr("free")),
            Column(self.tr("Level"), lambda h: level.get(h.level, h.level), foreground=major),
            Column(self.tr("Hazard"), lambda h: h.description, foreground=major, tooltip=lambda h: h.description),
            Column(self.tr("Deadline"), lambda h: h.deadline.isoformat() if h.deadline else ""),
            Column(self.tr("Found"), lambda h: format_local(h.inspected_at, with_time=False)),
        ]

    def _make_buttons(self) -> dict[str, QPushButton]:
        specs = {
            "register": (self.tr("Register enterprise…"), self.register),
            "edit": (self.tr("Edit…"), self.edit_selected),
            "delete": (self.tr("Delete"), self.delete_selected),
            "import": (self.tr("Import list (xlsx/csv)…"), self.choose_and_import),
            "inspect": (self.tr("New inspection"), self._request_inspection),
        }
        buttons = {}
        for key, (text, slot) in specs.items():
            buttons[key] = QPushButton(text, self)
            buttons[key].clicked.connect(slot)
        return buttons

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        for key in ("register", "edit", "delete", "import"):
            top.addWidget(self.buttons[key])
        detail = QWidget(self)
        right = QVBoxLayout(detail)
        right.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(self.detail, 1)
        heading.addWidget(self.buttons["inspect"], 0, Qt.AlignmentFlag.AlignTop)
        right.addLayout(heading)
        right.addWidget(QLabel(self.tr("Inspection history"), self))
        right.addWidget(self.history, 1)
        right.addWidget(QLabel(self.tr("Open hazards"), self))
        right.addWidget(self.hazards, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setSizes([620, 520])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

    # --- data ---------------------------------------------------------------------------

    def refresh(self, select_id: str | None = None) -> None:
        """Load the list in the background (plain rows); then ``select_id``, else the enterprise selected
        when it arrives, is selected again."""
        self._loads += 1
        self._select_after_load = select_id
        # a bound method, not a lambda: the task runner drops the answer if this view was deleted meanwhile
        self.tasks.submit(_load_enterprises, self.services.db, self._loads, on_done=self._show_rows,
                          on_error=self._failed)

    def _show_rows(self, loaded: tuple[int, list]) -> None:
        load, rows = loaded
        if load != self._loads:  # a later refresh is on its way
            return
        current = self.selected()
        self.model.set_rows(rows)
        self.table.setColumnWidth(0, 300)
        self.table.setColumnWidth(1, self.table.fontMetrics().horizontalAdvance(SAMPLE_CODE) + 24)  # never "9136…"
        self._update_count()
        self.select(self._select_after_load or (current.id if current else None))
        self._show_detail()
        self.enterprises_loaded.emit()

    def select(self, enterprise_id: str | None) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(RowRole).id == enterprise_id:
                self.table.selectRow(row)
                return True
        return False

    def selected(self):
        index = self.table.currentIndex()
        return index.data(RowRole) if index.isValid() else None

    def _apply_search(self) -> None:
        self.proxy.set_query(self.search.text())
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("%n enterprise(s)", "", self.proxy.rowCount()))

    def _show_detail(self) -> None:
        enterprise = self.selected()
        self._armed_delete = None
        for key in ("edit", "delete", "inspect"):
            self.buttons[key].setEnabled(enterprise is not None)
        if enterprise is None:
            self.detail.setText(self.tr("Choose an enterprise to see its inspections and open hazards."))
            self.history_model.set_rows([])
            self.hazard_model.set_rows([])
            return
        lines = [f"<b>{_escape(enterprise.name)}</b>",
                 self.tr("Credit code: %1").replace("%1", enterprise.credit_code or self.tr("none")),
                 " · ".join(_escape(part) for part in (enterprise.industry, enterprise.address,
                                                       enterprise.legal_representative, enterprise.contact_phone) if part)]
        self.detail.setText("<br>".join(line for line in lines if line))
        from inspector.core.records.enterprises import enterprise_history, open_hazards  # not at start-up: sqlmodel is heavy

        self.history_model.set_rows(enterprise_history(self.services.db, enterprise.id))
        self.hazard_model.set_rows(open_hazards(self.services.db, enterprise.id))

    # --- actions ------------------------------------------------------------------------

    def register(self):
        from inspector.ui.records.enterprise_dialog import EnterpriseDialog

        return self._open_dialog(EnterpriseDialog(self.services, None, self))

    def edit_selected(self):
        """The dialog shows the enterprise as stored now (the list's row may predate a save or a merge whose
        reload is still on its way)."""
        from inspector.core.records.enterprises import get_enterprise
        from inspector.errors import UserError
        from inspector.ui.records.enterprise_dialog import EnterpriseDialog

        row = self.selected()
        if row is None:
            return None
        try:
            enterprise = get_enterprise(self.services.db, row.id)
        except UserError as error:  # deleted meanwhile
            self._failed(error)
            self.refresh()
            return None
        return self._open_dialog(EnterpriseDialog(self.services, enterprise, self))

    def _open_dialog(self, dialog):
        dialog.enterprise_saved.connect(lambda enterprise_id: self.refresh(enterprise_id))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    def delete_selected(self) -> None:
        """Delete (tombstone) after a second click: the button asks "Click again to delete"."""
        from inspector.core.records.enterprises import delete_enterprise

        enterprise = self.selected()
        if enterprise is None:
            return
        if self._armed_delete != enterprise.id:
            self._armed_delete = enterprise.id
            self.message.setText(self.tr("Click Delete again to delete “%1”; its inspections are kept.")
                                 .replace("%1", enterprise.name))
            return
        self._armed_delete = None
        delete_enterprise(self.services.db, enterprise.id)
        self.message.setText(self.tr("Deleted “%1”.").replace("%1", enterprise.name))
        self.refresh()

    def choose_and_import(self) -> None:
        path = self.choose_import_file()
        if path:
            self.import_file(path)

    def _ask_for_import_file(self) -> str:
        from inspector.ui import file_dialogs

        return file_dialogs.open_file(self, file_dialogs.LISTS, self.tr("Import enterprise list"),
                                      self.tr("Spreadsheets (*.xlsx *.csv)"))

    def import_file(self, path: str) -> None:
        from pathlib import Path

        from inspector.core.records.enterprise_import import import_enterprises

        self.message.setText(self.tr("Importing %1…").replace("%1", Path(path).name))
        self.tasks.submit(import_enterprises, self.services.db, path,
                          on_done=lambda report: self._imported(report, Path(path).name), on_error=self._failed)

    def _imported(self, report, file_name: str) -> None:
        from inspector.ui.records.enterprise_dialog import ImportReportDialog

        self.message.setText(report.summary())
        self.refresh()
        self.report_dialog = ImportReportDialog(report, file_name, self)
        self.report_dialog.open()

    def _failed(self, error) -> None:
        self.message.setText(getattr(error, "message", str(error)))

    def _request_inspection(self) -> None:
        enterprise = self.selected()
        if enterprise is not None:
            self.new_inspection_requested.emit(enterprise.id)

    def _history_activated(self, index) -> None:
        summary = self.history_model.row_at(index.row())
        self.inspection_activated.emit(summary.id)


def _load_enterprises(db, load: int) -> tuple[int, list]:
    """Off the GUI thread: every live enterprise as a plain row (with the number of the refresh asking)."""
    # the detail's queries (selecting a row) live with the ORM models: imported here, in the worker, not by
    # the GUI thread's first selection (170 ms of class building, measured when the tab was first opened)
    import inspector.core.records.enterprises  # noqa: F401
    from inspector.db.queries import enterprise_rows

    with db.session() as session:
        return load, enterprise_rows(session)


def _search_key(enterprise) -> str:
    return f"{enterprise.name} {enterprise.name_initials} {(enterprise.credit_code or '').lower()}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fit_columns(table: QTableView, stretch: int | None) -> None:
    """Every column as wide as its contents; ``stretch`` (or else the last) takes the width left over."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def _table(parent, model, sortable: bool = False) -> QTableView:
    table = read_only_table(model, parent)
    table.setSortingEnabled(sortable)
    table.horizontalHeader().setStretchLastSection(True)
    return table
