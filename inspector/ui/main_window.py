"""The main window: tabs for inspections and checklists, menus, status bar.

It is the frame later features plug into: each feature is its own view or dialog module.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QTabWidget

from inspector.ui.records.checklists_view import ChecklistsView
from inspector.ui.records.inspections_view import InspectionsView
from inspector.ui.tasks import TaskRunner

BUSY_AFTER_MS = 300  # a load still running after this shows the busy cursor


def _load_summaries(db):
    from inspector.db.queries import inspection_summaries

    with db.session() as session:
        return inspection_summaries(session)


def _load_data(services):
    """Off the GUI thread: open the database (first time: migrations, refusal of bad files), checklists, list."""
    services.db
    return services.checklists, _load_summaries(services.db)


def _check_database(services):
    from inspector.ui.sync.sync_common import check_task

    return check_task(services)  # the file's checks, or the office database's


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
        self.tabs = QTabWidget(self)
        self.inspections = InspectionsView(self)
        self.checklists = ChecklistsView(self)
        self.tabs.addTab(self.inspections, self.tr("Inspections"))
        self.tabs.addTab(self.checklists, self.tr("Checklists"))
        self.setCentralWidget(self.tabs)
        self.status = QLabel(self)
        self.statusBar().addPermanentWidget(self.status)
        self._build_menus()
        from inspector.ui.records.inspection_flow import install_records

        self.records = install_records(self)  # 企业 tab, 新建检查 (Ctrl+N), walk-through of an opened inspection
        from inspector.ui.documents.notices_view import install_notices

        self.notices = install_notices(self)  # 文书 tab and menu, 生成文书 on the inspections list
        from inspector.ui.loop.closed_loop import install_closed_loop

        self.closed_loop = install_closed_loop(self)  # 待办 dashboard (first tab), 复查, 月度分析, 闭环 menu, 台账
        from inspector.ui.sync.controller import install_sync

        self.sync = install_sync(self)  # 同步 menu (export, merge, backups), not-yet-exported banner, scheduled backups
        from inspector.ui.setup.controller import install_setup

        self.setup = install_setup(self, offer_first_run)  # toolbar, 使用说明, 首次设置, start page, demo

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
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def refresh(self) -> None:
        """(Re)load everything in the background; the window is usable at once."""
        self.status.setText(self.tr("Loading inspections…"))
        self._busy_timer.start()
        self.tasks.submit(_load_data, self.services, on_done=self._show_data, on_error=self._load_failed)

    def _show_busy(self) -> None:
        """The load takes a while: a busy cursor (the window stays usable) until it is done."""
        if not self._busy:
            self._busy = True
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

    def _end_busy(self) -> None:
        self._busy_timer.stop()
        if self._busy:
            self._busy = False
            QApplication.restoreOverrideCursor()

    def _show_data(self, data) -> None:
        self._end_busy()
        checklists, summaries = data
        self.checklists.set_checklists(checklists)
        self.inspections.set_inspections(summaries)
        from inspector.ui.setup.office_connection import database_text

        self.status.setText(database_text(self.services))  # the data folder, or the office database (no password)
        self.data_loaded.emit()

    def _load_failed(self, error: BaseException) -> None:
        from inspector.errors import UserError

        self._end_busy()
        if not isinstance(error, UserError):
            return self.show_error(error)
        QMessageBox.critical(self, self.tr("Cannot open the data"), error.message)
        self.data_unavailable.emit(error.message)
        self.close()

    def check_database(self) -> None:
        self.status.setText(self.tr("Checking the database…"))
        self._busy_timer.start()
        self.tasks.submit(_check_database, self.services, on_done=self._show_check_result,
                          on_error=self._check_failed)

    def _check_failed(self, error: BaseException) -> None:
        self._end_busy()
        self.status.setText("")
        self.show_error(error)

    def _show_check_result(self, problems: list[str]) -> None:
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
        from inspector.errors import UserError

        text = error.message if isinstance(error, UserError) else self.tr("Unexpected error: %1").replace("%1", str(error))
        QMessageBox.critical(self, self.tr("Error"), text)

    def about(self) -> None:
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
