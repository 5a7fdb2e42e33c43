"""A guard for the suite: no module that uses Qt may be imported off the GUI thread.

PySide6 creates its types lazily, on a module's first use of a name (``from PySide6.QtCore import
QDate``); a module of ``inspector.ui`` defining widgets and signals on a worker thread while the GUI
thread builds another killed the process with SIGSEGV (tests/ui/fit_check.py: the dashboard's worker
imported the hazard window while the new-inspection dialog was being imported). A task runs plain
functions of the core; this finder records every Qt module a worker thread tries to import, and
tests/conftest.py fails the test that did it.
"""

from __future__ import annotations

import sys
import threading
import traceback

QT_PACKAGES = ("PySide6", "shiboken6")
violations: list[str] = []


class OffThreadQtImports:
    """A meta path finder that finds nothing: it only notes imports of Qt modules off the main thread."""

    def find_spec(self, name, path=None, target=None):
        if threading.current_thread() is not threading.main_thread() and _uses_qt(name, path):
            stack = "".join(traceback.format_stack(limit=12)[:-1])
            violations.append(f"{name} imported on thread {threading.current_thread().name}:\n{stack}")
        return None


def _uses_qt(name: str, path) -> bool:
    """A module of the binding, or one of ``inspector.ui`` whose source imports it (a few, such as
    ``inspector.ui.documents.drafts``, are plain Python that tasks may import)."""
    if any(name == root or name.startswith(root + ".") for root in QT_PACKAGES):
        return True
    if not name.startswith("inspector.ui"):
        return False
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec(name, path)
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return True
    with open(spec.origin, encoding="utf-8") as source:
        text = source.read()
    return "PySide6" in text or "shiboken6" in text


def install() -> None:
    if not any(isinstance(finder, OffThreadQtImports) for finder in sys.meta_path):
        sys.meta_path.insert(0, OffThreadQtImports())


def take() -> list[str]:
    """The violations seen since the last call (and forget them)."""
    seen = violations[:]
    del violations[:]
    return seen
