"""Pieces the sync dialogs share: the replaceable blocking pickers and questions (:class:`SyncDialogs`)
and the plain functions they run off the GUI thread. Nothing here imports another sync module.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

FILTER = "Inspector (*.db *.inspector);;* (*)"


class SyncDialogs:
    """The blocking dialogs of the sync feature, in one replaceable object."""

    def open_paths(self, parent) -> list[str]:
        from inspector.ui import file_dialogs

        return file_dialogs.open_files(parent, file_dialogs.EXCHANGE,
                                       QCoreApplication.translate("SyncDialogs", "Files to merge"), FILTER)

    def save_path(self, parent, suggested: str) -> str | None:
        from inspector.ui import file_dialogs

        return file_dialogs.save_file(parent, file_dialogs.EXCHANGE, QCoreApplication.translate("SyncDialogs", "Export to"),
                                      suggested, FILTER) or None

    def confirm(self, parent, title: str, text: str, verb: str | None = None) -> bool:
        from inspector.ui.dialogs import confirm

        return confirm(parent, title, text, verb)  # buttons: the action (the title by default) / 取消

    def info(self, parent, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)


# --- work done off the GUI thread (plain data in, plain data out) ----------------------------
# The one place that chooses between the laptop's SQLite file and the office database (PostgreSQL):
# every task takes ``services`` and calls the file's function or the server's (imported when used).

def on_server(services) -> bool:
    return services.db.backend != "sqlite"


def server_module(name: str):
    """``inspector.core.sync.<name>`` (the office-database form of a sync task), imported when used."""
    from importlib import import_module

    return import_module(f"inspector.core.sync.{name}")


def export_task(services, out, options, progress=None):
    if on_server(services):
        export = server_module("server_export")
        return export.export_from_server(services.db, out, options, progress=progress)
    from inspector.core.sync.export import export_database

    return export_database(services.db.path, out, options, progress=progress)


def merge_task(services, files, keep, dry_run, progress=None):
    if on_server(services):
        merge = server_module("server_merge")
        return merge.merge_into_server(services.db, files, dry_run=dry_run, progress=progress)
    from inspector.core.sync.merge import merge_files

    return merge_files(services.db.path, files, backups_dir=services.paths.backups, dry_run=dry_run,
                       keep_backups=keep, progress=progress)


def list_backups_task(services):
    """The backups of what is open (the server's list when on the office database); opens nothing else."""
    if services.database_url:
        backups = server_module("server_backups")
        return backups.list_server_backups(services.paths.backups)
    import sqlite3

    from inspector.core.sync.backups import list_backups
    from inspector.core.sync.undo import undoable

    connection = sqlite3.connect(services.db.path)
    try:
        merge = undoable(connection)
    finally:
        connection.close()
    rows = list_backups(services.paths.backups) + ([UndoRow(merge)] if merge else [])
    return sorted(rows, key=lambda b: b.created_at, reverse=True)


class UndoRow:
    """The newest merge, listed among the backups: restoring it undoes the merge from its journal."""

    reason = "merge"

    def __init__(self, merge):
        self.merge, self.created_at, self.size = merge, merge.moment, merge.size
        self.path = Path("、".join(merge.files))


def undo_merge_task(services, seq: int):
    from inspector.core.sync.undo import undo_merge

    return undo_merge(services.db.path, seq)


def create_backup_task(services):
    if on_server(services):
        backups = server_module("server_backups")
        path = backups.create_server_backup(services.db, services.paths.backups, reason="manual")
        server_module("server_schedule").note_server_backup(services.db, path, "manual")  # the schedule counts it
        return path
    from inspector.core.sync.backups import create_backup

    return create_backup(services.db.path, services.paths.backups, "manual")


def restore_backup_task(services, backup_path):
    if on_server(services):
        backups = server_module("server_backups")
        return backups.restore_server_backup(services.db, backup_path, services.paths.backups)
    from inspector.core.sync.backups import restore_backup

    return restore_backup(services.db.path, backup_path, services.paths.backups)


def check_task(services) -> list[str]:
    """工具 → 检查数据库: the SQLite file's checks, or the office database's."""
    if on_server(services):
        check = server_module("server_check")
        return check.check_server_database(services.db)
    from inspector.core.sync.integrity import check_database

    return check_database(services.db.path)


def export_choices(services):
    """Enterprises (id, name) and destination names used before."""
    if on_server(services):
        return _server_export_choices(services.db)
    import sqlite3

    connection = sqlite3.connect(Path(services.db.path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        enterprises = connection.execute("SELECT id, name FROM enterprise WHERE deleted_at IS NULL ORDER BY name").fetchall()
        targets = [row[0] for row in connection.execute(
            "SELECT DISTINCT json_extract(details, '$.target') FROM sync_log WHERE kind = 'export'") if row[0]]
    finally:
        connection.close()
    return enterprises, targets


def _server_export_choices(db):
    """The same lists in portable SQL (the JSON details are read in Python: no json_extract on the server)."""
    import json

    from sqlalchemy import text

    with db.engine.connect() as connection:
        enterprises = [tuple(row) for row in connection.execute(
            text("SELECT id, name FROM enterprise WHERE deleted_at IS NULL ORDER BY name"))]
        details = [row[0] for row in connection.execute(text("SELECT details FROM sync_log WHERE kind = 'export'"))]
    targets = []
    for value in details:
        try:
            target = (json.loads(value) if isinstance(value, str) else value or {}).get("target")
        except (ValueError, AttributeError):
            continue
        if target and target not in targets:
            targets.append(target)
    return enterprises, targets
