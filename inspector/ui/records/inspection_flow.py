"""Wires the record-keeping features into the main window: the enterprises tab, "New inspection"
(Ctrl+N), and opening an inspection (from the list or an enterprise's history) in its walk-through.

No edit is lost on the way out: a walk-through tab's × and quitting the window first store the
pending edits; an edit the database refuses is asked about (继续编辑 / 放弃修改) instead of dropped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QIcon, QKeySequence

from inspector.ui.shortcuts import set_shortcut

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox


class RecordsFlow(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._list_stale = False
        self._quit_discarding = False
        self.unsaved_question: QMessageBox | None = None
        self.enterprises_tab = window.tabs.add_lazy(self._make_enterprises, self.tr("Enterprises"))
        self.new_action = self._add_menu_action()
        window._inspections_page.when_built(lambda view: view.inspection_activated.connect(self.open_inspection))
        window.data_loaded.connect(self._data_loaded)
        window.tabs.currentChanged.connect(self._tab_changed)

    @property
    def enterprises(self):
        """The 企业 view (built now if it was not yet)."""
        return self.enterprises_tab.content()

    def _make_enterprises(self, parent):
        from inspector.ui.records.enterprises_view import EnterprisesView

        view = EnterprisesView(self.window.services, self.window.tasks, parent)
        view.inspection_activated.connect(self.open_inspection)
        view.new_inspection_requested.connect(self.new_inspection)
        if self.window.has_data:
            view.refresh()
        return view

    def _data_loaded(self) -> None:
        if self.enterprises_tab.built:
            self.enterprises.refresh()

    def _add_menu_action(self) -> QAction:
        action = QAction(self.tr("&New inspection…"), self.window)
        set_shortcut(action, QKeySequence.StandardKey.New)  # a QAction's shortcut works in its whole window
        action.triggered.connect(lambda: self.new_inspection())
        file_menu = self.window.menuBar().actions()[0].menu()
        file_menu.insertAction(file_menu.actions()[0] if file_menu.actions() else None, action)
        return action

    def new_inspection(self, enterprise_id: str | None = None):
        from inspector.ui.records.new_inspection_dialog import NewInspectionDialog

        from PySide6.QtCore import Qt

        dialog = NewInspectionDialog(self.window.services, enterprise_id, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.inspection_started.connect(self._started)
        dialog.enterprise_registered.connect(self._enterprise_registered)
        dialog.open()
        self.dialog = dialog
        return dialog

    def open_inspection(self, inspection_id: str):
        from inspector.errors import UserError
        from inspector.ui.walkthrough.walkthrough_tabs import open_in_tabs

        try:
            view = open_in_tabs(self.window.tabs, self.window.services, inspection_id, self.window.tasks,
                                close_tab=self.close_walkthrough)
        except UserError as error:  # deleted meanwhile, or its checklist snapshot is missing
            self.window.show_error(error)
            return None
        if not getattr(view, "_flow_connected", False):
            view.inspection_changed.connect(self._changed)
            view.inspection_completed.connect(lambda _id: self._refresh_lists())
            view._flow_connected = True
        return view

    def walkthroughs(self) -> list:
        import sys

        if "inspector.ui.walkthrough.walkthrough_view" not in sys.modules:
            return []  # none was ever opened (and quitting need not import the walk-through and SQLModel)
        from inspector.ui.walkthrough.walkthrough_view import WalkthroughView

        tabs = self.window.tabs
        return [tabs.widget(i) for i in range(tabs.count()) if isinstance(tabs.widget(i), WalkthroughView)]

    def close_walkthrough(self, view) -> None:
        """The tab's ×: close once the edits are stored; a refused edit is asked about first."""
        from inspector.ui.walkthrough.walkthrough_tabs import discard_tab

        if view.editor.photos.busy:
            view._set_saved(self.tr("Photos are still being imported; close the tab when they are done."), "#b71c1c")
            return
        problem = view.save_pending_edits()
        if problem is None:
            discard_tab(view)
            return
        self.window.tabs.setCurrentWidget(view)
        self._ask_about_unsaved(problem, self.tr("Discard and close"), lambda: discard_tab(view))

    def ready_to_close(self) -> bool:
        """Before the window closes: every walk-through's edits stored, or the user chose to discard them."""
        if self._quit_discarding:
            return True
        for view in self.walkthroughs():
            if not view.editor.flush():
                self.window.tabs.setCurrentWidget(view)
                self._ask_about_unsaved(view.editor.last_error, self.tr("Discard and quit"), self._quit_anyway)
                return False
        return True

    def _quit_anyway(self) -> None:
        self._quit_discarding = True
        self.window.close()

    def _ask_about_unsaved(self, problem: str, discard_text: str, on_discard) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox  # here: not before the first frame

        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Unsaved changes"),
                          self.tr("Changes to this item could not be saved: %1\nKeep editing to correct them, "
                                  "or discard them.").replace("%1", problem),
                          QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard, self.window)
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("Keep editing"))
        box.button(QMessageBox.StandardButton.Cancel).setIcon(QIcon())  # not the ✗ of 取消: nothing is cancelled
        box.button(QMessageBox.StandardButton.Discard).setText(discard_text)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: on_discard() if button is box.button(QMessageBox.StandardButton.Discard) else None)
        self.unsaved_question = box
        box.open()

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

    def _enterprise_registered(self, enterprise_id: str) -> None:
        if self.enterprises_tab.built:  # else it loads (with the new one) when first shown
            self.enterprises.refresh(enterprise_id)

    def _tab_changed(self, index: int) -> None:
        widget = self.window.tabs.widget(index)
        lists = (self.window._inspections_page.built_content(), self.enterprises_tab.built_content())
        if self._list_stale and widget is not None and any(widget is view for view in lists):
            self._refresh_lists()


def install_records(window) -> RecordsFlow:
    return RecordsFlow(window)
