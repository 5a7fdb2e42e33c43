"""治理信息 of one hazard (临时管控措施, 治理方案, 资金, 责任人及电话, 挂牌督办, 处罚/立案, 备注), opened from
the hazard window. Loads and saves in the background; a refusal (e.g. a plan before interim measures of
a major hazard) is shown in the dialog, which stays open with what was typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget,
)

from inspector.ui.loop_common import error_text

LONG_FIELDS = ("interim_measures", "governance_plan", "remarks")


def _load(db, finding_id: str):
    from inspector.core.loop.governance import load_governance

    return load_governance(db, finding_id)


def _save(db, finding_id: str, values: dict[str, str]):
    from inspector.core.loop.governance import update_governance

    return update_governance(db, finding_id, **values)


class GovernanceDialog(QDialog):
    saved = Signal(str)  # finding id

    def __init__(self, services, tasks, finding_id: str, parent=None):
        super().__init__(parent)
        self.services, self.tasks, self.finding_id = services, tasks, finding_id
        self.setObjectName("governanceDialog")
        self.setWindowTitle(self.tr("Hazard governance"))
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #C62828")
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._layout()
        self.save_button.setEnabled(False)
        self.tasks.submit(_load, services.db, finding_id, on_done=self._show, on_error=self._failed)

    def _labels(self) -> dict[str, str]:
        return {
            "interim_measures": self.tr("Interim control measures"), "governance_plan": self.tr("Governance plan"),
            "governance_funds": self.tr("Funds"), "responsible_person": self.tr("Responsible person"),
            "responsible_phone": self.tr("Phone"), "supervision": self.tr("Supervised listing"),
            "enforcement": self.tr("Penalty / case"), "remarks": self.tr("Remarks"),
        }

    def _layout(self) -> None:
        form_widget = QWidget(self)
        form = QFormLayout(form_widget)
        for name, label in self._labels().items():
            editor = QPlainTextEdit(form_widget) if name in LONG_FIELDS else QLineEdit(form_widget)
            if isinstance(editor, QPlainTextEdit):
                editor.setTabChangesFocus(True)
                editor.setFixedHeight(72)
            editor.setObjectName(name)
            self.editors[name] = editor
            form.addRow(label, editor)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(620, 560)

    def values(self) -> dict[str, str]:
        return {name: editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()
                for name, editor in self.editors.items()}

    def _show(self, governance) -> None:
        for name, editor in self.editors.items():
            value = getattr(governance, name)
            editor.setPlainText(value) if isinstance(editor, QPlainTextEdit) else editor.setText(value)
        self.save_button.setEnabled(True)
        self.editors["interim_measures"].setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        self.save_button.setEnabled(False)
        self.message.clear()
        self.tasks.submit(_save, self.services.db, self.finding_id, self.values(), on_done=self._saved,
                          on_error=self._failed)

    def _saved(self, _changed) -> None:
        self.saved.emit(self.finding_id)
        self.accept()

    def _failed(self, error) -> None:
        self.save_button.setEnabled(True)
        self.message.setText(error_text(error))
