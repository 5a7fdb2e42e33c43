"""Wires the record-keeping features into the main window: the enterprises tab, "New inspection"
(Ctrl+N), and opening an inspection (from the list or an enterprise's history) in its walk-through."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from inspector.ui.records.enterprises_view import EnterprisesView


class RecordsFlow(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._list_stale = False
        self.enterprises = EnterprisesView(window.services, window.tasks, window)
        window.tabs.addTab(self.enterprises, self.tr("Enterprises"))
        self.new_action = self._add_menu_action()
        window.inspections.inspection_activated.connect(self.open_inspection)
        self.enterprises.inspection_activated.connect(self.open_inspection)
        self.enterprises.new_inspection_requested.connect(self.new_inspection)
        window.data_loaded.connect(self.enterprises.refresh)
        window.tabs.currentChanged.connect(self._tab_changed)

    def _add_menu_action(self) -> QAction:
        action = QAction(self.tr("&New inspection…"), self.window)
        action.setShortcut(QKeySequence.StandardKey.New)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda: self.new_inspection())
        file_menu = self.window.menuBar().actions()[0].menu()
        file_menu.insertAction(file_menu.actions()[0] if file_menu.actions() else None, action)
        return action

    def new_inspection(self, enterprise_id: str | None = None):
        from inspector.ui.records.new_inspection_dialog import NewInspectionDialog

        dialog = NewInspectionDialog(self.window.services, enterprise_id, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.inspection_started.connect(self._started)
        dialog.open()
        self.dialog = dialog
        return dialog

    def open_inspection(self, inspection_id: str):
        from inspector.errors import UserError
        from inspector.ui.walkthrough.walkthrough_view import open_in_tabs

        try:
            view = open_in_tabs(self.window.tabs, self.window.services, inspection_id, self.window.tasks)
        except UserError as error:  # deleted meanwhile, or its checklist snapshot is missing
            self.window.show_error(error)
            return None
        if not getattr(view, "_flow_connected", False):
            view.inspection_changed.connect(self._changed)
            view.inspection_completed.connect(lambda _id: self._refresh_lists())
            view._flow_connected = True
        return view

    def current_walkthrough(self):
        from inspector.ui.walkthrough.walkthrough_view import WalkthroughView

        widget = self.window.tabs.currentWidget()
        return widget if isinstance(widget, WalkthroughView) else None

    def _started(self, inspection_id: str) -> None:
        self.open_inspection(inspection_id)
        self._refresh_lists()

    def _changed(self, _inspection_id: str) -> None:
        self._list_stale = True

    def _refresh_lists(self) -> None:
        self._list_stale = False
        self.window.refresh()

    def _tab_changed(self, index: int) -> None:
        widget = self.window.tabs.widget(index)
        if self._list_stale and widget in (self.window.inspections, self.enterprises):
            self._refresh_lists()


def install_records(window) -> RecordsFlow:
    return RecordsFlow(window)
