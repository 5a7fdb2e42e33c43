"""Register or edit an enterprise; show the report of an enterprise-list import.

Open with ``open()``: a refused save (bad credit code, duplicate) is shown in the dialog,
which stays open; a saved one emits ``enterprise_saved(id)`` and closes. The credit code is
checked while it is typed (its length in grey until the field is left, then in red; a wrong
character or check digit at once), and a refused save's message goes as soon as anything is edited.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from inspector.core.records.checklist_model import SECTORS
from inspector.core.records.credit_code import normalize, problem, typing_problem
from inspector.ui.tab_order import follow_rows
from inspector.ui.wheel_guard import guard_wheel

ERROR_STYLE = "color: #b71c1c"
PENDING_STYLE = "color: #666"


class EnterpriseDialog(QDialog):
    enterprise_saved = Signal(str)

    def __init__(self, services, enterprise=None, parent=None):
        super().__init__(parent)
        self.services, self.enterprise = services, enterprise
        self.setWindowTitle(self.tr("Edit enterprise") if enterprise else self.tr("Register enterprise"))
        self.setMinimumWidth(520)
        self.fields = {name: QLineEdit(self) for name in ("name", "credit_code", "address", "legal_representative",
                                                          "contact_phone", "liaison")}
        self.industry = QComboBox(self)
        self.industry.setEditable(True)
        self.industry.addItems([""] + list(SECTORS.values()))
        self.fields["credit_code"].setMaxLength(18)
        self.fields["credit_code"].setPlaceholderText(self.tr("18 characters; may be left empty"))
        self.fields["credit_code"].textEdited.connect(lambda text: self._check_code(text, finished=False))
        self.fields["credit_code"].editingFinished.connect(
            lambda: self._check_code(self.fields["credit_code"].text(), finished=True))
        self.code_hint = QLabel(self)
        self.code_hint.setStyleSheet(ERROR_STYLE)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._layout()
        for widget in self.fields.values():
            widget.textEdited.connect(self._clear_error)
        self.industry.editTextChanged.connect(self._clear_error)
        guard_wheel(self)
        if enterprise is not None:
            self._fill(enterprise)

    def _layout(self) -> None:
        self.form = form = QFormLayout()
        form.addRow(self.tr("Name *"), self.fields["name"])
        form.addRow(self.tr("Unified social credit code"), self.fields["credit_code"])
        form.addRow("", self.code_hint)
        form.addRow(self.tr("Address"), self.fields["address"])
        form.addRow(self.tr("Sector"), self.industry)
        form.addRow(self.tr("Legal representative / person in charge"), self.fields["legal_representative"])
        form.addRow(self.tr("Phone"), self.fields["contact_phone"])
        form.addRow(self.tr("Liaison (包保责任人)"), self.fields["liaison"])
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        form.setRowVisible(self.code_hint, False)
        follow_rows(form)

    def _fill(self, enterprise) -> None:
        for name, widget in self.fields.items():
            widget.setText(getattr(enterprise, name) or "")
        self.industry.setCurrentText(enterprise.industry)

    def values(self) -> dict[str, str]:
        values = {name: widget.text() for name, widget in self.fields.items()}
        values["industry"] = self.industry.currentText()
        return values

    def _check_code(self, text: str, finished: bool) -> None:
        """Say what is wrong with the code as it is typed; a short one is an error once the field is left."""
        code = normalize(text)
        early = typing_problem(code) if code and not finished else None
        hint = early or ((problem(code) or "") if code else "")
        self.code_hint.setText(hint)
        self.code_hint.setStyleSheet(ERROR_STYLE if early or finished or len(code) >= 18 else PENDING_STYLE)
        self.form.setRowVisible(self.code_hint, bool(hint))

    def _clear_error(self, *_changed) -> None:
        self.error.clear()

    def save(self) -> None:
        from inspector.core.records.enterprises import create_enterprise, update_enterprise
        from inspector.errors import UserError

        try:
            if self.enterprise is None:
                saved = create_enterprise(self.services.db, **self.values())
            else:
                saved = update_enterprise(self.services.db, self.enterprise.id, **self.values())
        except UserError as error:
            self.error.setText(error.message)
            return
        self.enterprise = saved
        self.enterprise_saved.emit(saved.id)
        self.accept()


class ImportReportDialog(QDialog):
    """What an enterprise-list import accepted and rejected (and why)."""

    def __init__(self, report, file_name: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import of %1").replace("%1", file_name))
        self.resize(640, 420)
        summary = QLabel(report.summary(), self)
        summary.setStyleSheet("font-weight: bold")
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        lines = [self.tr("Rejected rows:")] + [str(rejected) for rejected in report.rejected] if report.rejected else \
            [self.tr("No row was rejected.")]
        self.details.setPlainText("\n".join(lines))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
