"""Wires getting started into the main window: the toolbar, 帮助 → 使用说明 / 首次设置 / 载入演示数据,
the start page over an empty dashboard, and the first-run setup on a new installation."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QProgressDialog, QToolBar

from inspector.ui.shortcuts import set_shortcut

DEMO_INSPECTIONS = 40  # past inspections of the GUI's demo, on top of today's cases


def data_state(db) -> dict[str, int]:
    """Live enterprises, inspections and inspectors (a look off the GUI thread; portable SQL: file or server)."""
    from sqlalchemy import text

    with db.engine.connect() as connection:
        return {table: connection.execute(text(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL")).scalar_one()
                for table in ("enterprise", "inspection", "inspector")}


def load_demo(services, progress=None):
    from inspector.core.documents.notices import document_config

    options = dict(seed=1, inspections=DEMO_INSPECTIONS, living_office=True, config=document_config(services),
                   progress=progress)
    if services.on_server:  # an empty office database only: never mixed into real records
        from inspector.core.demo.server_demo import build_demo_on_server

        return build_demo_on_server(services.db, services.checklists.checklists, **options)
    from inspector.core.demo.generate import build_demo

    return build_demo(services.db, services.checklists.checklists, **options)


class SetupController(QObject):
    state_known = Signal(dict)
    demo_loaded = Signal(object)

    def __init__(self, window, offer_first_run: bool = False):
        super().__init__(window)
        self.window = window
        self.offer_first_run = offer_first_run
        self.state: dict[str, int] | None = None
        self.first_run = self.guide = self.progress = None
        self._start_page = None  # hidden until the data folder is known to be empty: built then
        self._help_actions()
        self.toolbar = self._toolbar()
        window.data_loaded.connect(self.check_state)
        window.tabs.currentChanged.connect(self._tab_changed)

    @staticmethod
    def confirm(parent, title: str, text: str, verb: str) -> bool:
        """Replaceable (tests): ``confirm(parent, title, text, verb) -> bool``."""
        from inspector.ui.dialogs import confirm

        return confirm(parent, title, text, verb)

    @property
    def start_page(self):
        """The start page over the dashboard's page (built on first use, not before the first frame)."""
        if self._start_page is None:
            from inspector.ui.setup.start_page import StartPage

            loop = getattr(self.window, "closed_loop", None)
            dashboard = loop.dashboard_tab if loop is not None else self.window.tabs.widget(0)  # built or not
            self._start_page = StartPage(dashboard, office=self.window.services.on_server)
            self._start_page.action_requested.connect(self.run_action)
        return self._start_page

    # --- menus and toolbar ----------------------------------------------------------------------

    def _help_actions(self) -> None:
        menu = self.window.help_menu
        first = menu.actions()[0] if menu.actions() else None
        self.guide_action = self._action(self.tr("&User guide"), self.open_guide, QKeySequence.StandardKey.HelpContents)
        self.setup_action = self._action(self.tr("&First-run setup…"), self.open_first_run)
        self.demo_action = self._action(self.tr("Load &demo data…"), self.ask_load_demo)
        for action in (self.guide_action, self.setup_action, self.demo_action):
            menu.insertAction(first, action)
        menu.insertSeparator(first)

    def _action(self, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            set_shortcut(action, shortcut)
        action.triggered.connect(lambda _=False: slot())
        return action

    def _toolbar(self) -> QToolBar:
        bar = QToolBar(self.tr("Main actions"), self.window)
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        self.window.after_first_frame(lambda: _text_only(bar))  # looks the same before: no action has an icon
        self.toolbar_actions: dict[str, QAction] = {}
        for key, text in (("inspect", self.tr("New inspection")), ("register", self.tr("Register enterprise")),
                          ("import", self.tr("Import enterprises")), ("dashboard", self.tr("To do")),
                          ("reinspect", self.tr("Re-inspection")), ("export", self.tr("Export data")),
                          ("refresh", self.tr("Refresh")), ("guide", self.tr("User guide"))):
            action = bar.addAction(text)
            action.triggered.connect(lambda _=False, k=key: self.run_action(k))
            self.toolbar_actions[key] = action
        self.window.addToolBar(bar)  # the top area
        return bar

    def run_action(self, key: str) -> None:
        window = self.window
        if key == "register":
            window.tabs.setCurrentWidget(window.records.enterprises)
            window.records.enterprises.register()
        elif key == "import":
            window.tabs.setCurrentWidget(window.records.enterprises)
            window.records.enterprises.choose_and_import()
        elif key == "inspect":
            window.records.new_inspection()
        elif key == "demo":
            self.ask_load_demo()
        elif key == "setup":
            self.open_first_run()
        elif key == "guide":
            self.open_guide()
        elif key == "dashboard":
            window.closed_loop.show_dashboard()
        elif key == "reinspect":
            window.closed_loop.open_reinspection(None)
        elif key == "export":
            window.sync.open_export()
        elif key == "refresh":
            window.refresh()

    # --- state of the data folder ---------------------------------------------------------------

    def check_state(self) -> None:
        self.window.tasks.submit(data_state, self.window.services.db, on_done=self._show_state)

    def _tab_changed(self, _index: int) -> None:
        """Back on the dashboard after registering the first enterprise elsewhere: look again."""
        tabs, page = self.window.tabs, self._start_page
        if page is not None and tabs.currentIndex() == tabs.indexOf(page.parentWidget()) and not page.isHidden():
            self.check_state()

    def _show_state(self, state: dict[str, int]) -> None:
        self.state = state
        empty = not state["enterprise"] and not state["inspection"]
        if empty:
            self.start_page.show_over_parent()
        elif self._start_page is not None:
            self._start_page.hide()
        if self.offer_first_run and not state["inspector"]:
            from inspector.ui.setup.first_run import first_run_due

            if first_run_due(self.window.services.settings):
                self.open_first_run()
        self.offer_first_run = False
        self.state_known.emit(state)

    # --- dialogs --------------------------------------------------------------------------------

    def open_first_run(self):
        from inspector.ui.setup.first_run import FirstRunDialog

        if self.first_run is not None and self.first_run.isVisible():
            self.first_run.raise_()
            return self.first_run
        from PySide6.QtCore import Qt

        dialog = FirstRunDialog(self.window.services, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setup_saved.connect(self.window.refresh)
        dialog.destroyed.connect(lambda _=None: setattr(self, "first_run", None))
        dialog.open()
        self.first_run = dialog
        return dialog

    def open_guide(self):
        from inspector.ui.setup.guide import GuideDialog

        from PySide6.QtCore import Qt

        if self.guide is None:
            self.guide = GuideDialog(self.window)
            self.guide.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.guide.destroyed.connect(lambda _=None: setattr(self, "guide", None))
        self.guide.show()
        self.guide.raise_()
        return self.guide

    def ask_load_demo(self) -> None:

        services = self.window.services
        if services.on_server:
            from inspector.db.server import safe_url

            text = self.tr("Fill this empty office database (%1) with invented demo enterprises, inspections, "
                           "hazards and documents, for training? Every office PC connected to it will see them; "
                           "use a database of its own for training, never the real one.").replace(
                "%1", safe_url(services.database_url))
        else:
            text = self.tr("Add invented demo enterprises, inspections, hazards and documents to this data folder "
                           "(%1)? Use an empty data folder of its own for real work.").replace(
                "%1", str(services.paths.root))
        if self.confirm(self.window, self.tr("Load demo data"), text, self.tr("Load")):
            self.load_demo()

    def load_demo(self) -> None:
        from PySide6.QtCore import Qt

        self.progress = QProgressDialog(self.tr("Building the demo office…"), "", 0, 0, self.window)
        self.progress.setObjectName("demoProgress")
        self.progress.setWindowTitle(self.tr("Load demo data"))
        self.progress.setCancelButton(None)  # one transaction: all or nothing, nothing to cancel halfway
        self.progress.setMinimumDuration(0)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.show()
        self.window.tasks.submit(load_demo, self.window.services, on_done=self._demo_done,
                                 on_error=self._demo_failed, on_progress=self._demo_progress)

    def _demo_progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _demo_done(self, result) -> None:
        self._close_progress()
        self.window.status.setText(self.tr("Demo loaded: %1 enterprises, %2 inspections, %3 documents.")
                                   .replace("%1", str(result.enterprises)).replace("%2", str(result.inspections))
                                   .replace("%3", str(result.documents)))
        self.window.refresh()
        self.window.closed_loop.show_dashboard()
        self.demo_loaded.emit(result)

    def _demo_failed(self, error: BaseException) -> None:
        self._close_progress()
        self.window.show_error(error)


def _text_only(bar: QToolBar) -> None:
    from PySide6.QtCore import Qt  # after the first frame: the Qt namespace costs 14 ms of start-up

    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)


def install_setup(window, offer_first_run: bool = False) -> SetupController:
    return SetupController(window, offer_first_run)
