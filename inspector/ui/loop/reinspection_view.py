"""复查: pick an enterprise, see its open hazards with their before photos, judge each one.

已整改 needs after photos taken now, 未整改 a new deadline, 移交执法 a note is welcome.
"Complete" applies every judgement (closing, extending, escalating) in one transaction;
"Issue review document" numbers and stores the 整改复查意见书 with before/after photo pairs
and shows it. Dialogs go through ``self.dialogs`` so tests can drive the whole flow.
"""

from __future__ import annotations


from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDateEdit, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPushButton, QRadioButton, QSplitter, QVBoxLayout, QWidget,
)

from inspector.core.loop import reinspections as core
from inspector.core.common.clock import format_local, local_today
from inspector.errors import UserError
from inspector.ui.loop_common import (
    DONE_COLOUR, OVERDUE_COLOUR, LoopDialogs, ThumbnailRow, effective_status_text, error_text, level_text, outcome_text,
)
from inspector.ui.long_combo import make_long
from inspector.ui.table_model import Column, RowRole, RowTableModel, read_only_table
from inspector.ui.wheel_guard import guard_wheel

from inspector.ui.loop.reinspection_tasks import (  # noqa: E402
    EXTENSION_DAYS, OUTCOMES, _load_choices, _load_visit, _start, default_new_deadline,
)


