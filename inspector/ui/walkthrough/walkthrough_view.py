"""The walk-through of one inspection: items on the left, the finding editor on the right.

Keys on the item list: 1 = pass, 2 = fail (hazard), 3 = not applicable; J/K or the arrows
move; Enter goes to the hazard description, Esc in the editor comes back. Every answer is
committed before the list shows it (autosave); the progress line counts answers and hazards.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from inspector.ui.table_model import read_only_table
from inspector.core.common.clock import format_local
from inspector.ui.walkthrough.finding_editor import FindingEditor
from inspector.ui.tasks import TaskRunner
from inspector.ui.walkthrough.walkthrough_model import WalkItemsModel

ANSWER_KEYS = {Qt.Key.Key_1: "pass", Qt.Key.Key_2: "fail", Qt.Key.Key_3: "na"}
MOVE_KEYS = {Qt.Key.Key_J: 1, Qt.Key.Key_K: -1}
PROBLEM_STYLE = "color: #b71c1c; background: #fdecea; padding: 6px; border: 1px solid #f5c6cb"


class WalkthroughView(QWidget):
    inspection_changed = Signal(str)
    inspection_completed = Signal(str)
    document_requested = Signal(str)  # 生成文书 of this (completed) inspection; the 文书 feature connects it

    def __init__(self, services, inspection_id: str, tasks: TaskRunner | None = None, parent=None):
        super().__init__(parent)
        self.services, self.inspection_id = services, inspection_id
        self.tasks = tasks or TaskRunner(self)
        self.state = None
        self._shown_row: int | None = None  # the ONE current item: the row the editor shows
        self._reverting = False
        self.model = WalkItemsModel(self)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setStyleSheet("font-size: 12pt; font-weight: bold")
        self.progress = QLabel(self)
        self.progress.setStyleSheet("font-size: 11pt")
        self.saved = QLabel(self)
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(PROBLEM_STYLE)
        self.problems.hide()
        self.table = self._make_table()
        self.editor = FindingEditor(services, self.tasks, self)
        self.buttons = self._make_buttons()
        self._connect_editor()
        self._layout()
        paste = QShortcut(QKeySequence.StandardKey.Paste, self.table, self.editor.photos.paste)
        paste.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.reload(select_first_unanswered=True)

    # --- building -----------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = read_only_table(self.model, self)
        table.setWordWrap(True)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # wrapped texts
        header = table.horizontalHeader()
        header.setSectionResizeMode(WalkItemsModel.CHECK, QHeaderView.ResizeMode.Stretch)
        for column, width in ((WalkItemsModel.NUMBER, 70), (WalkItemsModel.RESULT, 64), (WalkItemsModel.PHOTOS, 52)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            table.setColumnWidth(column, width)
        table.installEventFilter(self)
        table.selectionModel().currentRowChanged.connect(self._current_changed)
        return table

    def _make_buttons(self) -> dict[str, QPushButton]:
        specs = {
            "pass": (self.tr("Pass (1)"), lambda: self.answer("pass")),
            "fail": (self.tr("Fail (2)"), lambda: self.answer("fail")),
            "na": (self.tr("N/A (3)"), lambda: self.answer("na")),
            "free": (self.tr("New free finding"), self.add_free_finding),
            "delete_free": (self.tr("Delete free finding"), self.delete_free_finding),
            "bulk": (self.tr("Import photos from folder…"), self.open_bulk_import),
            "complete": (self.tr("Complete inspection"), self.complete),
            "reopen": (self.tr("Reopen"), self.reopen),
            "document": (self.tr("Generate document…"), lambda: self.document_requested.emit(self.inspection_id)),
        }
        buttons = {}
        for key, (text, slot) in specs.items():
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus if key in ("pass", "fail", "na") else Qt.FocusPolicy.StrongFocus)
            buttons[key] = button
        buttons["fail"].setStyleSheet("QPushButton:enabled { color: #c62828; font-weight: bold }")  # greyed when read-only
        buttons["complete"].setStyleSheet("font-weight: bold")
        return buttons

    def _connect_editor(self) -> None:
        self.editor.finding_saved.connect(self._finding_saved)
        self.editor.save_pending.connect(lambda: self._set_saved(self.tr("Unsaved changes…"), "#8d6e00"))
        self.editor.save_failed.connect(lambda message: self._set_saved(message, "#b71c1c"))
        self.editor.photos.photos_changed.connect(self._photos_changed)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.editor, self.table.setFocus).setContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _layout(self) -> None:
        answers = QHBoxLayout()
        for key in ("pass", "fail", "na"):
            answers.addWidget(self.buttons[key])
        answers.addStretch(1)
        for key in ("free", "delete_free", "bulk"):
            answers.addWidget(self.buttons[key])
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table)
        left_layout.addLayout(answers)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setSizes([640, 520])
        top = QHBoxLayout()
        top.addWidget(self.progress, 1)
        top.addWidget(self.saved)
        top.addWidget(self.buttons["reopen"])
        top.addWidget(self.buttons["document"])
        top.addWidget(self.buttons["complete"])
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(top)
        layout.addWidget(self.problems)
        layout.addWidget(splitter, 1)

    # --- state --------------------------------------------------------------------------

    def reload(self, select_first_unanswered: bool = False) -> None:
        from inspector.core.records.inspection_state import load_state

        row = self.current_row()
        self.editor.flush()
        self.state = load_state(self.services.db, self.inspection_id)
        self._shown_row = None
        self.model.set_state(self.state)
        self._show_header()
        self._update_progress()
        self._update_buttons()
        target = self.model.first_unanswered() if select_first_unanswered else row
        self.select_row(target if target is not None else 0)

    @property
    def completed(self) -> bool:
        return self.state is not None and self.state.completed

    def current_row(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else None

    def select_row(self, row: int | None) -> None:
        if row is None or not 0 <= row < self.model.rowCount():
            return
        self.table.setCurrentIndex(self.model.index(row, WalkItemsModel.CHECK))
        self.table.scrollTo(self.model.index(row, 0))

    def _show_header(self) -> None:
        inspection = self.state.inspection
        parts = [self.state.enterprise_name, format_local(inspection.started_at)]
        if inspection.place:
            parts.append(inspection.place)
        parts.append(self.tr("Inspectors: %1").replace("%1", "、".join(self.state.inspector_names)))
        status = self.tr("Completed") if self.completed else self.tr("Draft")
        self.header.setText(" · ".join(parts) + f"  [{status}]")

    def _update_progress(self) -> None:
        answered, total, hazards, major = self.model.progress()
        text = self.tr("Answered %1/%2 · hazards %3 · major %4").replace("%1", str(answered)) \
            .replace("%2", str(total)).replace("%3", str(hazards)).replace("%4", str(major))
        self.progress.setText(text)
        self.progress.setStyleSheet("font-size: 11pt" + ("; color: #c62828; font-weight: bold" if major else ""))

    def _update_buttons(self) -> None:
        row = self.current_row()
        walk_row = self.model.row_at(row) if row is not None else None
        editable = not self.completed
        for key in ("pass", "fail", "na"):
            self.buttons[key].setEnabled(editable and walk_row is not None and walk_row.item is not None)
        self.buttons["free"].setEnabled(editable)
        self.buttons["bulk"].setEnabled(editable)
        self.buttons["delete_free"].setVisible(editable and walk_row is not None and walk_row.item is None)
        self.buttons["complete"].setVisible(editable)
        self.buttons["reopen"].setVisible(not editable)
        self.buttons["document"].setVisible(not editable)

    def _set_saved(self, text: str, colour: str = "#2e7d32") -> None:
        self.saved.setText(text)
        self.saved.setStyleSheet(f"color: {colour}")

    def _saved_now(self) -> None:
        from inspector.core.common.clock import CHINA_TZ
        from datetime import datetime

        self._set_saved(self.tr("Saved %1").replace("%1", datetime.now(CHINA_TZ).strftime("%H:%M:%S")))
        self.inspection_changed.emit(self.inspection_id)

    # --- actions ------------------------------------------------------------------------

    def answer(self, result: str) -> None:
        from inspector.core.records.inspections import answer_item

        row = self.current_row()
        if row is None or self.completed or self.model.row_at(row).item is None:
            return
        item = self.model.row_at(row).item
        finding = self._write(answer_item, inspection_id=self.inspection_id, snapshot_id=item.snapshot_id,
                              item_id=item.item.id, result=result)
        if finding is None:
            return
        self.model.set_finding(row, finding)
        self._update_progress()
        self._saved_now()
        self._refresh_problems()
        if result == "fail":
            self._show_row(row)
        else:
            self.select_row(row + 1) if row + 1 < self.model.rowCount() else self._show_row(row)

    def move(self, step: int) -> None:
        row = self.current_row()
        self.select_row(0 if row is None else max(0, min(self.model.rowCount() - 1, row + step)))

    def add_free_finding(self) -> None:
        from inspector.core.records.inspections import add_free_finding

        finding = self._write(add_free_finding, inspection_id=self.inspection_id)
        if finding is not None:
            row = self.model.add_free(finding)
            self._update_progress()
            self._saved_now()
            self.select_row(row)
            self.editor.focus_description()

    def delete_free_finding(self) -> None:
        from inspector.core.records.inspections import delete_free_finding

        row = self.current_row()
        if row is None or self.model.row_at(row).item is not None:
            return
        if self._write(delete_free_finding, self.model.row_at(row).finding.id) is not None:
            self.reload()

    def complete(self) -> None:
        from inspector.core.records.inspections import complete_inspection, completion_problems

        if not self.editor.flush():
            return
        problems = completion_problems(self.services.db, self.inspection_id)
        if problems:
            self.problems.setText(self.tr("The inspection cannot be completed yet:") + "\n• " + "\n• ".join(problems))
            self.problems.show()
            unanswered = self.model.first_unanswered()
            if unanswered is not None:  # the keys 1/2/3 go on at the first missing answer
                self.select_row(unanswered)
                self.table.setFocus()
            return
        if self._write(complete_inspection, self.inspection_id) is not None:
            self.problems.hide()
            self.reload()
            self._set_saved(self.tr("Inspection completed"))
            self.inspection_completed.emit(self.inspection_id)

    def reopen(self) -> None:
        from inspector.core.records.inspections import reopen_inspection

        if self._write(reopen_inspection, self.inspection_id) is not None:
            self.reload()
            self._saved_now()

    def open_bulk_import(self) -> None:
        from inspector.ui.photos.bulk_photo_import import BulkPhotoImportDialog

        self.editor.flush()
        self.bulk_dialog = BulkPhotoImportDialog(self.services, self.inspection_id, self.tasks, self)
        self.bulk_dialog.photos_imported.connect(lambda _count: self.reload())
        self.bulk_dialog.open()
        return self.bulk_dialog

    def _write(self, function, *args, **kwargs):
        """Run one core write on the GUI thread (a few ms); a refusal is shown, never raised."""
        from inspector.errors import UserError

        try:
            result = function(self.services.db, *args, **kwargs)
        except UserError as error:
            self._set_saved(error.message, "#b71c1c")
            return None
        return True if result is None else result

    # --- reacting -------------------------------------------------------------------------

    def _current_changed(self, current, _previous=None) -> None:
        """The selection moved (keys, click, answer): the editor follows, or the selection goes back
        to the item whose edits could not be saved (the editor then says why)."""
        if current.isValid() and not self._reverting and not self._show_row(current.row()):
            self._reverting = True
            try:
                self.select_row(self._shown_row)
            finally:
                self._reverting = False
        self._update_buttons()

    def _show_row(self, row: int) -> bool:
        walk_row = self.model.row_at(row)
        editable = not self.completed
        if walk_row.item is None:
            shown = self.editor.show_free(walk_row.finding, walk_row.free_number, editable)
        else:
            shown = self.editor.show_item(walk_row.item, walk_row.finding, editable)
        if shown:
            self._shown_row = row
        return shown

    def save_pending_edits(self) -> str | None:
        """Store the editor's pending edits now: None when nothing is left unsaved, else why not."""
        if self.editor.photos.busy:
            return self.tr("Photos are still being imported.")
        return None if self.editor.flush() else self.editor.last_error

    def _finding_saved(self, finding) -> None:
        row = self.model.row_of_finding(finding.id)
        if row is not None:
            self.model.set_finding(row, finding)
            self._update_progress()
        self._saved_now()
        self._refresh_problems()

    def _photos_changed(self, finding_id: str, count: int) -> None:
        self.model.set_photo_count(finding_id, count)
        self._saved_now()
        self._refresh_problems()

    def _refresh_problems(self) -> None:
        """A shown "cannot be completed yet" list follows what was fixed since."""
        from inspector.core.records.inspections import completion_problems

        if self.problems.isHidden():
            return
        problems = completion_problems(self.services.db, self.inspection_id)
        if problems:
            self.problems.setText(self.tr("The inspection cannot be completed yet:") + "\n• " + "\n• ".join(problems))
        else:
            self.problems.hide()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if watched is self.table and event.type() == QEvent.Type.KeyPress and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            key = Qt.Key(event.key())
            if key in ANSWER_KEYS:
                self.answer(ANSWER_KEYS[key])
                return True
            if key in MOVE_KEYS:
                self.move(MOVE_KEYS[key])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.editor.focus_description()
                return True
        return super().eventFilter(watched, event)
