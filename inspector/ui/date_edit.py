"""Date fields that take a typed date the way people type it.

Qt's QDateEdit ignores digits typed over a fully selected text (Ctrl+A then "2028…" left the
year at 2027) and over its special value ("未设定"); after a section fills up it jumps to the
next one by itself, so the "-" a person types next skipped a section ("2028-03-15" became
2028-03-03). These subclasses start at the first section when everything is selected (or the
special value is shown) and swallow a separator that follows such a jump. "20280315",
"2028-03-15" and "2028/3/15" all give 2028-03-15. With a special value ("未设定"), Ctrl+A and Delete
(or Backspace) clear the date back to it. Wheel: see :mod:`inspector.ui.wheel_guard`.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit

SEPARATORS = frozenset("-/.: ")
PLAIN = ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier)


class _TypedDateMixin:
    _jumped = False

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        text = event.text()
        plain = not event.modifiers() & PLAIN
        if plain and text and text in SEPARATORS and self._jumped:
            self._jumped = False
            event.accept()
            return
        if plain and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self._clearable():
            self.setDateTime(self.minimumDateTime())  # shows the special value: no date
            event.accept()
            return
        if plain and text.isdigit():
            self._start_over_if_all_selected()
        before = self.currentSection()
        super().keyPressEvent(event)
        self._jumped = plain and text.isdigit() and self.currentSection() != before

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._jumped = False
        super().focusInEvent(event)

    def _all_selected(self) -> bool:
        line = self.lineEdit()
        return line.hasSelectedText() and len(line.selectedText()) == len(line.text())

    def _clearable(self) -> bool:
        return bool(self.specialValueText()) and self._all_selected()

    def _start_over_if_all_selected(self) -> None:
        special = bool(self.specialValueText()) and self.dateTime() == self.minimumDateTime()
        if special or self._all_selected():
            if special:
                from inspector.core.common.clock import local_today

                today = local_today()  # China's date, whatever the computer's zone
                self.setDate(QDate(today.year, today.month, today.day))
            self.setSelectedSection(self.sectionAt(0))


class DateEdit(_TypedDateMixin, QDateEdit):
    """A QDateEdit (yyyy-MM-dd) that takes Ctrl+A and a typed date."""


class DateTimeEdit(_TypedDateMixin, QDateTimeEdit):
    """A QDateTimeEdit that takes Ctrl+A and a typed date and time."""
