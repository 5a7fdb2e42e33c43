"""What a person does with the GUI, for tests: type, press keys, click, turn the wheel; read the database.

Import the fixtures by name (``from tests.ui.walkthrough.person import window``) and the helpers.
Nothing here sets a widget's value or calls a core function to drive the application.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QCoreApplication, QPoint, QPointF, Qt
from PySide6.QtGui import QInputMethodEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from inspector.ui.application import create_application, open_main_window
from inspector.ui.table_model import RowRole

CHINA = timezone(timedelta(hours=8))
LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
EDITABLE_TYPES = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QCheckBox)


@pytest.fixture
def window(qtbot, services):
    create_application()
    window = open_main_window(services)
    qtbot.addWidget(window)
    loaded = []
    window.data_loaded.connect(lambda: loaded.append(True))
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: bool(loaded) and window.isActiveWindow(), timeout=10000)
    yield window
    window.tasks.wait()


def open_loaded_window(qtbot, services, timeout: int = 20000):
    """The main window on ``services``, shown, once its first data load has arrived."""
    create_application()
    window = open_main_window(services)
    qtbot.addWidget(window)
    loaded = []
    window.data_loaded.connect(lambda: loaded.append(True))
    window.show()
    qtbot.waitUntil(lambda: bool(loaded), timeout=timeout)
    return window


def photo(path: Path, colour: str, taken=None) -> Path:
    """A real JPEG written by Pillow, optionally with an EXIF capture time."""
    image = Image.new("RGB", (1600, 1200), colour)
    ImageDraw.Draw(image).rectangle([200, 200, 900, 700], fill="white")
    params = {"quality": 90}
    if taken is not None:
        exif = Image.Exif()
        exif[0x0132] = taken.astimezone(CHINA).strftime("%Y:%m:%d %H:%M:%S")
        params["exif"] = exif
    image.save(path, "JPEG", **params)
    return path


def type_text(qtbot, widget, text: str) -> None:
    """Type at the cursor: ASCII by keys, Chinese committed by an input method (as a real IME does)."""
    widget.setFocus()
    for part in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if part.isascii():
            qtbot.keyClicks(widget, part)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(part)
            QCoreApplication.sendEvent(widget, event)


def retype(qtbot, widget, text: str) -> None:
    """Click into a field, Ctrl+A, type the new text (replacing the old)."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, CTRL)
    if not text:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)


def press(qtbot, widget, *keys) -> None:
    for key in keys:
        qtbot.keyClick(widget, key)


def click(qtbot, button) -> None:
    assert isinstance(button, QAbstractButton)
    assert button.isEnabled() and button.isVisible(), button.text()
    qtbot.mouseClick(button, LEFT)


