"""The finding editor: a hazard's fields, pre-filled from its checklist item, all editable, with photos.

Edits are saved by themselves (autosave) half a second after typing stops, when a field
loses focus, and before another finding is shown; ``finding_saved`` reports each commit.
An edit the database refuses (too long a text, an inspection completed meanwhile) stays in
the fields and pending: the editor then refuses to show another item (``show_*`` return
False) so that what is on screen is always the item the edits belong to.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from inspector.ui.photos.photo_strip import PhotoStrip
from inspector.ui.date_edit import DateEdit
from inspector.ui.wheel_guard import guard_wheel

NO_DATE = QDate(2000, 1, 1)
MAJOR_STYLE = "color: white; background: #c62828; padding: 3px 8px; font-weight: bold; border-radius: 3px"
RESULT_COLOURS = {"pass": "#2e7d32", "fail": "#c62828", "na": "#616161"}
AUTOSAVE_MS = 500


class FindingEditor(QWidget):
    finding_saved = Signal(object)  # the Finding as stored
    save_pending = Signal()
    save_failed = Signal(str)

    def __init__(self, services, tasks, parent=None):
        super().__init__(parent)
        self.services = services
        self.finding = None
        self.editable = False
        self.last_error = ""  # why the last save was refused
        self._dirty: set[str] = set()
        self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-size: 11pt")
        self.check_text = QLabel(self)
        self.check_text.setWordWrap(True)
        self.result = QLabel(self)
        self.major_badge = QLabel(self.tr("Major accident hazard"), self)
        self.major_badge.setStyleSheet(MAJOR_STYLE)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555")
        self.fields = self._make_fields()
        self.photos = PhotoStrip(services, tasks, self)
        self.form = self._make_form()
        self._layout()
        guard_wheel(self)
        self.show_nothing()

    # --- building ---------------------------------------------------------------------------

    def _make_fields(self) -> dict[str, QWidget]:
        fields: dict[str, QWidget] = {
            "description": _text_box(self, 3), "location": QLineEdit(self), "level": QComboBox(self),
            "major_clause": QLineEdit(self), "requirement": _text_box(self, 3), "deadline": DateEdit(self),
            "responsible_person": QLineEdit(self), "basis": _text_box(self, 2),
        }
        fields["level"].addItem(self.tr("General hazard"), "general")
        fields["level"].addItem(self.tr("Major accident hazard"), "major")
        deadline = fields["deadline"]
        deadline.setCalendarPopup(True)
        deadline.setDisplayFormat("yyyy-MM-dd")
        deadline.setMinimumDate(NO_DATE)
        deadline.setSpecialValueText(self.tr("not set"))
        for name, widget in fields.items():
            self._watch(name, widget)
        return fields

    def _watch(self, name: str, widget: QWidget) -> None:
        """Mark ``name`` edited on every change by the user; save when the field loses focus."""
        def changed(*_signal_arguments) -> None:  # the signal's value (text, index, date) is not the name
            self._edited(name)

        _change_signal(widget).connect(changed)
        widget.installEventFilter(self)

    def _make_form(self) -> QWidget:
        form_widget = QWidget(self)
        form = QFormLayout(form_widget)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        labels = {
            "description": self.tr("Hazard description"), "location": self.tr("Location"), "level": self.tr("Level"),
            "major_clause": self.tr("Major-hazard clause"), "requirement": self.tr("Rectification requirement"),
            "deadline": self.tr("Deadline"), "responsible_person": self.tr("Responsible person"),
            "basis": self.tr("Basis"),
        }
        for name, label in labels.items():
            form.addRow(label, self.fields[name])
        form.addRow(self.tr("Photos"), self.photos)
        return form_widget

    def _layout(self) -> None:
        content = QWidget(self)
        inner = QVBoxLayout(content)
        inner.addWidget(self.title)
        inner.addWidget(self.check_text)
        heading = QVBoxLayout()
        heading.addWidget(self.result)
        heading.addWidget(self.major_badge, 0, Qt.AlignmentFlag.AlignLeft)
        inner.addLayout(heading)
        inner.addWidget(self.hint)
        inner.addWidget(self.form)
        inner.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    # --- showing ----------------------------------------------------------------------------

    def show_nothing(self) -> bool:
        if not self.flush():
            return False
        self.finding = None
        self.title.setText(self.tr("No item selected"))
        for widget in (self.check_text, self.result, self.major_badge, self.form):
            widget.hide()
        self.hint.clear()
        self.hint.hide()
        self.photos.set_finding(None)
        return True

    def show_item(self, walk_item, finding, editable: bool) -> bool:
        """A checklist item and its answer (None: not yet answered); False: pending edits were refused."""
        if not self.flush():
            return False
        item = walk_item.item
        self.title.setText(f"{item.id}  {walk_item.checklist_title} · {walk_item.section}")
        self.check_text.setText(item.text)
        self.check_text.show()
        self._show_finding(finding, editable, item.photo_required)
        return True

    def show_free(self, finding, number: int, editable: bool) -> bool:
        if not self.flush():
            return False
        self.title.setText(self.tr("Free finding %1 (not covered by the checklists)").replace("%1", str(number)))
        self.check_text.hide()
        self._show_finding(finding, editable, False)
        return True

    def _show_finding(self, finding, editable: bool, photo_required: bool) -> None:
        if finding is not None and self.finding is not None and self.finding.id == finding.id \
                and self.finding.rev > finding.rev:
            finding = self.finding  # the caller's copy predates the edits flushed just now
        self.finding, self.editable = finding, editable
        self._dirty.clear()
        self._show_result(finding)
        hazard = finding is not None and finding.result == "fail"
        self.form.setVisible(hazard)
        self.major_badge.setVisible(hazard and finding.level == "major")
        if finding is None:
            self.hint.setText(self.tr("Not checked yet: press 1 for pass, 2 for fail (hazard), 3 for not applicable."))
        elif not hazard:
            self.hint.setText(self.tr("No hazard to describe."))
        else:
            note = self.tr("A photo is required for this hazard.") if photo_required else ""
            self.hint.setText(note + ("" if editable else self.tr(" The inspection is completed: reopen it to edit.")))
        self.hint.setVisible(bool(self.hint.text()))
        if hazard:
            self._fill(finding)
        self.photos.set_finding(finding.id if hazard else None, editable)

    def _show_result(self, finding) -> None:
        names = {"pass": self.tr("Pass"), "fail": self.tr("Fail: hazard"), "na": self.tr("Not applicable")}
        if finding is None:
            self.result.setText(self.tr("Not checked"))
            self.result.setStyleSheet("color: #555; font-weight: bold")
        else:
            self.result.setText(names[finding.result])
            self.result.setStyleSheet(f"color: {RESULT_COLOURS[finding.result]}; font-weight: bold; font-size: 12pt")
        self.result.show()

    def _fill(self, finding) -> None:
        for name, widget in self.fields.items():
            widget.blockSignals(True)
            _set_value(widget, getattr(finding, name))
            _set_read_only(widget, not self.editable)
            widget.blockSignals(False)
        self.fields["major_clause"].setEnabled(finding.level == "major" or bool(finding.major_clause))

    # --- saving -----------------------------------------------------------------------------

    def _edited(self, name: str) -> None:
        if self.finding is None or not self.editable:
            return
        self._dirty.add(name)
        if name == "level":
            major = self.fields["level"].currentData() == "major"
            self.major_badge.setVisible(major)
            self.fields["major_clause"].setEnabled(True)
        self.save_pending.emit()
        self._timer.start()

    def flush(self) -> bool:
        """Store the pending edits now; False when they were refused (the message is emitted)."""
        from inspector.core.records.inspections import update_finding
        from inspector.errors import UserError

        self._timer.stop()
        if not self._dirty or self.finding is None:
            return True
        changes = {name: _value(self.fields[name]) for name in self._dirty}
        try:
            self.finding = update_finding(self.services.db, self.finding.id, **changes)
        except UserError as error:  # the edits stay on screen and pending
            self.last_error = error.message
            self.save_failed.emit(error.message)
            return False
        self._dirty.clear()
        self.finding_saved.emit(self.finding)
        return True

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override: a field lost focus
        if event.type() == QEvent.Type.FocusOut and self._dirty:
            self.flush()
        return super().eventFilter(watched, event)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override: leaving the tab or closing the window
        self.flush()
        super().hideEvent(event)

    def focus_description(self) -> None:
        if self.form.isVisible():
            self.fields["description"].setFocus()


def _text_box(parent, lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def _change_signal(widget):
    if isinstance(widget, QPlainTextEdit):
        return widget.textChanged
    if isinstance(widget, QLineEdit):
        return widget.textEdited
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    return widget.dateChanged


def _set_value(widget, value) -> None:
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value or "")
    elif isinstance(widget, QLineEdit):
        widget.setText(value or "")
    elif isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(0, widget.findData(value)))
    elif isinstance(widget, DateEdit):
        widget.setDate(QDate(value.year, value.month, value.day) if value else NO_DATE)


def _value(widget):
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    qdate = widget.date()
    return None if qdate == NO_DATE else date(qdate.year(), qdate.month(), qdate.day())


def _set_read_only(widget, read_only: bool) -> None:
    if isinstance(widget, (QPlainTextEdit, QLineEdit, DateEdit)):
        widget.setReadOnly(read_only)
    else:
        widget.setEnabled(not read_only)
