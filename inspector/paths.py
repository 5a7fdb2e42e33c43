"""Where data and bundled files live.

Data directory: ``--data-dir`` (explicit), else ``INSPECTOR_DATA_DIR``, else the
platform's user data directory. Resources (``resources/``, ``checklists/``) are
found beside the package in a source checkout or in a frozen build.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "Inspector"
ENV_DATA_DIR = "INSPECTOR_DATA_DIR"


def project_root() -> Path:
    """The folder holding ``resources/`` and ``checklists/``: the checkout, or the frozen build's data folder.

    PyInstaller sets ``sys._MEIPASS`` (``<app>/_internal`` in a onedir build); other freezers only set
    ``sys.frozen`` and keep data beside the executable."""
    if getattr(sys, "frozen", False):
        bundle = getattr(sys, "_MEIPASS", None)
        return Path(bundle) if bundle else Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return project_root() / "resources"


def bundled_checklists_dir() -> Path:
    return project_root() / "checklists"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(ENV_DATA_DIR)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return default_data_dir()


class DataPaths:
    """The files inside one data directory (a plain value class, not a dataclass: importing
    ``dataclasses`` cost ~2 ms of the window's start)."""

    __slots__ = ("root",)

    def __init__(self, root: Path):
        object.__setattr__(self, "root", root)

    def __setattr__(self, name, value):
        raise AttributeError(f"DataPaths is immutable: cannot set {name}")

    def __eq__(self, other) -> bool:
        return isinstance(other, DataPaths) and other.root == self.root

    def __hash__(self) -> int:
        return hash(self.root)

    def __repr__(self) -> str:
        return f"DataPaths(root={self.root!r})"

    @property
    def database(self) -> Path:
        return self.root / "inspector.db"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def checklists(self) -> Path:
        """User-supplied checklists that add to or override the bundled ones."""
        return self.root / "checklists"

    def ensure(self) -> "DataPaths":
        from inspector.errors import UserError, os_error_text

        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self.backups.mkdir(exist_ok=True)
        except OSError as exc:
            raise UserError(f"无法创建数据目录 {self.root}：{os_error_text(exc)}。") from exc
        return self


def remove_start_up_leftovers(paths: DataPaths, recent_exports: int = 10) -> None:
    """Delete temporary files that killed runs left in the data directory, its backups and beside recent exports."""
    from inspector.core.common.outputs import remove_leftovers

    for folder in (paths.root, paths.backups, *_recent_export_folders(paths.database, recent_exports)):
        remove_leftovers(folder)


def _recent_export_folders(database: Path, limit: int) -> list[Path]:
    """Folders the last exports went to (from the sync log); nothing if the database cannot tell."""
    import sqlite3

    if not database.is_file():
        return []
    try:
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = connection.execute("SELECT path FROM sync_log WHERE kind = 'export' ORDER BY rowid DESC LIMIT ?",
                                      (limit,)).fetchall()
        finally:
            connection.close()
    except (sqlite3.Error, UnicodeDecodeError):  # (SQLite quoting damaged text: the open says it is damaged)
        return []
    return list(dict.fromkeys(Path(path).parent for (path,) in rows if path))
