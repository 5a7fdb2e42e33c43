"""Start an inspection: enterprise, one or more checklists, at least two inspectors, place, start time.

The inspectors of the previous inspection are ticked; the lists of the selected enterprise's
industry are proposed (again for each enterprise selected, until the person changes the ticks). Open with ``open()``; ``inspection_started(id)`` reports the new draft.
Enter in the inspector name or 执法证号 adds the inspector (it does not submit the dialog);
an enterprise not yet registered is registered from here (登记企业…), with no list to leave.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QEvent, QTimeZone, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from inspector.core.common.clock import CHINA_TZ
from inspector.ui.date_edit import DateTimeEdit
from inspector.ui.records.check_list_model import CheckListModel
from inspector.ui.table_model import Column, RowRole, RowTableModel, SearchProxyModel, read_only_table
from inspector.ui.wheel_guard import guard_wheel

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class NewInspectionDialog(QDialog):
    inspection_started = Signal(str)
    enterprise_registered = Signal(str)

    def __init__(self, services, enterprise_id: str | None = None, parent=None):
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("New inspection"))
        self.resize(760, 640)
        self.enterprise_model = RowTableModel([
            Column(self.tr("Enterprise"), lambda e: e.name),
            Column(self.tr("Sector"), lambda e: e.industry),
        ], search_key=lambda e: f"{e.name} {e.name_initials} {e.credit_code or ''}", parent=self)
        self.enterprise_proxy = SearchProxyModel(self)
        self.enterprise_proxy.setSourceModel(self.enterprise_model)
        self.enterprise_search = QLineEdit(self)
        self.enterprise_search.setPlaceholderText(self.tr("Search name, pinyin initials or credit code"))
        self.enterprise_search.textChanged.connect(self._filter_enterprises)
        self.enterprises = self._make_enterprise_table()
        self.register_button = QPushButton(self.tr("Register enterprise…"), self)
        self.register_button.clicked.connect(self.register_enterprise)
        self.enterprise_dialog = None
        self.empty_hint = QLabel(self.tr("No enterprise is registered yet: register the enterprise you inspect "
                                         "first (登记企业…), or import the office's list in the Enterprises tab."), self)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: #8d6e00; background: #fff8e1; padding: 6px")
        self.checklist_model = CheckListModel(lambda c: f"{c.title}（{c.version}，{len(c.items)}）", lambda c: c.id, self)
        self.inspector_model = CheckListModel(lambda p: f"{p.name}  {p.certificate_no}".strip(), lambda p: p.id, self)
        self.checklists = _check_list(self, self.checklist_model)
        self._proposed: set[str] = set()  # the lists this dialog ticked itself, while the person keeps them
        self.inspectors = _check_list(self, self.inspector_model)
        self.new_inspector_name = QLineEdit(self)
        self.new_inspector_name.setPlaceholderText(self.tr("Name"))
        self.new_inspector_cert = QLineEdit(self)
        self.new_inspector_cert.setPlaceholderText(self.tr("Law-enforcement certificate no."))
        self.add_inspector_button = QPushButton(self.tr("Add inspector"), self)
        self.add_inspector_button.clicked.connect(self.add_inspector)
        self.add_inspector_button.setAutoDefault(False)
        for field in (self.new_inspector_name, self.new_inspector_cert):
            field.installEventFilter(self)  # Enter adds the inspector
        self.place = QLineEdit(self)
        self.place.setPlaceholderText(self.tr("e.g. ammonia machine room, cold store"))
        self.started = DateTimeEdit(self)
        self.started.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.started.setCalendarPopup(True)
        self.started.setTimeZone(QTimeZone(8 * 3600))
        self.started.setDateTime(QDateTime.currentDateTime())
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start inspection"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self._layout()
        guard_wheel(self)
        self._load(enterprise_id)

    def _make_enterprise_table(self) -> QTableView:
        table = read_only_table(self.enterprise_proxy, self)
        table.horizontalHeader().setStretchLastSection(True)
        table.setColumnWidth(0, 360)
        table.selectionModel().currentRowChanged.connect(lambda *_: self._propose_checklist())
        return table

    def _layout(self) -> None:
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_inspector_name)
        add_row.addWidget(self.new_inspector_cert)
        add_row.addWidget(self.add_inspector_button)
        form = QFormLayout()
        form.addRow(self.tr("Place"), self.place)
        form.addRow(self.tr("Start time"), self.started)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Enterprise"), self))
        search = QHBoxLayout()
        search.addWidget(self.enterprise_search, 1)
        search.addWidget(self.register_button)
        layout.addLayout(search)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.enterprises, 2)
        lists = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(QLabel(self.tr("Checklists (one or more)"), self))
        left.addWidget(self.checklists)
        right.addWidget(QLabel(self.tr("Inspectors (at least two)"), self))
        right.addWidget(self.inspectors)
        right.addLayout(add_row)
        lists.addLayout(left, 1)
        lists.addLayout(right, 1)
        layout.addLayout(lists, 2)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _load(self, enterprise_id: str | None) -> None:
        from inspector.core.records.enterprises import list_enterprises
        from inspector.core.records.inspectors import last_inspector_ids, list_inspectors

        db = self.services.db
        self.enterprise_model.set_rows(list_enterprises(db))
        self.empty_hint.setVisible(self.enterprise_model.rowCount() == 0)
        self.checklist_model.set_rows(self.services.checklists.checklists)
        self.inspector_model.set_rows(list_inspectors(db), last_inspector_ids(self.services.settings, db))
        if enterprise_id:
            self.select_enterprise(enterprise_id)

    def select_enterprise(self, enterprise_id: str) -> bool:
        self.enterprise_search.clear()
        self.enterprise_proxy.set_query("")
        for row in range(self.enterprise_proxy.rowCount()):
            if self.enterprise_proxy.index(row, 0).data(RowRole).id == enterprise_id:
                self.enterprises.selectRow(row)
                return True
        return False

    def selected_enterprise(self):
        index = self.enterprises.currentIndex()
        return index.data(RowRole) if index.isValid() else None

    def _filter_enterprises(self, text: str) -> None:
        self.enterprise_proxy.set_query(text)
        if self.enterprise_proxy.rowCount() and self.selected_enterprise() is None:
            self.enterprises.selectRow(0)

    def _propose_checklist(self) -> None:
        """Tick the lists of the chosen enterprise's industry, unless the person has chosen lists.

        Typing the search selects the first match on the way to the enterprise wanted, so the lists
        proposed for an earlier selection are replaced; ticks the person changed are left alone.
        """
        enterprise = self.selected_enterprise()
        ticked = {checklist.id for checklist in self.checklist_model.checked_rows()}
        if enterprise is None or (ticked and ticked != self._proposed):
            return
        for key in ticked:
            self.checklist_model.set_checked(key, False)
        for checklist in self.checklist_model.rows:
            if checklist.suits(enterprise.industry):
                self.checklist_model.set_checked(checklist.id, True)
        self._proposed = {checklist.id for checklist in self.checklist_model.checked_rows()}

    def register_enterprise(self):
        """登记企业 without leaving: the enterprise dialog on top; the new enterprise is then selected."""
        from inspector.ui.records.enterprise_dialog import EnterpriseDialog

        dialog = EnterpriseDialog(self.services, None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.enterprise_saved.connect(self._enterprise_registered)
        self.enterprise_dialog = dialog
        dialog.open()
        return dialog

    def _enterprise_registered(self, enterprise_id: str) -> None:
        from inspector.core.records.enterprises import list_enterprises

        self.enterprise_model.set_rows(list_enterprises(self.services.db))
        self.empty_hint.setVisible(self.enterprise_model.rowCount() == 0)
        self.select_enterprise(enterprise_id)
        self.error.clear()
        self.enterprise_registered.emit(enterprise_id)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override: Enter in the inspector fields
        if event.type() == QEvent.Type.KeyPress and event.key() in ENTER_KEYS \
                and watched in (self.new_inspector_name, self.new_inspector_cert):
            self.add_inspector()
            return True
        return super().eventFilter(watched, event)

    def add_inspector(self) -> None:
        from inspector.core.records.inspectors import add_inspector
        from inspector.errors import UserError

        try:
            person = add_inspector(self.services.db, name=self.new_inspector_name.text(),
                                   certificate_no=self.new_inspector_cert.text())
        except UserError as error:
            self.error.setText(error.message)
            return
        self.inspector_model.append(person, checked=True)
        self.new_inspector_name.clear()
        self.new_inspector_cert.clear()
        self.error.clear()
        self.new_inspector_name.setFocus()  # ready for the next one

    def start(self) -> None:
        from inspector.core.records.inspections import start_inspection
        from inspector.errors import UserError

        enterprise = self.selected_enterprise()
        if enterprise is None:
            self.error.setText(self.tr("Choose the enterprise to inspect."))
            return
        try:
            inspection = start_inspection(
                self.services.db, enterprise_id=enterprise.id, checklists=self.checklist_model.checked_rows(),
                inspector_ids=[p.id for p in self.inspector_model.checked_rows()], place=self.place.text().strip(),
                started_at=self._started_at(), settings=self.services.settings)
        except UserError as error:
            self.error.setText(error.message)
            return
        self.inspection_started.emit(inspection.id)
        self.accept()

    def _started_at(self) -> datetime:
        seconds = self.started.dateTime().toSecsSinceEpoch()
        return datetime.fromtimestamp(seconds, CHINA_TZ)


def _check_list(parent, model) -> QListView:
    view = QListView(parent)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return view
