"""Wires the closed loop into the main window: the dashboard as the first tab, the re-inspection
and analysis tabs, hazard windows, the ledger dialog and a 闭环 menu."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu


def _sync_notices(db) -> int:
    from inspector.core.loop.hazards import sync_notice_events

    return sync_notice_events(db)


def _dashboard_view(services, tasks, parent):
    from inspector.ui.loop.dashboard_view import DashboardView

    return DashboardView(services, tasks, parent)


def _reinspection_view(services, tasks, parent):
    from inspector.ui.loop.reinspection_view import ReinspectionView

    return ReinspectionView(services, tasks, parent)


def _analysis_view(services, tasks, parent):
    from inspector.ui.reports.analysis_view import AnalysisView

    return AnalysisView(services, tasks, parent)


class ClosedLoop(QObject):
    """The three tabs are built when first shown (or first needed: ``self.dashboard`` builds it)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        tabs = window.tabs
        self.dashboard_tab = tabs.add_lazy(lambda parent: self._made(_dashboard_view, parent), self.tr("To do"), 0)
        window.tabs.setCurrentIndex(0)
        self.reinspection_tab = tabs.add_lazy(lambda parent: self._made(_reinspection_view, parent),
                                              self.tr("Re-inspection"))
        self.analysis_tab = tabs.add_lazy(lambda parent: self._made(_analysis_view, parent), self.tr("Monthly analysis"))
        self.hazard_views: dict = {}
        self.ledger_dialog = None
        self._menu()
        self.dashboard_tab.when_built(self._connect_dashboard)
        self.reinspection_tab.when_built(self._connect_reinspection)
        window.data_loaded.connect(self.refresh)
        window.tabs.currentChanged.connect(self._tab_changed)
        notices = getattr(window, "notices_tab", None)  # the 文书 tab: its list reloads after every issue/void
        if notices is not None:
            notices.when_built(self._connect_notices)

    @property
    def dashboard(self):
        return self.dashboard_tab.content()

    @property
    def reinspection(self):
        return self.reinspection_tab.content()

    @property
    def analysis(self):
        return self.analysis_tab.content()

    def _made(self, make, parent):
        view = make(self.window.services, self.window.tasks, parent)
        if self.window.has_data:
            view.refresh()
        return view

    def _connect_dashboard(self, dashboard) -> None:
        dashboard.hazard_activated.connect(self.open_hazard)
        dashboard.reinspection_requested.connect(self.open_reinspection)

    def _connect_reinspection(self, reinspection) -> None:
        reinspection.reinspection_changed.connect(lambda _id: self.changed())
        reinspection.review_issued.connect(lambda _id: self.changed())

    def _connect_notices(self, notices) -> None:
        if hasattr(notices, "notices_changed"):
            notices.notices_changed.connect(self.notices_changed)
        if hasattr(getattr(notices, "model", None), "modelReset"):
            notices.model.modelReset.connect(self.notices_changed)

    def _built(self):
        """The views built so far (the others load when first shown)."""
        pages = (self.dashboard_tab, self.reinspection_tab, self.analysis_tab)
        return [page.built_content() for page in pages if page.built]

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
        for view in self._built():
            view.refresh()

    def changed(self) -> None:
        """After a step anywhere in the loop: recount the dashboard, reload open hazard windows."""
        if self.dashboard_tab.built:
            self.dashboard.refresh()
        for view in self.hazard_views.values():
            view.reload()

    def notices_changed(self) -> None:
        """A notice was issued or voided. Issuing already moved its hazards to 整改中; the sweep
        catches notices that arrived without their history (a safety net), then views reload."""
        self.window.tasks.submit(_sync_notices, self.window.services.db, on_done=self._notices_synced)

    def _notices_synced(self, _written: int) -> None:
        self.changed()
        if self.reinspection_tab.built:
            self.reinspection.reload()

    def _tab_changed(self, index: int) -> None:
        widget = self.window.tabs.widget(index)
        dashboard, reinspection = self.dashboard_tab.built_content(), self.reinspection_tab.built_content()
        if widget is None:
            return
        if widget is dashboard and dashboard.board is not None:
            dashboard.refresh()
        elif widget is reinspection:
            reinspection.reload()

    def show_dashboard(self) -> None:
        self.window.tabs.setCurrentWidget(self.dashboard)

    def open_hazard(self, finding_id: str):
        from PySide6.QtCore import Qt

        from inspector.ui.loop.hazard_view import HazardView
        from inspector.ui.window_fit import fitter_paused

        view = self.hazard_views.get(finding_id)
        if view is None:
            with fitter_paused():  # it acts when the window is shown, below
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
        for page, step in ((self.dashboard_tab, "refresh"), (self.reinspection_tab, "reload")):
            if page.built:
                getattr(page.content(), step)()

    def open_reinspection(self, enterprise_id: str | None):
        self.window.tabs.setCurrentWidget(self.reinspection)
        self.reinspection.refresh()
        if enterprise_id:
            self.reinspection.open_enterprise(enterprise_id)
        return self.reinspection

    def open_ledger(self):
        from PySide6.QtCore import Qt

        from inspector.ui.reports.ledger_dialog import LedgerDialog

        from inspector.ui.window_fit import fitter_paused

        with fitter_paused():
            dialog = LedgerDialog(self.window.services, self.window.tasks, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.ledger_dialog = dialog
        return dialog


def install_closed_loop(window) -> ClosedLoop:
    return ClosedLoop(window)
