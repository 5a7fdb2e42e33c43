"""Qt's file dialogs, each opening in the folder last used for the same kind of file.

An inspector adds photos finding after finding from one camera or phone folder, and merges or exports on
one USB stick: without this, every dialog started in the app's working folder (its install folder on a
laptop) and the person had to walk to the same folder again each time. The folders are kept per kind
(``PHOTOS``, ``EXCHANGE``, ``DOCUMENTS``, ``LISTS``) in the data folder's settings, so they survive a
restart; a folder that has gone (a USB stick pulled) falls back to the home folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

PHOTOS, EXCHANGE, DOCUMENTS, LISTS = "photos", "exchange", "documents", "lists"
SETTING = "last_folders"

_settings = None  # the window's Settings (use_settings), or None: the folders are then kept for this run only
_folders: dict[str, str] = {}


def use_settings(settings) -> None:
    """Keep the folders in ``settings`` (the composition root calls this with the data folder's settings)."""
    global _settings
    _settings = settings
    _folders.clear()


def start_folder(kind: str) -> str:
    """The folder a dialog for ``kind`` opens in: the last one used for it, else the home folder."""
    saved = _saved().get(kind)
    if saved and Path(saved).is_dir():
        return saved
    return str(Path.home())


def remember(kind: str, chosen: str) -> None:
    """Note the folder of ``chosen`` (a file, or a folder for :func:`folder`) for the next dialog of ``kind``."""
    if not chosen:
        return
    path = Path(chosen)
    folder = str(path if path.is_dir() else path.parent)
    if _saved().get(kind) == folder:
        return
    _folders[kind] = folder
    if _settings is not None:
        try:
            _settings.set(SETTING, {**_saved(), kind: folder})
        except OSError:
            pass  # a full or read-only data folder: the folder is still remembered for this run


def open_files(parent, kind: str, title: str, file_filter: str) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, start_folder(kind), file_filter)
    if paths:
        remember(kind, paths[0])
    return paths


def open_file(parent, kind: str, title: str, file_filter: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, start_folder(kind), file_filter)
    remember(kind, path)
    return path


def save_file(parent, kind: str, title: str, suggested: str, file_filter: str) -> str:
    """``suggested``: a file name (put in the remembered folder) or a path (kept as it is)."""
    start = suggested if Path(suggested).is_absolute() else str(Path(start_folder(kind)) / suggested)
    path, _ = QFileDialog.getSaveFileName(parent, title, start, file_filter)
    remember(kind, path)
    return path


def folder(parent, kind: str, title: str) -> str:
    path = QFileDialog.getExistingDirectory(parent, title, start_folder(kind))
    remember(kind, path)
    return path


def _saved() -> dict[str, str]:
    stored = _settings.get(SETTING) if _settings is not None else None
    return {**(stored if isinstance(stored, dict) else {}), **_folders}
