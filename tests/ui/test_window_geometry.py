"""A dialog's remembered geometry: kept at once for its next opening, written to the settings file by a
background task (the fsync stays off the GUI thread), never losing another setting saved meanwhile."""

from __future__ import annotations

import json
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from inspector.ui.application import create_application, open_main_window


@pytest.fixture
def window(qtbot, services):
    window = opened_window(qtbot, services, show=lambda window: window.show())
    yield window
    window.close()
    window.tasks.wait()


def opened_window(qtbot, services, show):
    create_application()
    window = open_main_window(services)
    qtbot.addWidget(window)
    show(window)
    qtbot.waitUntil(lambda: window.has_data and window.tabs.building_enabled, timeout=20000)
    return window


def on_disk(services) -> dict:
    return json.loads(services.paths.settings.read_text(encoding="utf-8")) if services.paths.settings.exists() else {}


def open_ledger_from_the_menu(qtbot, window):
    menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "闭环(&L)")
    next(action for action in menu.actions() if action.text().startswith("导出隐患台账")).trigger()
    dialog = window.closed_loop.ledger_dialog
    qtbot.waitExposed(dialog)
    return dialog


def test_a_dialogs_size_is_written_and_comes_back(qtbot, window):
    services = window.services
    dialog = open_ledger_from_the_menu(qtbot, window)
    dialog.resize(640, 420)  # the person drags the dialog smaller
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: "LedgerDialog" in on_disk(services).get("window_geometry", {}), timeout=5000)
    assert services.settings.get("window_geometry")["LedgerDialog"] == on_disk(services)["window_geometry"]["LedgerDialog"]
    again = open_ledger_from_the_menu(qtbot, window)
    assert again.size().toTuple() == (640, 420)
    QTest.keyClick(again, Qt.Key.Key_Escape)


def close_a_dialog_then_save_a_setting(qtbot, window, monkeypatch) -> threading.Event:
    """The ledger dialog resized and closed; once the background write of its geometry has taken its copy
    of the settings (held there), another setting is saved on the GUI thread. Returns what lets the write land."""
    from inspector.ui import window_fit

    release, writing = threading.Event(), threading.Event()
    original = window_fit.write_settings

    def slow_write(path, text):
        writing.set()
        release.wait(10)
        original(path, text)

    monkeypatch.setattr(window_fit, "write_settings", slow_write)
    dialog = open_ledger_from_the_menu(qtbot, window)
    dialog.resize(600, 400)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert writing.wait(5)  # the geometry's write is on its way (its copy taken)
    window.services.settings.set("template_family", "enforcement")  # saved on the GUI thread meanwhile
    return release


def geometry_writes(services):
    from inspector.ui.window_fit import window_fitter

    return window_fitter(QApplication.instance(), services.settings)._writes


def assert_both_settings_on_disk(services) -> None:
    saved = on_disk(services)
    assert saved.get("template_family") == "enforcement"
    assert "LedgerDialog" in saved.get("window_geometry", {})


def test_a_setting_saved_while_the_geometry_is_being_written_is_not_lost(qtbot, window, monkeypatch):
    """The background write took its copy of the settings before another setting was saved on the GUI
    thread; if it lands last on disk, that setting must be written again."""
    close_a_dialog_then_save_a_setting(qtbot, window, monkeypatch).set()
    qtbot.waitUntil(lambda: not geometry_writes(window.services).busy, timeout=5000)
    assert_both_settings_on_disk(window.services)


def test_quitting_right_after_a_dialog_leaves_every_setting_on_disk(qtbot, services, monkeypatch):
    """The person closes a dialog and quits at once (Ctrl+Q) while its geometry's write is still on its
    way and another setting was saved meanwhile: the file ends with both (the check after the write would
    have come from the event loop, which is ending)."""
    from inspector.ui.application import show_main_window

    window = opened_window(qtbot, services, show=show_main_window)  # as the app shows it (its geometry kept too)
    release = close_a_dialog_then_save_a_setting(qtbot, window, monkeypatch)
    threading.Timer(0.3, release.set).start()  # the write lands while the window is closing
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    assert geometry_writes(services).pool.waitForDone(5000)  # no event loop any more: only the threads finish
    window.tasks.wait()
    assert_both_settings_on_disk(services)
