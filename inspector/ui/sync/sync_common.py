"""Pieces the sync dialogs share: the replaceable blocking pickers and questions (:class:`SyncDialogs`)
and the plain functions they run off the GUI thread. Nothing here imports another sync module.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

FILTER = "Inspector (*.db *.inspector);;* (*)"


class SyncDialogs:
    """The blocking dialogs of the sync feature, in one replaceable object."""

    def open_paths(self, parent) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(parent, QCoreApplication.translate("SyncDialogs", "Files to merge"), "", FILTER)
        return paths

    def save_path(self, parent, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, QCoreApplication.translate("SyncDialogs", "Export to"), suggested, FILTER)
        return path or None

    def confirm(self, parent, title: str, text: str, verb: str | None = None) -> bool:
        from inspector.ui.dialogs import confirm

        return confirm(parent, title, text, verb)  # buttons: the action (the title by default) / 取消

    def info(self, parent, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)


# --- work done off the GUI thread (plain data in, plain data out) ----------------------------

def export_task(db_path, out, options, progress=None):
    from inspector.core.sync.export import export_database

    return export_database(db_path, out, options, progress=progress)


def merge_task(db_path, files, backups_dir, keep, dry_run, progress=None):
    from inspector.core.sync.merge import merge_files

    return merge_files(db_path, files, backups_dir=backups_dir, dry_run=dry_run, keep_backups=keep, progress=progress)


def export_choices(db_path):
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
