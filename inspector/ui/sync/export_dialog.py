"""The export dialog: destination, what to include, the file; exports in the background with a progress bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
    QVBoxLayout,
)

from inspector.ui.long_combo import make_long
from inspector.ui.sync.sync_common import SyncDialogs, export_choices, export_task
from inspector.ui.tasks import TaskRunner
from inspector.ui.wheel_guard import guard_wheel


class ExportDialog(QDialog):
    export_finished = Signal(object)

    def __init__(self, services, tasks: TaskRunner, dialogs: SyncDialogs | None = None, parent=None):
        super().__init__(parent)
        self.services, self.tasks, self.dialogs = services, tasks, dialogs or SyncDialogs()
        self.setWindowTitle(self.tr("Export data"))
        self.resize(560, 330)
        self.target = QComboBox(self)
        self.target.setEditable(True)
        self.target.addItem(self.tr("Office"))  # the destination's name, as the person calls it
        self.since_last = QCheckBox(self.tr("Only what changed since the last export to this destination"), self)
        self.since_last.setChecked(True)
        self.enterprise = make_long(QComboBox(self))  # every enterprise (thousands in a county)
        self.enterprise.addItem(self.tr("All enterprises"), None)
        self.by_date = QCheckBox(self.tr("Only inspections between"), self)
        self.date_from, self.date_to = QDateEdit(self), QDateEdit(self)
        from inspector.core.common.clock import local_today

        today = local_today()  # China's date, as the records have it; not the computer's own zone
        for edit, offset in ((self.date_from, -30), (self.date_to, 0)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(today.year, today.month, today.day).addDays(offset))
        self.path = QLineEdit(self)
        self.progress = QProgressBar(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Export"), self)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self._layout()
        self.tasks.submit(export_choices, services, on_done=self._fill_choices)
        guard_wheel(self)  # the wheel scrolls; it changes a field only the person is editing

    def _layout(self) -> None:
        choose = QPushButton(self.tr("Choose…"), self)
        choose.clicked.connect(self.choose_path)
        file_row, date_row = QHBoxLayout(), QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(choose)
        for widget in (self.by_date, self.date_from, QLabel("—", self), self.date_to):
            date_row.addWidget(widget)
        date_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Destination"), self.target)
        form.addRow("", self.since_last)
        form.addRow(self.tr("Enterprise"), self.enterprise)
        form.addRow(self.tr("Dates"), date_row)
        form.addRow(self.tr("File"), file_row)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message, 1)
        layout.addLayout(buttons)

    def _fill_choices(self, choices) -> None:
        enterprises, targets = choices
        for enterprise_id, name in enterprises:
            self.enterprise.addItem(name, enterprise_id)
        for target in targets:
            if self.target.findText(target) < 0:
                self.target.addItem(target)

    def choose_path(self) -> None:
        from datetime import datetime

        from inspector.core.common.clock import CHINA_TZ

        suggested = Path.home() / f"inspector-{datetime.now(CHINA_TZ).strftime('%Y%m%d-%H%M')}.db"
        path = self.dialogs.save_path(self, str(suggested))
        if path:
            self._chosen = path  # the save dialog asked before replacing an existing file
            self.path.setText(path)

    def options(self):
        from inspector.core.sync.export import ExportOptions
        from inspector.core.sync.selection import ExportFilter

        dates = (self.date_from.date().toPython(), self.date_to.date().toPython()) if self.by_date.isChecked() else (None, None)
        return ExportOptions(since_last=self.since_last.isChecked(), target=self.target.currentText().strip() or self.tr("Office"),
                             filter=ExportFilter(self.enterprise.currentData(), *dates))

    def start(self) -> None:
        if not self.path.text().strip():
            self.choose_path()
        if not self.path.text().strip() or not self._may_write(self.path.text().strip()):
            return
        self.export_button.setEnabled(False)
        self.message.setText(self.tr("Exporting…"))
        self.progress.setValue(0)
        self.tasks.submit(export_task, self.services, self.path.text().strip(), self.options(),
                          on_done=self._done, on_error=self._failed, on_progress=self._progress)

    def _may_write(self, path: str) -> bool:
        """Through the one output check: never a data folder's files; a typed existing file only when confirmed."""
        from inspector.core.common.outputs import check_output
        from inspector.errors import UserError

        try:
            check_output(path, force=True)
        except UserError as error:
            self.message.setText(error.message)
            return False
        if Path(path).exists() and path != getattr(self, "_chosen", None):
            return self.dialogs.confirm(self, self.tr("Export data"),
                                        self.tr("%1 already exists. Replace it?").replace("%1", path))
        return True

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _done(self, result) -> None:
        self.export_button.setEnabled(True)
        self.progress.setValue(self.progress.maximum())
        self.message.setText(self.tr("Exported %1 records and %2 photos to %3. The file was reopened and verified.")
                             .replace("%1", str(result.records)).replace("%2", str(result.photos))
                             .replace("%3", str(result.path)) + ("\n" + result.warning if result.warning else ""))
        self.export_finished.emit(result)

    def _failed(self, error) -> None:
        self.export_button.setEnabled(True)
        self.progress.setValue(0)
        self.message.setText(getattr(error, "message", str(error)))