class ReinspectionView(QWidget):
    reinspection_changed = Signal(str)  # reinspection id: outcomes, completion
    review_issued = Signal(str)  # notice id
    visit_loaded = Signal()

    def __init__(self, services, tasks, parent=None):
        super().__init__(parent)
        self.services, self.tasks = services, tasks
        self.dialogs = LoopDialogs()
        self.enterprise_id: str | None = None
        self.visit = None
        self.notice_view = None
        self.notice_dialogs = None  # NoticeDialogs for the review's preview window (tests replace them)
        self._build()
        guard_wheel(self)  # the wheel scrolls; it changes a field only the person is editing

    # --- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.enterprise_box = make_long(QComboBox(self), 40)  # every enterprise with open hazards (thousands)
        self.enterprise_box.setMinimumWidth(360)
        self.enterprise_box.activated.connect(lambda _i: self.open_enterprise(self.enterprise_box.currentData()))
        self.inspector_boxes = [QComboBox(self), QComboBox(self)]
        for box in self.inspector_boxes:
            box.currentIndexChanged.connect(lambda _i: self._offer_each_person_once())
        self.start_button = self._button(self.tr("Start re-inspection"), self.start)
        self.state_label = QLabel(self)
        self.model = RowTableModel(self._columns(), parent=self)
        self.table = read_only_table(self.model, self)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self._build_panel()
        self.complete_button = self._button(self.tr("Complete re-inspection"), self.complete)
        self.issue_button = self._button(self.tr("Issue review document…"), self.issue_review)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self._arrange()
        self._update_buttons()

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    def _columns(self) -> list[Column]:
        today = local_today()
        return [
            Column(self.tr("Level"), lambda h: level_text(h.level),
                   foreground=lambda h: QBrush(OVERDUE_COLOUR) if h.level == "major" else None),
            Column(self.tr("Hazard"), lambda h: h.description, tooltip=lambda h: f"{h.location}：{h.description}"),
            Column(self.tr("Found"), lambda h: format_local(h.found_at, with_time=False)),
            Column(self.tr("Deadline"), lambda h: h.deadline.isoformat() if h.deadline else "—",
                   foreground=lambda h: QBrush(OVERDUE_COLOUR) if h.overdue(today) else None),
            Column(self.tr("Status"), lambda h: effective_status_text(h.status, h.deadline, today)),
            Column(self.tr("After photos"), lambda h: str(len(h.after) or "")),
            Column(self.tr("Judgement"), lambda h: outcome_text(h.outcome) + (
                f"（{h.new_deadline.isoformat()}）" if h.new_deadline else ""),
                foreground=lambda h: QBrush(DONE_COLOUR) if h.outcome == "rectified" else None),
        ]

    def _build_panel(self) -> None:
        self.panel = QGroupBox(self.tr("Selected hazard"), self)
        self.description = QLabel(self.panel)
        self.description.setWordWrap(True)
        self.before = ThumbnailRow(self.panel, 120)
        self.after = ThumbnailRow(self.panel, 120)
        self.add_after_button = self._button(self.tr("Add after photos…"), self.add_after_photos)
        self.outcome_group = QButtonGroup(self)
        self.outcome_buttons = {}
        outcomes = QHBoxLayout()
        for outcome in OUTCOMES:
            button = QRadioButton(outcome_text(outcome), self.panel)
            self.outcome_group.addButton(button)
            self.outcome_buttons[outcome] = button
            button.toggled.connect(self._outcome_changed)
            outcomes.addWidget(button)
        self.deadline_edit = QDateEdit(self.panel)
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.setDisplayFormat("yyyy-MM-dd")
        today = local_today()
        self.deadline_edit.setMinimumDate(QDate(today.year, today.month, today.day))
        self.deadline_edit.setDate(QDate(today.year, today.month, today.day).addDays(EXTENSION_DAYS))
        self.deadline_hint = QLabel(self.panel)
        self.deadline_hint.setStyleSheet("color: #666666;")
        self.note_edit = QLineEdit(self.panel)
        self.note_edit.setPlaceholderText(self.tr("Opinion or measures (optional)"))
        self.save_button = self._button(self.tr("Save judgement"), self.save_outcome)
        before_box, after_box = QGroupBox(self.tr("Before"), self.panel), QGroupBox(self.tr("After (this visit)"), self.panel)
        QVBoxLayout(before_box).addWidget(self.before)
        after_layout = QVBoxLayout(after_box)
        after_layout.addWidget(self.after)
        after_layout.addWidget(self.add_after_button, 0, Qt.AlignmentFlag.AlignLeft)
        photos = QHBoxLayout()
        photos.addWidget(before_box, 1)
        photos.addWidget(after_box, 1)
        judgement = QHBoxLayout()
        judgement.addWidget(QLabel(self.tr("Judgement"), self.panel))
        judgement.addLayout(outcomes)
        judgement.addSpacing(12)
        judgement.addWidget(QLabel(self.tr("New deadline"), self.panel))
        judgement.addWidget(self.deadline_edit)
        judgement.addWidget(self.deadline_hint)
        judgement.addWidget(self.note_edit, 1)
        judgement.addWidget(self.save_button)
        layout = QVBoxLayout(self.panel)
        layout.addWidget(self.description)
        layout.addLayout(photos, 1)
        layout.addLayout(judgement)

    def _arrange(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Enterprise"), self))
        top.addWidget(self.enterprise_box, 1)
        top.addWidget(QLabel(self.tr("Inspectors"), self))
        for box in self.inspector_boxes:
            top.addWidget(box)
        top.addWidget(self.start_button)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.panel)
        splitter.setSizes([360, 360])
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.complete_button)
        bottom.addWidget(self.issue_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state_label)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.tasks.submit(_load_choices, self.services.db, on_done=self._set_choices, on_error=self._failed)

    def _set_choices(self, choices) -> None:
        enterprises, inspectors = choices
        self.enterprise_box.clear()
        label = self.tr("%1 (%2 open, %3 overdue)")  # translated once: a county has thousands of enterprises
        for e in enterprises:
            text = label.replace("%1", e.name).replace("%2", str(e.open_hazards)).replace("%3", str(e.overdue))
            self.enterprise_box.addItem(text, e.id)
        if self.enterprise_id and self.enterprise_box.findData(self.enterprise_id) < 0:
            self.enterprise_box.addItem(self.enterprise_id, self.enterprise_id)
        self.enterprise_box.setCurrentIndex(max(0, self.enterprise_box.findData(self.enterprise_id)))
        for index, box in enumerate(self.inspector_boxes):
            current = box.currentData()
            box.clear()
            box.addItem(self.tr("(none)") if index else self.tr("(choose)"), None)
            for inspector_id, name in inspectors:
                box.addItem(name, inspector_id)
            box.setCurrentIndex(max(0, box.findData(current)))
        self._offer_each_person_once()
        if self.enterprise_id is None and self.enterprise_box.count():
            self.open_enterprise(self.enterprise_box.currentData())  # the enterprise shown is the one loaded

    def open_enterprise(self, enterprise_id: str | None, reinspection_id: str | None = None) -> None:
        """Show the enterprise's open hazards; resume its unfinished re-inspection if there is one."""
        if not enterprise_id:
            return
        self.enterprise_id = enterprise_id
        index = self.enterprise_box.findData(enterprise_id)
        if index >= 0:
            self.enterprise_box.setCurrentIndex(index)
        self.tasks.submit(_load_visit, self.services.db, enterprise_id, reinspection_id,
                          on_done=self._show_visit, on_error=self._failed)

    def reload(self) -> None:
        """Reload the shown visit and recount every enterprise's open hazards (after a 销号 anywhere)."""
        if self.enterprise_id:
            self.open_enterprise(self.enterprise_id, self.visit.id if self.visit else None)
        self.refresh()

    def _show_visit(self, loaded) -> None:
        visit, rows = loaded
        self.visit = visit
        selected = self.current_hazard()
        self.model.set_rows(rows)
        if visit is None:
            self.state_label.setText(self.tr("%n open hazard(s). Choose the inspectors and start the re-inspection.",
                                             "", len(rows)))
        elif visit.status == "draft":
            self.state_label.setText(self.tr("Re-inspection in progress since %1.").replace("%1", format_local(visit.started_at)))
            team = list(visit.inspector_ids)
            for index, box in enumerate(self.inspector_boxes):  # the team stored, (none) where it has no one
                box.setCurrentIndex(max(0, box.findData(team[index])) if index < len(team) else 0)
        else:
            self.state_label.setText(self.tr("Re-inspection completed %1.").replace("%1", format_local(visit.ended_at)))
        row = next((i for i, h in enumerate(rows) if selected and h.finding_id == selected.finding_id), 0)
        if rows:
            self.table.selectRow(row)
        self._show_current()
        self._update_buttons()
        self.visit_loaded.emit()

    def current_hazard(self):
        index = self.table.currentIndex()
        return index.data(RowRole) if index.isValid() else None

    def _show_current(self) -> None:
        hazard = self.current_hazard()
        self.panel.setEnabled(hazard is not None)
        if hazard is None:
            self.description.setText("")
            self.before.set_photos((), "")
            self.after.set_photos((), "")
            return
        requirement = self.tr("Requirement: %1").replace("%1", hazard.requirement)
        self.description.setText(f"{hazard.location}：{hazard.description}\n{requirement}")
        self.before.set_photos(hazard.before, self.tr("No photo"))
        self.after.set_photos(hazard.after, self.tr("No after photo yet"))
        for outcome, button in self.outcome_buttons.items():
            button.setChecked(outcome == hazard.outcome)
        new_deadline = hazard.new_deadline or default_new_deadline(hazard.deadline, local_today())
        self.deadline_edit.setDate(QDate(new_deadline.year, new_deadline.month, new_deadline.day))
        self.deadline_hint.setText(self._deadline_hint(hazard))
        self.note_edit.setText(hazard.note)
        self._outcome_changed()

    def _deadline_hint(self, hazard) -> str:
        """Says where the default new deadline comes from, so nothing is shortened unseen."""
        if not hazard.deadline:
            return ""
        return self.tr("current %1; default: the later of it and today + %2 days").replace(
            "%1", hazard.deadline.isoformat()).replace("%2", str(EXTENSION_DAYS))

    def _update_buttons(self) -> None:
        draft = self.visit is not None and self.visit.status == "draft"
        completed = self.visit is not None and self.visit.status == "completed"
        self.start_button.setEnabled(self.enterprise_id is not None and not draft)
        for box in self.inspector_boxes:  # a started visit's team is stored: what the boxes show, not a choice
            box.setEnabled(not draft)
        self.complete_button.setEnabled(draft)
        self.issue_button.setEnabled(completed)
        for widget in (self.add_after_button, self.save_button, *self.outcome_buttons.values(), self.note_edit):
            widget.setEnabled(draft)
        self._outcome_changed()

    def _outcome_changed(self) -> None:
        draft = self.visit is not None and self.visit.status == "draft"
        self.deadline_edit.setEnabled(draft and self.selected_outcome() == "not_rectified")

    def selected_outcome(self) -> str | None:
        return next((o for o, b in self.outcome_buttons.items() if b.isChecked()), None)

    def _failed(self, error: BaseException) -> None:
        self.message.setStyleSheet(f"color: {OVERDUE_COLOUR.name()};")
        self.message.setText(error_text(error))
        self._update_buttons()

    def _said(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _offer_each_person_once(self) -> None:
        """The person chosen in one box is disabled in the other (the arrow keys and the list skip them)."""
        for box in self.inspector_boxes:
            taken = {other.currentData() for other in self.inspector_boxes if other is not box} - {None}
            model = box.model()
            for row in range(1, box.count()):
                model.item(row).setEnabled(box.itemData(row) not in taken)

    # --- actions ----------------------------------------------------------------------------

    def start(self) -> None:
        team = [box.currentData() for box in self.inspector_boxes if box.currentData()]
        self.tasks.submit(_start, self.services.db, self.enterprise_id, team, on_done=self._started,
                          on_error=self._failed)

    def _started(self, loaded) -> None:
        self._show_visit(loaded)
        self.reinspection_changed.emit(self.visit.id)

    def add_after_photos(self) -> None:
        hazard = self.current_hazard()
        if hazard is None or self.visit is None:
            return
        paths = self.dialogs.open_images(self, self.tr("Add after photos"))
        if paths:
            self.tasks.submit(core.add_after_photos, self.services.db, self.visit.id, hazard.finding_id, paths,
                              on_done=self._photos_added, on_error=self._failed)

    def _photos_added(self, result) -> None:
        self._said("\n".join(result.problems) or self.tr("%n photo(s) added.", "", len(result.added)))
        self.reload()

    def save_outcome(self) -> None:
        hazard, outcome = self.current_hazard(), self.selected_outcome()
        if hazard is None or self.visit is None:
            return
        if outcome is None:
            return self._failed(UserError(self.tr("Choose a judgement first.")))
        deadline = self.deadline_edit.date().toPython() if outcome == "not_rectified" else None
        if deadline and hazard.deadline and deadline < hazard.deadline and not self.dialogs.confirm(
                self, self.tr("Shorten the deadline"),
                self.tr("The new deadline %1 is earlier than the current deadline %2. Shorten it?")
                .replace("%1", deadline.isoformat()).replace("%2", hazard.deadline.isoformat())):
            return
        self.tasks.submit(core.record_outcome, self.services.db, self.visit.id, hazard.finding_id, outcome, deadline,
                          self.note_edit.text(), on_done=self._outcome_saved, on_error=self._failed)

    def _outcome_saved(self, _item_id) -> None:
        self._said(self.tr("Judgement saved."))
        self.reload()
        self.reinspection_changed.emit(self.visit.id)

    def complete(self) -> None:
        if self.visit is None:
            return
        question = self.tr("Complete the re-inspection? Rectified hazards are closed, the others get their new "
                           "deadline or are escalated. This cannot be undone.")
        if self.dialogs.confirm(self, self.tr("Complete re-inspection"), question):
            self.tasks.submit(core.complete_reinspection, self.services.db, self.visit.id,
                              on_done=self._completed, on_error=self._failed)

    def _completed(self, done) -> None:
        self._said(self.tr("Completed: %1 closed, %2 with a new deadline, %3 escalated.")
                   .replace("%1", str(done.closed)).replace("%2", str(done.rectifying)).replace("%3", str(done.escalated)))
        self.reload()
        self.reinspection_changed.emit(self.visit.id)

    def issue_review(self) -> None:
        """出具整改复查意见书: the draft preview first; 签发 there (after the numbering check and a question)."""
        if self.visit is None or self.visit.status != "completed":
            return
        view = self._notice_window()
        view.show_reinspection(self.visit.id)
        view.show()
        view.raise_()
        view.activateWindow()

    def _notice_window(self):
        from shiboken6 import isValid

        from inspector.ui.documents.notice_view import NoticeView

        if self.notice_view is not None and isValid(self.notice_view):
            return self.notice_view
        view = NoticeView(self.services, self.window(), tasks=self.tasks)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.dialogs = self.notice_dialogs or view.dialogs
        view.notice_issued.connect(self._issued)
        view.settings_requested.connect(self._open_number_settings)
        self.notice_view = view
        return view

    def _issued(self, notice_id: str) -> None:
        number = self.notice_view.notice.number_text if self.notice_view and self.notice_view.notice else ""
        self._said(self.tr("Issued %1.").replace("%1", number))
        self._update_buttons()
        self.review_issued.emit(notice_id)

    def _open_number_settings(self):
        from inspector.ui.documents.numbering_dialog import NumberingDialog

        dialog = NumberingDialog(self.services, self.notice_view or self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
