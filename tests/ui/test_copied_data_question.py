"""Issue 11 case 6 in the GUI: a copied data folder is asked about once, before the database opens."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from inspector.services import Services
from inspector.ui.application import ask_about_copied_data, create_application


@pytest.fixture
def copied(demo_dir, tmp_path):
    services = Services(demo_dir)
    original = services.db.device_id
    services.close()
    copy = tmp_path / "copy"
    shutil.copytree(demo_dir, copy)
    return copy, original


def answer_with(qtbot, action) -> list[str]:
    seen = []

    def act():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, act)
            return
        seen.append(box.text())
        action(box)

    QTimer.singleShot(0, act)
    return seen


def test_enter_gives_the_copy_a_new_device_id(qtbot, copied):
    create_application()
    folder, original = copied
    services = Services(folder)
    seen = answer_with(qtbot, lambda box: QTest.keyClick(box, Qt.Key.Key_Return))
    ask_about_copied_data(services)
    assert seen and ("new device id" in seen[0] or "设备编号" in seen[0])
    assert services.db.device_id != original
    services.close()


def test_clicking_only_moved_keeps_the_id(qtbot, copied):
    create_application()
    folder, original = copied

    def click_moved(box):
        [button] = [b for b in box.findChildren(QPushButton) if "moved" in b.text() or "移动" in b.text()]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    services = Services(folder)
    answer_with(qtbot, click_moved)
    ask_about_copied_data(services)
    assert services.db.device_id == original
    services.close()


def test_no_question_for_a_folder_that_stayed_put(qtbot, demo_dir):
    create_application()
    services = Services(demo_dir)
    assert services.db.device_id
    services.close()
    again = Services(demo_dir)
    ask_about_copied_data(again)  # would block on a dialog if it asked
    again.close()
