"""Run in its own process on an offscreen screen of a given size (see test_main_window.py):
opens the main window on a demo, triggers every menu action and the windows behind the lists,
and prints one JSON line per top-level window seen: its frame, the screen, buttons cut off.

    QT_QPA_PLATFORM=offscreen:configfile=screen.json python tests/ui/fit_check.py DATA_DIR
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QRect, QTimer
from PySide6.QtWidgets import QAbstractButton, QScrollArea

SKIP = ("退出", "Exit", "E&xit", "退出(&X)")


def cut_buttons(window) -> list[str]:
    """Visible buttons of ``window`` outside its own rectangle or the screen (not inside a scroll area)."""
    area = window.screen().availableGeometry()
    frame = window.frameGeometry()
    cut = []
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or _scrolled(button, window):
            continue
        top_left = button.mapToGlobal(button.rect().topLeft())
        rect = QRect(top_left, button.size())
        if not (frame.contains(rect) and area.contains(rect)):
            cut.append(button.text() or button.objectName() or type(button).__name__)
    return cut


def _scrolled(widget, window) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


class Recorder:
    def __init__(self, app, main):
        self.app, self.main, self.seen = app, main, {}

    def sweep(self) -> None:
        for widget in self.app.topLevelWidgets():
            if widget is self.main or not widget.isVisible() or not widget.isWindow():
                continue
            if widget.windowType().name not in ("Window", "Dialog", "Sheet"):
                continue
            self.record(widget)
            widget.close()

    def record(self, widget) -> None:
        name = f"{type(widget).__name__}:{widget.windowTitle()}"
        area = widget.screen().availableGeometry()
        frame = widget.frameGeometry()
        self.seen[name] = {"name": name, "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                           "screen": [area.x(), area.y(), area.width(), area.height()],
                           "fits": area.contains(frame), "cut": cut_buttons(widget)}


def main(data_dir: str) -> int:
    from tests import qt_import_guard

    qt_import_guard.install()
    from inspector.services import Services
    from inspector.ui.application import create_application, open_main_window, show_main_window

    app = create_application()
    services = Services(data_dir)
    window = open_main_window(services)
    show_main_window(window)
    recorder = Recorder(app, window)
    done = []
    window.data_loaded.connect(lambda: done.append(True))
    while not done:
        _settle(app, 1)
    sweeper = QTimer(interval=30)
    sweeper.timeout.connect(recorder.sweep)
    sweeper.start()
    recorder.seen["MainWindow"] = {"name": "MainWindow", "fits": window.screen().availableGeometry().contains(
        window.frameGeometry()), "cut": cut_buttons(window), "frame": list(window.frameGeometry().getRect()),
        "screen": list(window.screen().availableGeometry().getRect())}
    for action in _menu_actions(window):
        action.trigger()
        _settle(app)
    for opener in _openers(window):
        opener()
        _settle(app)
    for entry in recorder.seen.values():
        print(json.dumps(entry, ensure_ascii=False))
    window.tasks.wait()
    violations = qt_import_guard.take()
    for violation in violations:
        print(f"a Qt module was imported off the GUI thread (PySide6 crashes): {violation}", file=sys.stderr)
    return 1 if violations else 0


def _menu_actions(window) -> list:
    actions = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        for action in menu.actions() if menu else []:
            if action.isSeparator() or action.menu() or action.text() in SKIP or not action.isEnabled():
                continue
            actions.append(action)
    return actions


def _openers(window) -> list:
    """Windows behind the lists: a hazard, a document draft, the new-inspection and enterprise dialogs."""
    import sqlite3

    connection = sqlite3.connect(window.services.db.path)
    try:
        finding = connection.execute("SELECT id FROM finding WHERE result = 'fail' LIMIT 1").fetchone()[0]
        inspection = connection.execute("SELECT inspection_id FROM finding WHERE result = 'fail' "
                                        "AND status = 'pending' LIMIT 1").fetchone()[0]
    finally:
        connection.close()
    return [lambda: window.closed_loop.open_hazard(finding), lambda: window.notices.open_inspection(inspection),
            lambda: window.records.new_inspection(), lambda: window.records.enterprises.register()]


def _settle(app, rounds: int = 40) -> None:
    import time

    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.01)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
