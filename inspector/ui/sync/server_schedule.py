"""Scheduled backups of the office database from an open window, and the "last backup" line of the backups
dialog on the server. The work is :mod:`inspector.core.sync.server_schedule` (one pg_dump across every office
PC, decided by the database's row lock); this module only runs it as a background chore and shows the result.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel


def scheduled_server_backup_task(services, interval_hours: float, keep: int):
    from inspector.core.sync.server_schedule import run_scheduled_server_backup

    return run_scheduled_server_backup(services.db, services.paths.backups, interval_hours=interval_hours, keep=keep)


def last_backup_task(services):
    from inspector.core.sync.server_schedule import last_server_backup

    return last_server_backup(services.db)


def interval_and_keep(settings) -> tuple[float, int]:
    """The PC's settings (the laptop's keys: how often, how many automatic backups are kept)."""
    return float(settings.get("backup_interval_hours", 24)), int(settings.get("backups_keep", 10))


class ServerBackupSchedule:
    """Runs the office database's scheduled backup from the window's chores; an error is shown once per text
    (a missing pg_dump must not open a box every half hour), and again only after a backup has worked."""

    def __init__(self, window):
        self.window, self.running, self.shown = window, False, set()

    def run_if_due(self) -> None:
        if self.running:
            return
        self.running = True
        interval, keep = interval_and_keep(self.window.services.settings)
        self.window.tasks.submit(scheduled_server_backup_task, self.window.services, interval, keep,
                                 on_done=self._done, on_error=self._failed, chore=True)

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
