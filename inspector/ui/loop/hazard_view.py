"""One hazard: its fields, before and after photos, history, and the next steps of its life cycle.

A top-level window (not modal). Every step goes through :func:`inspector.core.loop.hazards.transition`
in a background task; afterwards the view reloads and emits ``hazard_changed``. File pickers
and messages go through ``self.dialogs`` (a :class:`LoopDialogs`), which tests replace.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPushButton, QScrollArea, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from inspector.core.loop import hazards
from inspector.core.common.clock import format_local
from inspector.ui.loop_common import (
    DONE_COLOUR, OVERDUE_COLOUR, LoopDialogs, ThumbnailRow, effective_status_text, error_text, level_text, status_text,
)
from inspector.ui.documents.fit import fitting_size
from inspector.ui.table_model import Column, RowTableModel
from inspector.ui.wheel_guard import guard_wheel

DEADLINE_ONLY = "deadline"


def _load(db, finding_id: str):
    from inspector.core.loop.hazard_detail import hazard_detail
    from inspector.core.records.inspectors import list_inspectors

    return hazard_detail(db, finding_id), [(i.id, i.name) for i in list_inspectors(db)]


def _apply(db, finding_id: str, step: str, inspector_id: str, note: str, deadline: date | None):
    if step == DEADLINE_ONLY:
        return hazards.set_deadline(db, finding_id, deadline, inspector_id, note)
    return hazards.transition(db, finding_id, step, inspector_id, note, deadline)


def _add_after(db, finding_id: str, paths: list[str]):
    from inspector.core.photos.store import attach_photos

    return attach_photos(db, finding_id=finding_id, sources=paths, kind="after")


class HazardView(QWidget):
    hazard_changed = Signal(str)  # finding id
    detail_loaded = Signal()
    reinspection_requested = Signal(str)  # enterprise id

    def __init__(self, services, tasks, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.services, self.tasks = services, tasks
        self.dialogs = LoopDialogs()
        self.detail = None
        self.finding_id: str | None = None
        self.setWindowTitle(self.tr("Hazard"))
        self._build()
        self.resize(fitting_size(self, 900, 680))
        guard_wheel(self)  # the wheel scrolls; it changes a field only the person is editing

    def _build(self) -> None:
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.title.setWordWrap(True)
        self.form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for key, label in self._field_labels():
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(label, value)
            self.values[key] = value
        self.before = ThumbnailRow(self)
        self.after = ThumbnailRow(self)
        self.add_after_button = QPushButton(self.tr("Add after photos…"), self)
        self.add_after_button.clicked.connect(self.add_after_photos)
        self.history_model = RowTableModel(self._history_columns(), parent=self)
        self.history = QTableView(self)
        self.history.setModel(self.history_model)
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.horizontalHeader().setStretchLastSection(True)
        self._build_actions()
        self._arrange()

    def _field_labels(self) -> list[tuple[str, str]]:
        return [("enterprise", self.tr("Enterprise")), ("found", self.tr("Found")), ("location", self.tr("Location")),
                ("item", self.tr("Checklist item")), ("description", self.tr("Hazard")),
                ("level", self.tr("Level")), ("basis", self.tr("Basis")), ("requirement", self.tr("Requirement")),
                ("deadline", self.tr("Deadline")), ("responsible", self.tr("Responsible person")),
                ("status", self.tr("Status")), ("notices", self.tr("Documents"))]

    def _history_columns(self) -> list[Column]:
        def change(step) -> str:
            if step.kind == "found":
                return self.tr("Found")
            if step.from_status == step.to_status:
                return status_text(step.to_status)
            return f"{status_text(step.from_status)} → {status_text(step.to_status)}"

        return [
            Column(self.tr("Date"), lambda s: format_local(s.at)),
            Column(self.tr("By"), lambda s: s.inspector),
            Column(self.tr("Step"), change),
            Column(self.tr("Deadline"), lambda s: s.deadline.isoformat() if s.deadline else ""),
            Column(self.tr("Note"), lambda s: "；".join(p for p in (s.notice_number, s.note) if p)),
        ]

    def _build_actions(self) -> None:
        self.inspector_box = QComboBox(self)
        self.step_box = QComboBox(self)
        self.step_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.step_box.currentIndexChanged.connect(self._step_changed)
        self.deadline_check = QCheckBox(self.tr("New deadline"), self)
        self.deadline_edit = QDateEdit(self)
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.setDisplayFormat("yyyy-MM-dd")
        self.deadline_check.toggled.connect(self.deadline_edit.setEnabled)
        self.deadline_hint = QLabel(self)
        self.deadline_hint.setStyleSheet("color: #666666;")
        self.note_edit = QLineEdit(self)
        self.note_edit.setPlaceholderText(self.tr("Note (required when escalating)"))
        self.apply_button = QPushButton(self.tr("Apply"), self)
        self.apply_button.clicked.connect(self.apply_step)
        self.reinspect_button = QPushButton(self.tr("Re-inspect this enterprise…"), self)
        self.reinspect_button.clicked.connect(
            lambda: self.detail and self.reinspection_requested.emit(self.detail.enterprise_id))
        self.governance_button = QPushButton(self.tr("Governance…"), self)
        self.governance_button.setToolTip(self.tr("Interim measures, governance plan, funds, responsible person, "
                                                  "supervision, penalty, remarks"))
        self.governance_button.clicked.connect(self.open_governance)
        self.message = QLabel(self)
        self.message.setWordWrap(True)

    def _arrange(self) -> None:
        """Fields and photos scroll, the history shares a splitter with them; the next step and its
        buttons stay at the bottom, always visible, whatever the screen height."""
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self._details_area())
        history = QWidget(splitter)
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(QLabel(self.tr("History"), history))
        history_layout.addWidget(self.history, 1)
        splitter.addWidget(history)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(splitter, 1)
        layout.addWidget(self._actions_group())
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.governance_button)
        bottom.addWidget(self.reinspect_button)
        layout.addLayout(bottom)

    def open_governance(self):
        """治理信息 of this hazard in its own dialog; the window reloads after a save."""
        from inspector.ui.loop.governance_dialog import GovernanceDialog

        if not self.finding_id:
            return None
        dialog = GovernanceDialog(self.services, self.tasks, self.finding_id, self)
        dialog.saved.connect(lambda _finding_id: self.reload())
        dialog.open()
        self.governance_dialog = dialog
        return dialog

    def _details_area(self) -> QScrollArea:
        before_box, after_box = QGroupBox(self.tr("Before"), self), QGroupBox(self.tr("After"), self)
        QVBoxLayout(before_box).addWidget(self.before)
        after_layout = QVBoxLayout(after_box)
        after_layout.addWidget(self.after)
        after_layout.addWidget(self.add_after_button, 0, Qt.AlignmentFlag.AlignLeft)
        photos = QHBoxLayout()
        photos.addWidget(before_box, 1)
        photos.addWidget(after_box, 1)
        details = QWidget(self)
        details_layout = QVBoxLayout(details)
        details_layout.addLayout(self.form)
        details_layout.addLayout(photos)
        details_layout.addStretch(1)
        area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(details)
        self.details_area = area
        return area

    def _actions_group(self) -> QGroupBox:
        actions = QGroupBox(self.tr("Next step"), self)
        column = QVBoxLayout(actions)
        first, second = QHBoxLayout(), QHBoxLayout()
        for widget in (QLabel(self.tr("By"), self), self.inspector_box, self.step_box):
            first.addWidget(widget)
        first.addStretch(1)
        for widget in (self.deadline_check, self.deadline_edit, self.deadline_hint):
            first.addWidget(widget)
        second.addWidget(self.note_edit, 1)
        second.addWidget(self.apply_button)
        column.addLayout(first)
        column.addLayout(second)
        return actions

    # --- loading ----------------------------------------------------------------------------

    def show_hazard(self, finding_id: str) -> None:
        self.finding_id = finding_id
        self.apply_button.setEnabled(False)
        self.tasks.submit(_load, self.services.db, finding_id, on_done=self._show, on_error=self._failed)

    def reload(self) -> None:
        if self.finding_id:
            self.show_hazard(self.finding_id)

    def _show(self, loaded) -> None:
        detail, inspectors = loaded
        self.detail = detail
        self.setWindowTitle(f"{detail.number} {detail.enterprise}")
        status = effective_status_text(detail.status, detail.deadline, detail.today)
        colour = OVERDUE_COLOUR if detail.effective_status == "overdue" else DONE_COLOUR if detail.status == "closed" else None
        self.title.setText(f"{detail.number}　{status}")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;" + (f" color: {colour.name()};" if colour else ""))
        self._fill_fields(detail, status)
        self.before.set_photos(detail.before, self.tr("No photo"))
        self.after.set_photos(detail.after, self.tr("No after photo yet"))
        self.history_model.set_rows(list(detail.history))
        self._fill_actions(detail, inspectors)
        self.detail_loaded.emit()

    def _fill_fields(self, d, status: str) -> None:
        level = level_text(d.level) + (f"（{d.major_clause}）" if d.major_clause else "")
        texts = {"enterprise": f"{d.enterprise}（{d.industry}）", "found": f"{format_local(d.found_at)}　{d.place}",
                 "location": d.location, "item": f"{d.item_id} {d.item_text}".strip(), "description": d.description,
                 "level": level, "basis": d.basis, "requirement": d.requirement,
                 "deadline": d.deadline.isoformat() if d.deadline else "—", "responsible": d.responsible_person or "—",
                 "status": status + (f"　{format_local(d.closed_at)}" if d.closed_at else ""),
                 "notices": "；".join(n.number for n in d.notices) or "—"}
        for key, label in self.values.items():
            label.setText(texts[key])

    def _fill_actions(self, detail, inspectors) -> None:
        current = self.inspector_box.currentData()
        self.inspector_box.clear()
        for inspector_id, name in inspectors:
            self.inspector_box.addItem(name, inspector_id)
        if current:
            self.inspector_box.setCurrentIndex(max(0, self.inspector_box.findData(current)))
        self.step_box.clear()
        for step in hazards.ALLOWED.get(detail.status, ()):
            self.step_box.addItem(self.tr("Change to: %1").replace("%1", status_text(step)), step)
        if detail.is_open:
            self.step_box.addItem(self.tr("Change the deadline only"), DEADLINE_ONLY)
        from inspector.ui.loop.reinspection_view import EXTENSION_DAYS, default_new_deadline

        today = detail.today
        proposed = default_new_deadline(detail.deadline, today)
        self.deadline_edit.setMinimumDate(QDate(today.year, today.month, today.day))
        self.deadline_edit.setDate(QDate(proposed.year, proposed.month, proposed.day))
        self.deadline_hint.setText(self.tr("current %1; default: the later of it and today + %2 days").replace(
            "%1", detail.deadline.isoformat()).replace("%2", str(EXTENSION_DAYS)) if detail.deadline else "")
        self.add_after_button.setEnabled(detail.status != "closed")
        self.apply_button.setEnabled(self.step_box.count() > 0)
        self.step_box.setEnabled(self.step_box.count() > 0)
        self._step_changed()

    def _step_changed(self) -> None:
        step = self.step_box.currentData()
        needs = step == DEADLINE_ONLY or (self.detail is not None and self.detail.status == "awaiting_review"
                                          and step == "rectifying")
        allowed = step in (DEADLINE_ONLY, "rectifying", "pending", "awaiting_review")
        self.deadline_check.setChecked(needs)
        self.deadline_check.setEnabled(allowed and not needs)
        self.deadline_edit.setEnabled(needs)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error_text(error))
        self.message.setStyleSheet(f"color: {OVERDUE_COLOUR.name()};")
        self.apply_button.setEnabled(self.step_box.count() > 0)

    # --- actions ----------------------------------------------------------------------------

    def select_step(self, step: str) -> None:
        self.step_box.setCurrentIndex(self.step_box.findData(step))

    def select_inspector(self, inspector_id: str) -> None:
        self.inspector_box.setCurrentIndex(self.inspector_box.findData(inspector_id))

    def apply_step(self) -> None:
        step = self.step_box.currentData()
        if not self.finding_id or not step:
            return
        deadline = self.deadline_edit.date().toPython() if self.deadline_check.isChecked() else None
        current = self.detail.deadline if self.detail is not None else None
        if deadline and current and deadline < current and not self.dialogs.confirm(
                self, self.tr("Shorten the deadline"),
                self.tr("The new deadline %1 is earlier than the current deadline %2. Shorten it?")
                .replace("%1", deadline.isoformat()).replace("%2", current.isoformat())):
            return
        self.apply_button.setEnabled(False)
        self.message.setText("")
        self.tasks.submit(_apply, self.services.db, self.finding_id, step, self.inspector_box.currentData(),
                          self.note_edit.text(), deadline, on_done=self._applied, on_error=self._failed)

    def _applied(self, _event_id) -> None:
        self.note_edit.clear()
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Saved."))
        self.reload()
        self.hazard_changed.emit(self.finding_id)

    def add_after_photos(self) -> None:
        paths = self.dialogs.open_images(self, self.tr("Add after photos"))
        if paths and self.finding_id:
            self.tasks.submit(_add_after, self.services.db, self.finding_id, paths,
                              on_done=self._photos_added, on_error=self._failed)

    def _photos_added(self, result) -> None:
        self.message.setStyleSheet(f"color: {OVERDUE_COLOUR.name()};" if result.problems else "")
        self.message.setText("\n".join(result.problems) or self.tr("%n photo(s) added.", "", len(result.added)))
        self.reload()
        self.hazard_changed.emit(self.finding_id)
