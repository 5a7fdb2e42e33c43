"""Keyboard shortcuts on actions without touching PySide6's Qt namespace before the first frame.

``QAction.setShortcut`` makes PySide6 test its overloads (one takes a ``Qt.Key``), which creates the
Qt namespace's ~95 enum classes (14 ms of start-up, while a bare window creates none); the list form
``setShortcuts([QKeySequence])`` does not, and sets exactly the same single shortcut.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence


def set_shortcut(action, key) -> None:
    """``key``: a ``QKeySequence``, a ``QKeySequence.StandardKey`` (its first binding, as setShortcut) or text."""
    action.setShortcuts([key if isinstance(key, QKeySequence) else QKeySequence(key)])
