"""Wires the closed loop into the main window: the dashboard as the first tab, the re-inspection
and analysis tabs, hazard windows, the ledger dialog and a 闭环 menu."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMenu

from inspector.ui.reports.analysis_view import AnalysisView
from inspector.ui.loop.dashboard_view import DashboardView
from inspector.ui.loop.hazard_view import HazardView
from inspector.ui.loop.reinspection_view import ReinspectionView


def _sync_notices(db) -> int:
    from inspector.core.loop.hazards import sync_notice_events

    return sync_notice_events(db)


class ClosedLoop(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        services, tasks = window.services, window.tasks
        self.dashboard = DashboardView(services, tasks, window)
        self.reinspection = ReinspectionView(services, tasks, window)
        self.analysis = AnalysisView(services, tasks, window)
        window.tabs.insertTab(0, self.dashboard, self.tr("To do"))
        window.tabs.setCurrentIndex(0)
        window.tabs.addTab(self.reinspection, self.tr("Re-inspection"))
        window.tabs.addTab(self.analysis, self.tr("Monthly analysis"))
        self.hazard_views: dict[str, HazardView] = {}
        self.ledger_dialog = None
        self._menu()
        self.dashboard.hazard_activated.connect(self.open_hazard)
        self.dashboard.reinspection_requested.connect(self.open_reinspection)
        self.reinspection.reinspection_changed.connect(lambda _id: self.changed())
        self.reinspection.review_issued.connect(lambda _id: self.changed())
        window.data_loaded.connect(self.refresh)
        window.tabs.currentChanged.connect(self._tab_changed)
        notices = getattr(window, "notices", None)  # the 文书 tab: its list reloads after every issue/void
        if notices is not None and hasattr(notices, "notices_changed"):
            notices.notices_changed.connect(self.notices_changed)
        if notices is not None and hasattr(getattr(notices, "model", None), "modelReset"):
            notices.model.modelReset.connect(self.notices_changed)

    def _menu(self) -> None:
        menu = QMenu(self.tr("Closed &loop"), self.window)
        menus = self.window.menuBar().actions()
        if menus:  # before the Help menu, which stays last
            self.window.menuBar().insertMenu(menus[-1], menu)
        else:
            self.window.menuBar().addMenu(menu)
        menu.addAction(self.tr("&To-do dashboard"), self.show_dashboard)
        menu.addAction(self.tr("&Re-inspection…"), lambda: self.open_reinspection(None))
        menu.addAction(self.tr("Export hazard &ledger…"), self.open_ledger)
        menu.addAction(self.tr("&Monthly analysis"), lambda: self.window.tabs.setCurrentWidget(self.analysis))
        self.menu = menu

    def refresh(self) -> None:
        self.dashboard.refresh()
        self.reinspection.refresh()
        self.analysis.refresh()

    def changed(self) -> None:
        """After a step anywhere in the loop: recount the dashboard, reload open hazard windows."""
        self.dashboard.refresh()
        for view in self.hazard_views.values():
            view.reload()

    def notices_changed(self) -> None:
        """A notice was issued or voided. Issuing already moved its hazards to 整改中; the sweep
        catches notices that arrived without their history (a safety net), then views reload."""
        self.window.tasks.submit(_sync_notices, self.window.services.db, on_done=self._notices_synced)

    def _notices_synced(self, _written: int) -> None:
        self.changed()
        self.reinspection.reload()

    def _tab_changed(self, index: int) -> None:
        widget = self.window.tabs.widget(index)
        if widget is self.dashboard and self.dashboard.board is not None:
            self.dashboard.refresh()
        elif widget is self.reinspection:
            self.reinspection.reload()

    def show_dashboard(self) -> None:
        self.window.tabs.setCurrentWidget(self.dashboard)

    def open_hazard(self, finding_id: str) -> HazardView:
        view = self.hazard_views.get(finding_id)
        if view is None:
            view = HazardView(self.window.services, self.window.tasks, self.window)
            view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            view.destroyed.connect(lambda _=None, key=finding_id: self.hazard_views.pop(key, None))
            view.hazard_changed.connect(lambda _id: self._hazard_changed())
            view.reinspection_requested.connect(self.open_reinspection)
            self.hazard_views[finding_id] = view
            view.show_hazard(finding_id)
        view.show()
        view.raise_()
        view.activateWindow()
        return view

    def _hazard_changed(self) -> None:
        self.dashboard.refresh()
        self.reinspection.reload()

    def open_reinspection(self, enterprise_id: str | None) -> ReinspectionView:
        self.window.tabs.setCurrentWidget(self.reinspection)
        self.reinspection.refresh()
        if enterprise_id:
            self.reinspection.open_enterprise(enterprise_id)
        return self.reinspection

    def open_ledger(self):
        from inspector.ui.reports.ledger_dialog import LedgerDialog

        dialog = LedgerDialog(self.window.services, self.window.tasks, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.ledger_dialog = dialog
        return dialog


def install_closed_loop(window) -> ClosedLoop:
    return ClosedLoop(window)
