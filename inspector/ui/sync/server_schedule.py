"""Scheduled backups of the office database from an open window, the "last backup" line of the backups
dialog on the server, and the dialog's schedule row (every … hours, keep … backups) on either backend.
The work is :mod:`inspector.core.sync.server_schedule` (one pg_dump across every office PC, decided by the
database's row lock) and :mod:`inspector.core.sync.backup_schedule` (where the schedule is kept: the office
database, or a laptop's settings); this module runs them as background tasks and shows the result.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget


def scheduled_server_backup_task(services):
    """The office database's schedule (saved in the database by any office PC) decides; then back up if due."""
    from inspector.core.sync.backup_schedule import read_schedule
    from inspector.core.sync.server_schedule import run_scheduled_server_backup

    schedule = read_schedule(services.db, services.settings)
    return run_scheduled_server_backup(services.db, services.paths.backups, interval_hours=schedule.interval_hours,
                                       keep=schedule.keep)


def last_backup_task(services):
    from inspector.core.sync.server_schedule import last_server_backup

    return last_server_backup(services.db)


def read_schedule_task(services):
    from inspector.core.sync.backup_schedule import read_schedule

    return read_schedule(services.db, services.settings)


def save_schedule_task(services, schedule):
    from inspector.core.sync.backup_schedule import save_schedule

    return save_schedule(services.db, services.settings, schedule)


class ServerBackupSchedule:
    """Runs the office database's scheduled backup from the window's chores; an error is shown once per text
    (a missing pg_dump must not open a box every half hour), and again only after a backup has worked."""

    def __init__(self, window):
        self.window, self.running, self.shown = window, False, set()

    def run_if_due(self) -> None:
        if self.running:
            return
        self.running = True
        self.window.tasks.submit(scheduled_server_backup_task, self.window.services, on_done=self._done, on_error=self._failed, chore=True)

    def _done(self, _run) -> None:
        self.running = False
        self.shown.clear()

    def _failed(self, error) -> None:
        self.running = False
        text = getattr(error, "message", str(error))
        if text not in self.shown:
            self.shown.add(text)
            self.window.show_error(error)


def last_backup_text(last) -> str:
    from inspector.core.common.clock import format_local

    if last is None:
        return QCoreApplication.translate("ServerBackups", "No backup of the office database has been made yet.")
    kinds = {"scheduled": QCoreApplication.translate("ServerBackups", "scheduled"),
             "manual": QCoreApplication.translate("ServerBackups", "manual")}
    return (QCoreApplication.translate("ServerBackups", "Last backup of the office database: %1 (%2), by %3 in %4")
            .replace("%1", format_local(last.at)).replace("%2", kinds.get(last.reason, last.reason))
            .replace("%3", last.host or "?").replace("%4", last.file or "?"))


def attach_last_backup(dialog) -> QLabel:
    """A line above the backups dialog's buttons: the last backup any office PC made (from the database)."""
    label = QLabel(dialog)
    label.setObjectName("lastServerBackup")
    label.setWordWrap(True)
    dialog.layout().insertWidget(1, label)
    return label


def refresh_last_backup(dialog, label: QLabel) -> None:
    dialog.tasks.submit(last_backup_task, dialog.services, on_done=lambda last: _show(label, last),
                        on_error=lambda error: label.setText(getattr(error, "message", str(error))))


def _show(label: QLabel, last) -> None:
    import shiboken6

    if shiboken6.isValid(label):  # the dialog may have been closed meanwhile
        label.setText(last_backup_text(last))


class ScheduleRow(QWidget):
    """定时备份：每 [24] 小时，保留最新 [10] 份自动备份 [保存计划] — and one line saying what was kept or what is wrong.

    On the office database the schedule is saved in the database (every office PC and the server's timer run
    it); on a laptop in this computer's settings. Bad input gets one sentence and nothing is saved."""

    def __init__(self, services, tasks, parent=None):
        super().__init__(parent)
        self.services, self.tasks = services, tasks
        self.setObjectName("backupSchedule")
        self.interval = QLineEdit(self)
        self.interval.setObjectName("backupIntervalHours")
        self.keep = QLineEdit(self)
        self.keep.setObjectName("backupsKeep")
        for field in (self.interval, self.keep):
            field.setMaximumWidth(64)
            field.installEventFilter(self)  # Enter saves the schedule, and only that (see eventFilter)
        self.button = QPushButton(self.tr("Save schedule"), self)
        self.button.setObjectName("saveBackupSchedule")
        self.button.clicked.connect(self.save)
        self.button.setEnabled(False)  # until the stored schedule is shown
        self.status = QLabel(self)
        self.status.setObjectName("backupScheduleStatus")
        self.status.setWordWrap(True)
        self._layout()
        self.tasks.submit(read_schedule_task, services, on_done=self._show_stored, on_error=self._failed)

    def _layout(self) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for part in (QLabel(self.tr("Scheduled backup every"), self), self.interval,
                     QLabel(self.tr("hours (0: off); keep the newest"), self), self.keep,
                     QLabel(self.tr("automatic backups"), self)):
            row.addWidget(part)
        row.addStretch(1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """Enter in a field saves the schedule and is consumed: passed on, the backups dialog would press its
        default button too (立即备份 — a whole pg_dump of the office database nobody asked for)."""
        from PySide6.QtCore import QEvent, Qt

        if (watched in (self.interval, self.keep) and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.save()
            return True
        return super().eventFilter(watched, event)

    def save(self) -> None:
        from inspector.core.sync.backup_schedule import parse_schedule
        from inspector.errors import UserError

        try:
            schedule = parse_schedule(self.interval.text(), self.keep.text())
        except UserError as error:
            self.status.setText(error.message)
            return
        self.button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        self.tasks.submit(save_schedule_task, self.services, schedule, on_done=self._saved, on_error=self._failed)

    def _show(self, schedule) -> None:
        import shiboken6

        if not shiboken6.isValid(self):  # the dialog may have been closed meanwhile
            return
        self.interval.setText(f"{schedule.interval_hours:g}")
        self.keep.setText(str(schedule.keep))
        self.button.setEnabled(True)
        self.status.setText(self._where(schedule))

    def _show_stored(self, schedule) -> None:
        """The stored schedule, where the person has not typed yet: keys typed while it was read stay."""
        import shiboken6

        if not shiboken6.isValid(self):
            return
        typed = {field: field.text() for field in (self.interval, self.keep) if field.isModified()}
        self._show(schedule)
        for field, text in typed.items():
            field.setText(text)
            field.setModified(True)

    def _saved(self, schedule) -> None:
        import shiboken6

        if not shiboken6.isValid(self):
            return
        self._show(schedule)
        self.status.setText(self.tr("Saved. %1").replace("%1", self._where(schedule)))

    def _where(self, schedule) -> str:
        if self.services.database_url:
            if not schedule.shared:
                return self.tr("The office has not saved a schedule yet: this PC uses its own settings. Saving "
                               "keeps the schedule in the office database, for every office PC and the server's timer.")
            return self.tr("Kept in the office database: every office PC and the server's timer use it.")
        return self.tr("Kept in this computer's settings.")

    def _failed(self, error) -> None:
        import shiboken6

        if shiboken6.isValid(self):
            self.button.setEnabled(True)
            self.status.setText(getattr(error, "message", str(error)))


def attach_schedule(dialog) -> ScheduleRow:
    """The schedule row, above the backups dialog's message line and buttons."""
    row = ScheduleRow(dialog.services, dialog.tasks, dialog)
    layout = dialog.layout()
    layout.insertWidget(layout.indexOf(dialog.message), row)
    return row
