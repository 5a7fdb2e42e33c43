"""Export the 隐患台账: found-date range, sector, status; .xlsx (with photo appendix) or .csv.

Opened with ``open()`` (not ``exec()``); the save-file picker and messages go through
``self.dialogs``. The export runs in a background task and ends with ``ledger_exported``.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QPushButton,
    QRadioButton, QVBoxLayout,
)

from inspector.core.common.clock import local_today
from inspector.ui.loop_common import OVERDUE_COLOUR, LoopDialogs, error_text, status_text
from inspector.ui.wheel_guard import guard_wheel

STATUSES = ("overdue", "pending", "rectifying", "awaiting_review", "closed", "escalated")


def _export(services, path: str, date_from, date_to, sector, status, progress=None):
    from inspector.core.reports.ledger import make_filter
    from inspector.core.reports.ledger_export import export_ledger, reporting_unit

    db = services.db
    flt = make_filter(db, date_from=date_from, date_to=date_to, sector=sector, status=status)
    return export_ledger(db, path, flt, progress=progress, unit=reporting_unit(services)), path


def _sectors(db):
    from inspector.core.reports.ledger import known_sectors

    return known_sectors(db)


class LedgerDialog(QDialog):
    ledger_exported = Signal(str, int)  # path, rows

    def __init__(self, services, tasks, parent=None):
        super().__init__(parent)
        self.services, self.tasks = services, tasks
        self.dialogs = LoopDialogs()
        self.setWindowTitle(self.tr("Export hazard ledger"))
        self._build()
        self.tasks.submit(_sectors, services.db, on_done=self._set_sectors)
        guard_wheel(self)  # the wheel scrolls; it changes a field only the person is editing

    def _build(self) -> None:
        today = local_today()
        self.from_check, self.from_edit = self._date_row(QDate(today.year, 1, 1))
        self.to_check, self.to_edit = self._date_row(QDate(today.year, today.month, today.day))
        self.sector_box = QComboBox(self)
        self.sector_box.addItem(self.tr("All sectors"), None)
        self.status_box = QComboBox(self)
        self.status_box.addItem(self.tr("All statuses"), None)
        for status in STATUSES:
            self.status_box.addItem(status_text(status), status)
        self.xlsx = QRadioButton(self.tr("Excel workbook (.xlsx, with photo list)"), self)
        self.csv = QRadioButton(self.tr("CSV (.csv, UTF-8)"), self)
        self.xlsx.setChecked(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.clicked.connect(self.export)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)  # Qt's own text is untranslated
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Found from"), self._pair(self.from_check, self.from_edit))
        form.addRow(self.tr("Found until"), self._pair(self.to_check, self.to_edit))
        form.addRow(self.tr("Sector"), self.sector_box)
        form.addRow(self.tr("Status"), self.status_box)
        form.addRow(self.tr("Format"), self._pair(self.xlsx, self.csv))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _date_row(self, initial: QDate):
        check = QCheckBox(self)
        edit = QDateEdit(initial, self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setEnabled(False)
        check.toggled.connect(edit.setEnabled)
        return check, edit

    def _pair(self, first, second) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(first)
        row.addWidget(second, 1)
        return row

    def _set_sectors(self, sectors: list[str]) -> None:
        for sector in sectors:
            self.sector_box.addItem(sector, sector)

    def suffix(self) -> str:
        return ".csv" if self.csv.isChecked() else ".xlsx"

    def export(self) -> None:
        suffix = self.suffix()
        name = self.tr("hazard-ledger-%1").replace("%1", local_today().isoformat()) + suffix
        file_filter = self.tr("CSV (*.csv)") if suffix == ".csv" else self.tr("Excel workbook (*.xlsx)")
        path = self.dialogs.save_path(self, self.tr("Export hazard ledger"), name, file_filter)
        if not path:
            return
        if not path.lower().endswith(suffix):
            path += suffix
        date_from = self.from_edit.date().toPython() if self.from_check.isChecked() else None
        date_to = self.to_edit.date().toPython() if self.to_check.isChecked() else None
        self.export_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Exporting…"))
        self.tasks.submit(_export, self.services, path, date_from, date_to, self.sector_box.currentData(),
                          self.status_box.currentData(), on_done=self._exported, on_error=self._failed,
                          on_progress=self._progress)

    def _progress(self, done: int, total: int) -> None:
        self.message.setText(self.tr("Exporting… %1 of %2").replace("%1", str(done)).replace("%2", str(total)))

    def _exported(self, result) -> None:
        count, path = result
        self.export_button.setEnabled(True)
        self.message.setText(self.tr("%n hazard(s) exported to %1", "", count).replace("%1", path))
        self.ledger_exported.emit(path, count)

    def _failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.message.setStyleSheet(f"color: {OVERDUE_COLOUR.name()};")
        self.message.setText(error_text(error))
