"""A whole-number field with a "not set" value that takes a typed number after a click.

Qt's QSpinBox shows its special value ("未设置") at the minimum, and digits typed into it after a
click are refused (the text would read "未设置1"), so a person had to know to press Ctrl+A first.
Here a digit typed while the special value shows replaces it, and Ctrl+A then Delete or Backspace
goes back to "not set" at once (a plain QSpinBox keeps its old value until the field is left).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox

PLAIN = ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier)
ERASERS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


class NumberBox(QSpinBox):
    """A QSpinBox whose special value gives way to typed digits."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        plain = not event.modifiers() & PLAIN
        special = bool(self.specialValueText()) and self.value() == self.minimum()
        if plain and event.text().isdigit() and special:
            self.lineEdit().selectAll()
        elif plain and event.key() in ERASERS and self.specialValueText() and self._all_selected():
            self.setValue(self.minimum())
            self.selectAll()
            event.accept()
            return
        super().keyPressEvent(event)

    def _all_selected(self) -> bool:
        line = self.lineEdit()
        return line.hasSelectedText() and len(line.selectedText()) == len(line.text())
