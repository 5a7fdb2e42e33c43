"""The database cannot be opened (damaged, overwritten, not ours): restore a backup from the window.

Shown instead of a dead end when the laptop's file is unusable and backups exist. The newest backup is
chosen already; 从所选备份恢复 checks it, copies it beside the database and puts it in place in one
rename, keeping the unusable file byte for byte in the backups folder (``restore_over_unusable``).
``recovered(kept)`` tells the window to load the data again; 退出 leaves everything as it is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from inspector.ui.sync.backups_dialog import backups_table
from inspector.ui.table_model import RowRole


def _list_backups(backups_dir):
    from inspector.core.sync.backups import list_backups

    return list_backups(backups_dir)  # reads each backup's header only; the live file is not opened


def _restore(services, backup_path):
    from inspector.core.sync.backups import restore_over_unusable

    return restore_over_unusable(services.paths.database, backup_path, services.paths.backups)


class RecoverDialog(QDialog):
    recovered = Signal(str)  # the path where the unusable file is kept
    gave_up = Signal()

    def __init__(self, services, tasks, reason: str, parent=None):
        super().__init__(parent)
        self.services, self.tasks = services, tasks
        self.setWindowTitle(self.tr("Cannot open the data"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(760, 420)
        self.message = QLabel(self.tr("%1 You can restore a backup: the file that cannot be opened is kept in the "
                                      "backups folder as it is (nothing is deleted). Records made after the backup "
                                      "are not in it.").replace("%1", reason), self)
        self.message.setWordWrap(True)
        self.model, self.table = backups_table(self)  # newest first, as 同步 → 备份… lists them
        self.table.doubleClicked.connect(lambda *_: self.restore_selected())
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        self.restore_button = QPushButton(self.tr("Restore the selected backup"), self)
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore_selected)
        self.quit_button = QPushButton(self.tr("Quit"), self)
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.reject)
        self._layout()
        self.rejected.connect(self.gave_up)
        self.tasks.submit(_list_backups, services.paths.backups, on_done=self._show_backups, on_error=self._failed)

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)

    def _show_backups(self, backups) -> None:
        self.model.set_rows(backups)  # newest first
        if self.model.rowCount():
            self.table.selectRow(0)
            self.table.setFocus()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(RowRole) if rows else None

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            self.problem.setText(self.tr("Select a backup first."))
            return
        self.problem.setText(self.tr("Restoring %1…").replace("%1", backup.path.name))
        self._busy(True)
        self.tasks.submit(_restore, self.services, backup.path, on_done=self._restored, on_error=self._failed)

    def _busy(self, busy: bool) -> None:
        for widget in (self.restore_button, self.quit_button, self.table):
            widget.setEnabled(not busy)

    def _restored(self, kept) -> None:
        self.recovered.emit(str(kept))
        self.accept()

    def _failed(self, error: BaseException) -> None:
        from inspector.errors import UserError

        self._busy(False)
        text = error.message if isinstance(error, UserError) else str(error)
        self.problem.setText(text)  # a damaged backup: choose another one; nothing was changed


def recoverable(services) -> bool:
    """The laptop's own file cannot be opened, it is not a newer release's, and a backup may restore it."""
    if services.database_url:
        return False  # the office database: its backups are restored from 同步 → 备份 once it answers
    from inspector.core.sync.backups import list_backups, newer_than_app, unusable_reason

    database = services.paths.database
    if unusable_reason(database) is None or newer_than_app(database):
        return False
    return bool(list_backups(services.paths.backups))  # by name: the file kept by an earlier restore is not one


def offer_recovery(window, message: str) -> bool:
    """The main window could not open the laptop's file: offer its backups (False: nothing to offer)."""
    if not recoverable(window.services):
        return False
    window.status.setText("")  # not "loading" behind the question
    dialog = window.recover_dialog = RecoverDialog(window.services, window.tasks, message, window)
    dialog.recovered.connect(lambda kept: _reload_after_recovery(window, kept))
    dialog.gave_up.connect(lambda: window._give_up(message, ask=False))
    dialog.open()
    return True


def _reload_after_recovery(window, kept: str) -> None:
    from PySide6.QtCore import QCoreApplication

    window.recover_note = QCoreApplication.translate(
        "MainWindow", "Restored from a backup; the file that could not be opened is kept as %1.").replace("%1", kept)

    def note() -> None:
        window.data_loaded.disconnect(note)
        window.status.setText(window.status.text() + "  " + window.recover_note)

    window.data_loaded.connect(note)
    window.refresh()
