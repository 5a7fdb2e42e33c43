"""The draft window's 文书日期 row: the date the document is issued under, and the reason for a backdate.

Today by default. A date before today is a 补签 (backdate): the reason field appears, and issuing is
refused until it is filled (the core's ``issue_dates.date_problems`` decides and says why in Chinese).
A date after today cannot be chosen (no pre-dating). Changing the date renders the draft again.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from inspector.ui.date_edit import DateEdit


class RecordDateRow(QWidget):
    changed = Signal()  # the chosen date changed: the draft is rendered again

    def __init__(self, parent=None):
        super().__init__(parent)
        self.date_edit = DateEdit(self)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setKeyboardTracking(False)  # one new draft when the date is typed, not one per digit
        self.date_edit.dateChanged.connect(self._date_changed)
        self.reason_label = QLabel(self.tr("Reason for the earlier date"), self)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("e.g. no printer on site; issued on return to the office"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Document date"), self))
        layout.addWidget(self.date_edit)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason, 1)
        layout.addStretch(0)
        from inspector.core.common.clock import local_today

        self._today = local_today()  # China's date, as the core checks it
        self.reset(self._today)

    def reset(self, today: date) -> None:
        """A new draft: today's date, no reason."""
        self._today = today
        self.date_edit.blockSignals(True)
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.date_edit.blockSignals(False)
        self.reason.clear()
        self._show_reason()

    def issued_on(self) -> date:
        """The date the draft shows and the document is issued under (what the person saw is what is kept)."""
        return self.date_edit.date().toPython()

    def backdate_reason(self) -> str:
        return self.reason.text().strip() if self._backdated() else ""

    def _backdated(self) -> bool:
        return self.issued_on() < self._today

    def _date_changed(self, _value) -> None:
        self._show_reason()
        self.changed.emit()

    def _show_reason(self) -> None:
        backdated = self._backdated()
        self.reason_label.setVisible(backdated)
        self.reason.setVisible(backdated)
