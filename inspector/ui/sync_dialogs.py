"""同步: the export dialog (progress bar), the merge dialog (files → preview → confirm → report), and
:func:`install_sync`, which adds the 同步 menu, the not-yet-exported banner and scheduled backups
to the main window. All work runs in the window's TaskRunner; blocking pickers and questions live
in one replaceable :class:`SyncDialogs` object so tests can drive the dialogs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMenu,
    QMessageBox, QProgressBar, QPushButton, QToolBar, QVBoxLayout,
)

from inspector.ui.tasks import TaskRunner
FILTER = "Inspector (*.db *.inspector);;* (*)"
BACKUP_CHECK_MS = 30 * 60 * 1000
BANNER_REFRESH_MS = 5 * 60 * 1000  # cheap when nothing changed (a fingerprint query, 0.25 s at 10,000 inspections)


class SyncDialogs:
    """The blocking dialogs of the sync feature, in one replaceable object."""

    def open_paths(self, parent) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(parent, QCoreApplication.translate("SyncDialogs", "Files to merge"), "", FILTER)
        return paths

    def save_path(self, parent, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, QCoreApplication.translate("SyncDialogs", "Export to"), suggested, FILTER)
        return path or None

    def confirm(self, parent, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        return QMessageBox.question(parent, title, text, buttons) == QMessageBox.StandardButton.Yes

    def info(self, parent, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)


# --- work done off the GUI thread (plain data in, plain data out) ----------------------------

def _export(db_path, out, options, progress=None):
    from inspector.core.sync.export import export_database

    return export_database(db_path, out, options, progress=progress)


def merge_task(db_path, files, backups_dir, keep, dry_run, progress=None):
    from inspector.core.sync.merge import merge_files

    return merge_files(db_path, files, backups_dir=backups_dir, dry_run=dry_run, keep_backups=keep, progress=progress)


def _export_choices(db_path):
    """Enterprises (id, name) and destination names used before."""
    import sqlite3

    connection = sqlite3.connect(Path(db_path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        enterprises = connection.execute("SELECT id, name FROM enterprise WHERE deleted_at IS NULL ORDER BY name").fetchall()
        targets = [row[0] for row in connection.execute(
            "SELECT DISTINCT json_extract(details, '$.target') FROM sync_log WHERE kind = 'export'") if row[0]]
    finally:
        connection.close()
    return enterprises, targets


class ExportDialog(QDialog):
    export_finished = Signal(object)

    def __init__(self, services, tasks: TaskRunner, dialogs: SyncDialogs | None = None, parent=None):
        super().__init__(parent)
        self.services, self.tasks, self.dialogs = services, tasks, dialogs or SyncDialogs()
        self.setWindowTitle(self.tr("Export data"))
        self.resize(560, 330)
        self.target = QComboBox(self)
        self.target.setEditable(True)
        self.target.addItem("office")
        self.since_last = QCheckBox(self.tr("Only what changed since the last export to this destination"), self)
        self.since_last.setChecked(True)
        self.enterprise = QComboBox(self)
        self.enterprise.addItem(self.tr("All enterprises"), None)
        self.by_date = QCheckBox(self.tr("Only inspections between"), self)
        self.date_from, self.date_to = QDateEdit(self), QDateEdit(self)
        for edit, offset in ((self.date_from, -30), (self.date_to, 0)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate().addDays(offset))
        self.path = QLineEdit(self)
        self.progress = QProgressBar(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Export"), self)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self._layout()
        self.tasks.submit(_export_choices, services.db.path, on_done=self._fill_choices)

    def _layout(self) -> None:
        choose = QPushButton(self.tr("Choose…"), self)
        choose.clicked.connect(self.choose_path)
        file_row, date_row = QHBoxLayout(), QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(choose)
        for widget in (self.by_date, self.date_from, QLabel("—", self), self.date_to):
            date_row.addWidget(widget)
        date_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Destination"), self.target)
        form.addRow("", self.since_last)
        form.addRow(self.tr("Enterprise"), self.enterprise)
        form.addRow(self.tr("Dates"), date_row)
        form.addRow(self.tr("File"), file_row)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message, 1)
        layout.addLayout(buttons)

    def _fill_choices(self, choices) -> None:
        enterprises, targets = choices
        for enterprise_id, name in enterprises:
            self.enterprise.addItem(name, enterprise_id)
        for target in targets:
            if self.target.findText(target) < 0:
                self.target.addItem(target)

    def choose_path(self) -> None:
        from datetime import datetime

        from inspector.core.clock import CHINA_TZ

        suggested = Path.home() / f"inspector-{datetime.now(CHINA_TZ).strftime('%Y%m%d-%H%M')}.db"
        path = self.dialogs.save_path(self, str(suggested))
        if path:
            self.path.setText(path)

    def options(self):
        from inspector.core.sync.export import ExportOptions
        from inspector.core.sync.selection import ExportFilter

        dates = (self.date_from.date().toPython(), self.date_to.date().toPython()) if self.by_date.isChecked() else (None, None)
        return ExportOptions(since_last=self.since_last.isChecked(), target=self.target.currentText().strip() or "office",
                             filter=ExportFilter(self.enterprise.currentData(), *dates))

    def start(self) -> None:
        if not self.path.text().strip():
            self.choose_path()
        if not self.path.text().strip():
            return
        self.export_button.setEnabled(False)
        self.message.setText(self.tr("Exporting…"))
        self.progress.setValue(0)
        self.tasks.submit(_export, self.services.db.path, self.path.text().strip(), self.options(),
                          on_done=self._done, on_error=self._failed, on_progress=self._progress)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _done(self, result) -> None:
        self.export_button.setEnabled(True)
        self.progress.setValue(self.progress.maximum())
        self.message.setText(self.tr("Exported %1 records and %2 photos to %3. The file was reopened and verified.")
                             .replace("%1", str(result.records)).replace("%2", str(result.photos))
                             .replace("%3", str(result.path)) + ("\n" + result.warning if result.warning else ""))
        self.export_finished.emit(result)

    def _failed(self, error) -> None:
        self.export_button.setEnabled(True)
        self.progress.setValue(0)
        self.message.setText(getattr(error, "message", str(error)))


def _scheduled_backup(db_path, folder, interval_hours, keep):
    from inspector.core.backups import run_scheduled_backup

    return run_scheduled_backup(db_path, folder, interval_hours=interval_hours, keep=keep)


class SyncController:
    """The 同步 menu, the not-yet-exported banner and the backup schedule of one main window."""

    def __init__(self, window):
        from inspector.ui.unexported_banner import UnexportedBanner

        self.window, self.services, self.dialogs = window, window.services, SyncDialogs()
        self.dialog: QDialog | None = None
        self.banner = UnexportedBanner(window)
        self.banner_bar = QToolBar(window)
        self.banner_bar.setObjectName("unexportedBannerBar")
        self.banner_bar.setMovable(False)
        self.banner_bar.addWidget(self.banner)
        self.banner_bar.hide()
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner_bar)
        self.banner.export_requested.connect(self.open_export)
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
        dialog = ExportDialog(self.services, self.window.tasks, self.dialogs, self.window)
        dialog.export_finished.connect(lambda _: self.refresh_banner())
        return self._show(dialog)

    def open_merge(self) -> QDialog:
        from inspector.ui.merge_dialog import MergeDialog

        dialog = MergeDialog(self.services, self.window.tasks, self.dialogs, self.window)
        dialog.merged.connect(lambda _: self.window.refresh())
        return self._show(dialog)

    def open_backups(self) -> QDialog:
        from inspector.ui.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.services, self.window.tasks, self.dialogs, self.window)
        dialog.restored.connect(lambda _: self.window.refresh())
        return self._show(dialog)

    def refresh_banner(self) -> None:
        from inspector.ui.unexported_banner import count_unexported

        if self._counting:
            return  # one count at a time: on a large database it takes seconds
        self._counting = True
        self.window.tasks.submit(count_unexported, self.services.db.path, on_done=self._show_counts,
                                 on_error=self._count_failed)

    def _count_failed(self, _error) -> None:
        self._counting = False  # the banner is a hint; the check command reports damage

    def _show_counts(self, result) -> None:
        self._counting = False
        self.banner.show_unexported(result)
        self.banner_bar.setVisible(result.any)

    def backup_if_due(self) -> None:
        settings = self.services.settings
        self.window.tasks.submit(_scheduled_backup, self.services.db.path, self.services.paths.backups,
                                 float(settings.get("backup_interval_hours", 24)), int(settings.get("backups_keep", 10)),
                                 on_error=self.window.show_error)


def install_sync(window) -> SyncController:
    """Add the 同步 menu (export, merge, backups), the not-yet-exported banner and scheduled backups."""
    return SyncController(window)
