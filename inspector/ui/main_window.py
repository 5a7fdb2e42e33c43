"""The main window: tabs for inspections and checklists, menus, status bar.

It is the frame later features plug into: each feature is its own view or dialog module.

Start-up: the first frame shows the frame only (menus, toolbar, every tab's title); each tab's view
is built when it is first shown (:mod:`inspector.ui.lazy_tabs`), and the database opens, the data
loads and the background checks start after that first frame (:meth:`MainWindow.after_first_frame`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal  # not Qt: see _show_busy
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QToolBar

from inspector.ui.layout_style import LayoutStyle
from inspector.ui.lazy_tabs import LazyTabWidget
from inspector.ui.shortcuts import set_shortcut
from inspector.ui.tasks import TaskRunner

BUSY_AFTER_MS = 300  # a load still running after this shows the busy cursor
WARM_AFTER_MS = 1500  # after the first load: the 检查表 view is built ahead (_warm_checklists)
NO_FOCUS = 0  # Qt.FocusPolicy.NoFocus as a number: the enum would create the Qt namespace's ~95 enum classes


def _load_summaries(db):
    """Off the GUI thread: the inspection list and its search keys."""
    from inspector.db.queries import inspection_summaries
    from inspector.core.records.inspection_search import search_keys

    with db.session() as session:
        summaries = inspection_summaries(session)
    return summaries, search_keys(summaries)


def _load_data(services):
    """Off the GUI thread: open the database (first time: migrations, refusal of bad files) and the checklists."""
    services.db
    return services.checklists


def _check_database(services):
    from inspector.ui.sync.sync_common import check_task  # already imported on the GUI thread: a look-up

    return check_task(services)  # the file's checks, or the office database's


def _build_inspections(parent):
    from inspector.ui.records.inspections_view import InspectionsView

    return InspectionsView(parent)


def _build_checklists(parent):
    from inspector.ui.records.checklists_view import ChecklistsView

    return ChecklistsView(parent)


class _FirstExpose(QObject):
    """Calls ``callback`` once, from the event loop, after the window's first frame is on screen."""

    def __init__(self, window, callback):
        super().__init__(window)
        self.callback = callback
        handle = window.windowHandle()
        if handle.isExposed():
            QTimer.singleShot(0, callback)
        else:
            handle.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Expose and watched.isExposed():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.callback)  # after this expose has been painted
        return False


class _Slices(QObject):
    """Runs ``steps`` one per event-loop pass, so input, repaints and timers are served between them;
    a child of ``owner``: if the window goes away first, the rest is dropped with it."""

    def __init__(self, owner, steps: list):
        super().__init__(owner)
        self.steps = list(steps)
        self.timer = QTimer(self, singleShot=True, interval=0)
        self.timer.timeout.connect(self._next)
        self._next()

    def _next(self) -> None:
        if self.steps:
            self.steps.pop(0)()
        if self.steps:
            self.timer.start()
        else:
            self.deleteLater()


