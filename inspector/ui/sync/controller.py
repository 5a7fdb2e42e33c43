"""同步: :func:`install_sync` adds the 同步 menu, the not-yet-exported banner and scheduled backups to the
main window. The controller owns and builds the export, merge and backups dialogs; none of them imports it.
All work runs in the window's TaskRunner; blocking pickers and questions live in one replaceable
:class:`~inspector.ui.sync.sync_common.SyncDialogs` object so tests can drive the dialogs.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QDialog, QMenu, QToolBar

BACKUP_CHECK_MS = 30 * 60 * 1000
BANNER_REFRESH_MS = 5 * 60 * 1000  # cheap when nothing changed (a fingerprint query, 0.25 s at 10,000 inspections)


def _scheduled_backup(db_path, folder, interval_hours, keep):
    from inspector.core.sync.backups import run_scheduled_backup

    return run_scheduled_backup(db_path, folder, interval_hours=interval_hours, keep=keep)


class SyncController:
    """The 同步 menu, the not-yet-exported banner and the backup schedule of one main window."""

    def __init__(self, window):
        self.window, self.services = window, window.services
        self._dialogs = None  # the pickers and questions (sync_common: file dialogs), made when first needed
        self.dialog: QDialog | None = None
        self.server_schedule = None  # the office database's scheduled backup, made when first due
        self._banner_bar: QToolBar | None = None  # hidden until there is something to export: built then
        self.menu = self._menu()
        self.timer = QTimer(window)
        self.timer.setInterval(BACKUP_CHECK_MS)
        self.timer.timeout.connect(self.backup_if_due)
        self.timer.start()
        self._counting = False
        self.banner_timer = QTimer(window)
        self.banner_timer.setInterval(BANNER_REFRESH_MS)  # edits made in other views show up without a reload
        self.banner_timer.timeout.connect(self.refresh_banner)
        self.banner_timer.start()
        window.data_loaded.connect(self.refresh_banner)
        window.data_loaded.connect(self.backup_if_due)

    @property
    def dialogs(self):
        """The replaceable pickers and questions (:class:`~inspector.ui.sync.sync_common.SyncDialogs`)."""
        if self._dialogs is None:
            from inspector.ui.sync.sync_common import SyncDialogs

            self._dialogs = SyncDialogs()
        return self._dialogs

    @dialogs.setter
    def dialogs(self, dialogs) -> None:
        self._dialogs = dialogs

    @property
    def banner_bar(self) -> QToolBar:
        """The hidden strip holding :attr:`banner`, built on first use (not before the first frame:
        a style sheet and four widgets nobody sees yet)."""
        if self._banner_bar is None:
            from inspector.ui.sync.unexported_banner import UnexportedBanner

            bar = QToolBar(self.window)
            bar.setObjectName("unexportedBannerBar")
            bar.setMovable(False)
            self._banner = UnexportedBanner(self.window)
            self._banner.export_requested.connect(self.open_export)
            bar.addWidget(self._banner)
            bar.hide()
            first = next(iter(self.window.findChildren(QToolBar)), None)
            if first is not None and first is not bar:  # the top area, before the main toolbar as always
                self.window.insertToolBar(first, bar)
            else:
                self.window.addToolBar(bar)  # the top area (no Qt namespace before the first frame)
            self._banner_bar = bar
        return self._banner_bar

    @property
    def banner(self):
        """The "not yet exported" strip's content (built with :attr:`banner_bar`)."""
        self.banner_bar
        return self._banner

    def _menu(self) -> QMenu:
        menu = QMenu(QCoreApplication.translate("SyncController", "&Sync"), self.window)
        menu.addAction(QCoreApplication.translate("SyncController", "&Export data…"), self.open_export)
        menu.addAction(QCoreApplication.translate("SyncController", "&Merge files from other computers…"), self.open_merge)
        menu.addSeparator()
        menu.addAction(QCoreApplication.translate("SyncController", "&Backups…"), self.open_backups)
        menus = self.window.menuBar().actions()
        if menus:  # before the Help menu, which stays last
            self.window.menuBar().insertMenu(menus[-1], menu)
        else:
            self.window.menuBar().addMenu(menu)
        return menu

    def _show(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_export(self) -> QDialog:
        from inspector.ui.sync.export_dialog import ExportDialog

        dialog = ExportDialog(self.services, self.window.tasks, self.dialogs, self.window)
        dialog.export_finished.connect(lambda _: self.refresh_banner())
        return self._show(dialog)

    def open_merge(self) -> QDialog:
        from inspector.ui.sync.merge_dialog import MergeDialog

        dialog = MergeDialog(self.services, self.window.tasks, self.dialogs, self.window)
        dialog.merged.connect(lambda _: self.window.refresh())
        return self._show(dialog)

    def open_backups(self) -> QDialog:
        from inspector.ui.sync.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.services, self.window.tasks, self.dialogs, self.window)
        dialog.restored.connect(lambda _: self.window.refresh())
        return self._show(dialog)

    def refresh_banner(self) -> None:
        if self.services.database_url:  # the office database is where exports go, not a laptop to export from
            if self._banner_bar is not None:
                self._banner_bar.hide()
            return
        if self._counting:
            return  # one count at a time: on a large database it takes seconds
        self._counting = True
        from inspector.ui.sync.unexported_banner import count_unexported

        self.window.tasks.submit(count_unexported, self.services.db.path, on_done=self._show_counts,
                                 on_error=self._count_failed, chore=True)

    def _count_failed(self, _error) -> None:
        self._counting = False  # the banner is a hint; the check command reports damage

    def _show_counts(self, result) -> None:
        self._counting = False
        if not result.any and self._banner_bar is None:
            return  # nothing to export, and the strip was never needed
        self.banner.show_unexported(result)
        self.banner_bar.setVisible(result.any)

    def backup_if_due(self) -> None:
        if self.services.database_url:  # the office database: pg_dump, once across every office PC
            self._server_schedule().run_if_due()
            return
        settings = self.services.settings
        self.window.tasks.submit(_scheduled_backup, self.services.db.path, self.services.paths.backups,
                                 float(settings.get("backup_interval_hours", 24)), int(settings.get("backups_keep", 10)),
                                 on_error=self.window.show_error, chore=True)


    def _server_schedule(self):
        if self.server_schedule is None:
            from inspector.ui.sync.server_schedule import ServerBackupSchedule

            self.server_schedule = ServerBackupSchedule(self.window)
        return self.server_schedule


def install_sync(window) -> SyncController:
    """Add the 同步 menu (export, merge, backups), the not-yet-exported banner and scheduled backups."""
    return SyncController(window)
