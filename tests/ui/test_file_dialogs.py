"""Each file dialog opens in the folder the last one of its kind used (a person adds photos finding after
finding from one phone folder, merges from one USB stick), also after a restart; a folder that has gone
falls back to the home folder. Driven through the real dialogs: a click on 添加文件…, the path typed into
Qt's own file dialog and Enter."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QPushButton

from inspector.ui import file_dialogs
from inspector.ui.application import create_application, open_main_window
from tests.ui.walkthrough.person import click, type_text, window  # noqa: F401  (a fixture)


def _visible_file_dialog() -> QFileDialog | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()), None)


def _answer_the_file_dialog(qtbot, typed: str, seen: list[str]) -> None:
    """When Qt's file dialog is up: note the folder it opened in, type ``typed`` as the file name, press Enter."""
    def answer() -> None:
        dialog = _visible_file_dialog()
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        if not seen:
            seen.append(dialog.directory().absolutePath())
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        if QApplication.focusWidget() is not name:  # keys go where the focus is: wait until the dialog has it
            dialog.activateWindow()
            name.setFocus()
            QTimer.singleShot(20, answer)
            return
        qtbot.keyClick(name, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # replace what the dialog put there
        type_text(qtbot, name, typed)  # one key event per character (the path is Chinese)
        press_enter(5)

    def press_enter(left: int) -> None:
        """Enter; again while the dialog is up (the first may only close the completer's list of matching
        names, which Qt fills from a background thread), as a person does; then give up: fail, do not hang."""
        dialog = _visible_file_dialog()
        if dialog is None:
            return
        if not left:
            dialog.reject()
            return
        qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Return)
        QTimer.singleShot(300, lambda: press_enter(left - 1))

    QTimer.singleShot(20, answer)


def _add_file_in_the_merge_dialog(qtbot, window, path: Path) -> str:
    """Open 合并其他电脑的文件, click 添加文件…, choose ``path``; the folder the file dialog opened in."""
    dialog = window.sync.open_merge()
    try:
        add = next(b for b in dialog.findChildren(QPushButton) if b.text() == "添加文件…")
        seen: list[str] = []
        _answer_the_file_dialog(qtbot, str(path), seen)
        click(qtbot, add)
        qtbot.waitUntil(lambda: dialog.files.stringList() == [str(path)], timeout=5000)
        window.tasks.wait()  # the preview of the file
        return seen[0]
    finally:
        dialog.close()


def test_the_merge_files_dialog_opens_on_the_stick_used_last_also_after_a_restart(qtbot, window, services, tmp_path):
    stick = tmp_path / "U盘"
    stick.mkdir()
    for name in ("第一周.db", "第二周.db"):
        (stick / name).write_bytes(b"not an export")
    first = _add_file_in_the_merge_dialog(qtbot, window, stick / "第一周.db")
    second = _add_file_in_the_merge_dialog(qtbot, window, stick / "第二周.db")
    assert Path(first) == Path.home()  # nothing used yet: not the app's working folder
    assert Path(second) == stick
    window.close()
    window.tasks.wait()

    create_application()
    again = open_main_window(services)  # the app started again on the same data folder
    qtbot.addWidget(again)
    assert Path(file_dialogs.start_folder(file_dialogs.EXCHANGE)) == stick
    assert Path(file_dialogs.start_folder(file_dialogs.PHOTOS)) == Path.home()  # kinds are kept apart
    shutil.rmtree(stick)  # the stick pulled out
    assert Path(file_dialogs.start_folder(file_dialogs.EXCHANGE)) == Path.home()
    again.close()