class MainWindow(QMainWindow):
    data_loaded = Signal()
    data_unavailable = Signal(str)

    def __init__(self, services, parent=None, offer_first_run: bool = False):
        super().__init__(parent)
        self.services = services
        self.setObjectName("MainWindow")  # its geometry is remembered under this name
        self.tasks = TaskRunner(self)
        self.tasks.task_failed.connect(self.show_error)
        from inspector.ui.setup.office_connection import window_title

        self.setWindowTitle(window_title(services, self.tr("Xingguo ETDZ Work-Safety Inspection")))
        self.resize(1200, 680)  # fits 1280×720 when not maximised; the application fits it to the screen
        self._busy = False
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self.has_data = False  # the database is open and the first load has arrived
        self.recover_dialog = None  # shown when the file cannot be opened and backups exist
        self.recover_note = ""
        self._checklist_data = None
        self._inspections_loaded = None  # (summaries, keys) fetched while the 检查记录 tab was not built yet
        self._first_frame: list | None = []  # callbacks waiting for the first frame; None once it is shown
        self._after_current_tab: list = []  # callbacks waiting for the first frame and the current tab
        self._layout_style = LayoutStyle()  # no layout animation (inspector.ui.layout_style)
        self.tabs = LazyTabWidget(self)
        self._layout_style.apply(self.tabs)
        self.tabs.tabBar().setProperty("focusPolicy", NO_FOCUS)  # until the first frame: see _focus_as_activated
        self._inspections_page = self.tabs.add_lazy(self._make_inspections, self.tr("Inspections"))
        self._checklists_page = self.tabs.add_lazy(self._make_checklists, self.tr("Checklists"))
        self.setCentralWidget(self.tabs)
        self.status = QLabel(self)
        self.statusBar().addPermanentWidget(self.status)
        self._build_menus()
        self._install_features(offer_first_run)

    def _install_features(self, offer_first_run: bool) -> None:
        """Each feature adds its tabs (built when first shown), menus and toolbars."""
        from inspector.ui.records.inspection_flow import install_records

        self.records = install_records(self)  # 企业 tab, 新建检查 (Ctrl+N), walk-through of an opened inspection
        from inspector.ui.documents.notices_tab import install_notices

        self.notices_tab = install_notices(self)  # 文书 tab and menu, 生成文书 on the inspections list
        from inspector.ui.loop.closed_loop import install_closed_loop

        self.closed_loop = install_closed_loop(self)  # 待办 dashboard (first tab), 复查, 月度分析, 闭环 menu, 台账
        from inspector.ui.sync.controller import install_sync

        self.sync = install_sync(self)  # 同步 menu (export, merge, backups), not-yet-exported banner, scheduled backups
        from inspector.ui.setup.controller import install_setup

        self.setup = install_setup(self, offer_first_run)  # toolbar, 使用说明, 首次设置, start page, demo

    # --- the tabs' views, built when first shown ------------------------------------------------

    @property
    def inspections(self):
        """The 检查记录 view (built now if it was not yet)."""
        return self._inspections_page.content()

    @property
    def checklists(self):
        return self._checklists_page.content()

    @property
    def notices(self):
        """The 文书 view (built now if it was not yet)."""
        return self.notices_tab.content()

    def _make_inspections(self, parent):
        view = _build_inspections(parent)
        loaded, self._inspections_loaded = self._inspections_loaded, None
        if loaded is not None:  # fetched with the first load, before the background chores start
            view.set_inspections(*loaded)
        elif self.has_data:
            self._reload_inspections()
        return view

    def _make_checklists(self, parent):
        view = _build_checklists(parent)
        if self._checklist_data is not None:
            view.set_checklists(self._checklist_data)
        return view

    # --- after the first frame ------------------------------------------------------------------

    def after_first_frame(self, callback, last: bool = False) -> None:
        """Run ``callback`` once the window's first frame is on screen (now, if it is already); ``last``:
        after the current tab has been built too (the window fitter: its application-wide filter would
        see every event of that build, doubling its ~16 ms)."""
        if self._first_frame is None:
            callback()
        elif last:
            self._after_current_tab.append(callback)
        else:
            self._first_frame.append(callback)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._first_frame is not None and not hasattr(self, "_expose_watch"):
            self._expose_watch = _FirstExpose(self, self._first_frame_shown)

    def _first_frame_shown(self) -> None:
        """The deferred work, one piece per event-loop pass (:class:`_Slices`): together it is ~50 ms of
        GUI-thread CPU (the current tab's view alone ~30), which in one pass was the window's longest
        stall. The data load first (its worker opens the database meanwhile), the current tab last
        (``tabs.building_enabled`` then says the rest has run but what asked to come ``last``)."""
        waiting, self._first_frame = self._first_frame or [], None
        _Slices(self, waiting + [self._layout_style.first_frame_shown, self._focus_as_activated,
                                 self.tabs.build_current] + self._after_current_tab)

    def _focus_as_activated(self) -> None:
        """The tab bar takes focus now, as Qt gives it when the window is activated. Until the first frame it
        takes none: Qt sends every focus change to the focused widget's style too, and that event passing a
        Python event filter creates ``QStyle``'s Python type (47 M instructions). On X11 and Wayland the
        window manager activates a window after it is mapped anyway; offscreen, Qt activates it on show."""
        from PySide6.QtCore import Qt

        bar = self.tabs.tabBar()
        bar.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # QTabBar's own policy
        if self.isActiveWindow() and QApplication.focusWidget() is None:
            bar.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def addToolBar(self, *args):  # noqa: N802 - Qt API: every toolbar is laid out without animation
        bar = super().addToolBar(*args)
        for toolbar in [bar] + list(args):
            if isinstance(toolbar, QToolBar):
                self._layout_style.apply(toolbar)
        return bar

    def insertToolBar(self, before, toolbar) -> None:  # noqa: N802 - Qt API
        self._layout_style.apply(toolbar)
        super().insertToolBar(before, toolbar)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self._action(file_menu, self.tr("&Refresh"), self.refresh, QKeySequence.StandardKey.Refresh)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("&Connect to the office database…"), lambda: self.office_database())
        self._action(file_menu, self.tr("&Disconnect the office database"), lambda: self.office_database(forget=True))
        file_menu.addSeparator()
        self._action(file_menu, self.tr("E&xit"), self.close, QKeySequence("Ctrl+Q"))  # StandardKey.Quit is empty on Windows
        tools = self.menuBar().addMenu(self.tr("&Tools"))
        self._action(tools, self.tr("&Check database"), self.check_database)
        self.help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self._action(self.help_menu, self.tr("&About"), self.about)

    def _action(self, menu, text, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            set_shortcut(action, shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- data -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """(Re)load everything in the background; the window is usable at once."""
        self.status.setText(self.tr("Loading inspections…"))
        self._busy_timer.start()
        self.tasks.submit(_load_data, self.services, on_done=self._show_data, on_error=self._load_failed)

    def _show_busy(self) -> None:
        """The load takes a while: a busy cursor (the window stays usable) until it is done."""
        from PySide6.QtCore import Qt  # here, not at import: # no Qt namespace before the first frame: its first use creates ~95 enum classes (14 ms)

        if not self._busy:
            self._busy = True
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

    def _end_busy(self) -> None:
        self._busy_timer.stop()
        if self._busy:
            self._busy = False
            QApplication.restoreOverrideCursor()

    def _show_data(self, checklists) -> None:
        """The database is open: the checklists, then the inspection list, then ``data_loaded``."""
        self._checklist_data = checklists
        if self._checklists_page.built:
            self.checklists.set_checklists(checklists)
        self._reload_inspections(then=self._data_shown)

    def _reload_inspections(self, then=None) -> None:
        """The list in the background; kept for the tab if it has not been opened yet (at 100,000
        inspections the query takes seconds: done before the chores start, opening the tab is instant)."""
        def show(loaded) -> None:
            if self._inspections_page.built:
                self.inspections.set_inspections(*loaded)
            else:
                self._inspections_loaded = loaded
            if then is not None:
                then()

        self.tasks.submit(_load_summaries, self.services.db, on_done=show, on_error=self._load_failed)

    def _data_shown(self) -> None:
        self._end_busy()
        self.has_data = True
        from inspector.ui.setup.office_connection import database_text

        self.status.setText(database_text(self.services))  # the data folder, or the office database (no password)
        self.data_loaded.emit()
        if not hasattr(self, "_warm_timer"):  # the first load
            self._warm_timer = QTimer(self, singleShot=True, interval=WARM_AFTER_MS)
            self._warm_timer.timeout.connect(self._warm_checklists)
            self._warm_timer.start()

    def _warm_checklists(self) -> None:
        """The 检查表 tab's view built and painted once off screen, a piece per event-loop pass, a while after
        the first load: its first show was the slowest of any tab (41–46 ms of GUI-thread CPU at the click:
        the items' table, the row heights, and Qt shaping and rasterising their Chinese legal text for
        the first time); shown again it takes a third of that."""
        from inspector.ui.window_fit import fitter_paused

        def paint() -> None:
            with fitter_paused():
                self._checklists_page.content().grab()

        if not self._checklists_page.built:
            _Slices(self, [self._checklists_page.content, paint])

    def _load_failed(self, error: BaseException) -> None:
        from inspector.errors import UserError

        self._end_busy()
        if not isinstance(error, UserError):
            return self.show_error(error)
        from inspector.ui.sync.recover_dialog import offer_recovery

        if offer_recovery(self, error.message):  # the file is unusable and backups exist
            return
        self._give_up(error.message, ask=True)

    def _give_up(self, message: str, ask: bool) -> None:
        if ask:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(self, self.tr("Cannot open the data"), message)
        self.data_unavailable.emit(message)
        self.close()

    def check_database(self) -> None:
        import inspector.ui.sync.sync_common  # noqa: F401 - here: a worker must not import a Qt module

        self.status.setText(self.tr("Checking the database…"))
        self._busy_timer.start()
        self.tasks.submit(_check_database, self.services, on_done=self._show_check_result,
                          on_error=self._check_failed)

    def _check_failed(self, error: BaseException) -> None:
        self._end_busy()
        self.status.setText("")
        self.show_error(error)

    def _show_check_result(self, problems: list[str]) -> None:
        from PySide6.QtWidgets import QMessageBox

        self._end_busy()
        self.status.setText("")
        if problems:
            QMessageBox.warning(self, self.tr("Check database"),
                                self.tr("%n problem(s) found:", "", len(problems)) + "\n" + "\n".join(problems[:30]))
        elif self.services.database_url:
            QMessageBox.information(self, self.tr("Check database"),
                                    self.tr("The office database is sound: its references and every photo hash check out."))
        else:
            QMessageBox.information(self, self.tr("Check database"),
                                    self.tr("The database is sound: SQLite integrity, references and every photo hash check out."))

    def office_database(self, forget: bool = False):
        """文件 → 连接办公室数据库 (the dialog) / 断开办公室数据库; both reopen the window on the other database."""
        from inspector.ui.setup.office_connection import forget_connection, open_connection_dialog

        return forget_connection(self) if forget else open_connection_dialog(self)

    def show_error(self, error: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox

        from inspector.errors import UserError

        text = error.message if isinstance(error, UserError) else self.tr("Unexpected error: %1").replace("%1", str(error))
        QMessageBox.critical(self, self.tr("Error"), text)

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from inspector import __version__

        QMessageBox.about(self, self.tr("About"),
                          self.tr("Offline work-safety inspection for the Xingguo ETDZ, version %1").replace("%1", __version__))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if not self.records.ready_to_close():  # unsaved walk-through edits are stored or asked about first
            event.ignore()
            return
        self._end_busy()
        self.tasks.wait()
        super().closeEvent(event)
