"""Small blocking dialogs every feature shares: a confirmation that names its action.

A confirmation's buttons say what happens (签发 / 取消, 删除 / 取消, 恢复 / 取消), never 是 / 否;
Enter presses the named action, as it pressed 是 before, and Esc cancels.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox


def confirm(parent, title: str, text: str, verb: str | None = None) -> bool:
    """Ask ``text``; True when the person pressed the button labelled ``verb`` (default: the title)."""
    box = confirmation_box(parent, title, text, verb)
    box.exec()
    return box.clickedButton() is box.accept_button


def confirmation_box(parent, title: str, text: str, verb: str | None = None) -> QMessageBox:
    """The box :func:`confirm` shows (built separately so tests can look at its buttons)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    accept = box.addButton(verb or title, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QCoreApplication.translate("Dialogs", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(accept)
    box.setEscapeButton(cancel)
    box.accept_button = accept
    return box