def wheel(widget, steps: int = 1) -> None:
    """Turn the mouse wheel over a widget (``steps`` notches up; negative: down) without clicking it."""
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    for _ in range(abs(steps)):
        event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                            QPoint(0, 120 if steps > 0 else -120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(widget, event)


def editable_widgets(root) -> list:
    """Every widget a person can type into or choose from inside ``root`` (not a spin/combo box's own line edit)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, EDITABLE_TYPES):
            continue
        if isinstance(widget.parent(), (QAbstractSpinBox, QComboBox)):
            continue
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)) and widget.isReadOnly() and not widget.isEnabled():
            continue
        found.append(widget)
    return found


def query(database: Path, sql: str, *params):
    connection = sqlite3.connect(database)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def one(database: Path, sql: str, *params):
    rows = query(database, sql, *params)
    assert len(rows) == 1, rows
    return rows[0][0] if len(rows[0]) == 1 else rows[0]


def close_tab_button(tabs, widget):
    bar = tabs.tabBar()
    return bar.tabButton(tabs.indexOf(widget), bar.ButtonPosition.RightSide)


def activate_row(qtbot, table, row: int) -> None:
    """Click a row of a table, then press Enter on it."""
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), LEFT, pos=rect.center())
    qtbot.keyClick(table, Qt.Key.Key_Return)


def open_tab(qtbot, tabs, widget) -> None:
    """Click the tab that shows ``widget``."""
    bar, index = tabs.tabBar(), tabs.indexOf(widget)  # a tab not built yet shows its placeholder page
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(index).center())
    assert index >= 0 and tabs.currentIndex() == index


def register_enterprise(qtbot, window, name: str, code: str, sector: str = "冷库/涉氨制冷") -> None:
    view = window.records.enterprises
    open_tab(qtbot, window.tabs, view)
    click(qtbot, view.buttons["register"])
    dialog = view.dialog
    type_text(qtbot, dialog.fields["name"], name)
    type_text(qtbot, dialog.fields["credit_code"], code)
    retype(qtbot, dialog.industry, sector)
    type_text(qtbot, dialog.fields["address"], "兴国经济技术开发区平川大道8号")
    with qtbot.waitSignal(dialog.enterprise_saved):
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Save))
    qtbot.waitUntil(lambda: name in [e.name for e in view.model.rows])  # the list reloads in the background
    window.activateWindow()  # the offscreen platform does not give the window back its activation
    qtbot.waitUntil(window.isActiveWindow)


def start_inspection(qtbot, window, query_text: str, team=(("王伟", "36070001"), ("李芳", "36070002"))):
    """Ctrl+N, find the enterprise, add the inspectors, type the place, start: the walk-through tab."""
    activated(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    dialog = window.records.dialog
    assert dialog.isVisible()
    type_text(qtbot, dialog.enterprise_search, query_text)
    qtbot.waitUntil(lambda: dialog.selected_enterprise() is not None)
    for name, cert in team:
        type_text(qtbot, dialog.new_inspector_name, name)
        type_text(qtbot, dialog.new_inspector_cert, cert)
        click(qtbot, dialog.add_inspector_button)
    type_text(qtbot, dialog.place, "氨制冷机房")
    with qtbot.waitSignal(dialog.inspection_started):
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Ok))
    walk = window.records.current_walkthrough()
    assert walk is not None and window.tabs.currentWidget() is walk
    window.activateWindow()  # the offscreen platform does not give the window back its activation
    qtbot.waitUntil(window.isActiveWindow)
    return walk


def reopen_inspection(qtbot, window, inspection_id: str):
    """From the inspections list: click the inspection's row and press Enter."""
    view = window.inspections
    open_tab(qtbot, window.tabs, view)
    qtbot.waitUntil(lambda: any(r.id == inspection_id for r in view.model.rows), timeout=10000)
    row = next(n for n in range(view.proxy.rowCount()) if view.proxy.index(n, 0).data(RowRole).id == inspection_id)
    activate_row(qtbot, view.table, row)
    walk = window.records.current_walkthrough()
    assert walk is not None and walk.inspection_id == inspection_id
    return walk


def wait_photos(qtbot, strip, count: int) -> None:
    qtbot.waitUntil(lambda: not strip.busy and strip.model.rowCount() == count, timeout=20000)


def quit_window(qtbot, window, focused) -> None:
    """文件 → 退出: its shortcut (Ctrl+Q where the platform binds one) pressed in ``focused``, else the menu item.

    The offscreen platform (like Windows) binds no key to QKeySequence.Quit; the menu item is what a person uses."""
    file_menu = window.menuBar().actions()[0].menu()
    exit_action = next(a for a in file_menu.actions() if a.text().replace("&", "").startswith("退出"))
    if exit_action.shortcut().isEmpty():
        exit_action.trigger()
    else:
        qtbot.keyClick(focused, exit_action.shortcut()[0].key(), exit_action.shortcut()[0].keyboardModifiers())


def activated(qtbot, window):
    """A freshly opened dialog, activated as a window manager would (offscreen does not do it by itself)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window
