"""The backups dialog: every backup of the database (newest first), back up now, restore one.

Restoring asks first, backs up the current database, then copies the backup into the live file
(safe while the window is open); ``restored`` tells the window to reload everything. The newest merge
is listed too ("Before a merge"): restoring it undoes that merge from its journal (the rows it added
removed, the rows it overwrote put back), then the window reloads the same way.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout,
)

from inspector.core.common.clock import format_local
from inspector.ui.sync.sync_common import (
    SyncDialogs, UndoRow, create_backup_task, list_backups_task, restore_backup_task, undo_merge_task,
)
from inspector.ui.table_model import Column, RowRole, RowTableModel, read_only_table
from inspector.ui.tasks import TaskRunner

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def reason_text(reason: str) -> str:
    reasons = {
        "manual": QCoreApplication.translate("BackupsDialog", "Manual"),
        "merge": QCoreApplication.translate("BackupsDialog", "Before a merge"),
        "scheduled": QCoreApplication.translate("BackupsDialog", "Scheduled"),
        "before-restore": QCoreApplication.translate("BackupsDialog", "Before a restore"),
        "schema": QCoreApplication.translate("BackupsDialog", "Before an upgrade"),
    }
    return reasons.get(reason, reason)


def size_text(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{size / 1024:.0f} KB"


def backups_table(parent):
    """The list of backups (time, why, size, file) as this dialog and the recovery dialog show it."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("BackupsDialog", text)

    model = RowTableModel([
        Column(tr("Time"), lambda b: format_local(b.created_at), sort=lambda b: b.created_at.timestamp()),
        Column(tr("Why"), lambda b: reason_text(b.reason)),
        Column(tr("Size"), lambda b: size_text(b.size), sort=lambda b: b.size, align=RIGHT),
        Column(tr("File"), lambda b: b.path.name, tooltip=lambda b: str(b.path)),
    ], parent=parent)
    table = read_only_table(model, parent)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return model, table


class BackupsDialog(QDialog):
    restored = Signal(str)

    def __init__(self, services, tasks: TaskRunner, dialogs: SyncDialogs | None = None, parent=None):
        super().__init__(parent)
        self.services, self.tasks, self.dialogs = services, tasks, dialogs or SyncDialogs()
        self.setWindowTitle(self.tr("Backups"))
        self.resize(720, 420)
        self.model, self.table = backups_table(self)
        self.message = QLabel(self._about(), self)
        self.message.setWordWrap(True)
        self._layout()
        from inspector.ui.sync.server_schedule import attach_schedule

        self.schedule = attach_schedule(self)  # every … hours, keep … (the office database's or this PC's)
        self.last_backup = None
        if services.database_url:  # the last backup any office PC made, from the office database
            from inspector.ui.sync.server_schedule import attach_last_backup

            self.last_backup = attach_last_backup(self)
        self.reload()

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        for text, slot in ((self.tr("Back up now"), self.back_up), (self.tr("Restore…"), self.restore_selected),
                           (self.tr("Close"), self.reject)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.insertStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def _about(self) -> str:
        if self.services.database_url:
            return self.tr("Backups of the office database are made on a schedule (by one office PC that has the "
                           "app open, or by the server's timer) and when you press Back up now; each is kept in "
                           "the backups folder of the computer that made it.")
        return self.tr("Backups are made on a schedule and when you press Back up now; the newest ones are kept. "
                       "The last merge can be undone: select it (Before a merge) and press Restore.")

    def reload(self) -> None:
        self.tasks.submit(list_backups_task, self.services, on_done=self.model.set_rows, on_error=self._failed)
        if self.last_backup is not None:
            from inspector.ui.sync.server_schedule import refresh_last_backup

            refresh_last_backup(self, self.last_backup)

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(RowRole) if rows else None

    def back_up(self) -> None:
        self.tasks.submit(create_backup_task, self.services, on_done=self._backed_up, on_error=self._failed)

    def _backed_up(self, path) -> None:
        self.message.setText(self.tr("Backed up to %1").replace("%1", str(path)))
        self.reload()

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            self.message.setText(self.tr("Select a backup first."))
            return
        if isinstance(backup, UndoRow):
            self._undo(backup)
            return
        question = self.tr("Replace the current data with the backup of %1? The current data is backed up first.")
        if not self.dialogs.confirm(self, self.tr("Restore backup"), question.replace("%1", format_local(backup.created_at))):
            return
        self.tasks.submit(restore_backup_task, self.services, backup.path, on_done=self._restored, on_error=self._failed)

    def _undo(self, row: UndoRow) -> None:
        question = self.tr("Undo the merge of %1 made at %2? The records it added are removed and the records it "
                           "changed get back what they held before.")
        question = question.replace("%1", "、".join(row.merge.files)).replace("%2", format_local(row.created_at))
        if not self.dialogs.confirm(self, self.tr("Undo merge"), question):
            return
        self.tasks.submit(undo_merge_task, self.services, row.merge.seq, on_done=self._undone, on_error=self._failed)

    def _undone(self, result) -> None:
        self.services.db.engine.dispose()
        self.message.setText(self.tr("Merge undone: %1 record(s) removed, %2 put back as they were.")
                             .replace("%1", str(result.removed)).replace("%2", str(result.restored)))
        self.reload()
        self.restored.emit("")

    def _restored(self, safety) -> None:
        self.services.db.engine.dispose()  # no pooled connection keeps a view of the old file
        self.message.setText(self.tr("Restored. The data before restoring is kept in %1").replace("%1", str(safety)))
        self.reload()
        self.restored.emit(str(safety))

    def _failed(self, error) -> None:
        self.message.setText(getattr(error, "message", str(error)))
