"""The merge dialog: pick export files → preview (nothing changed yet) → Merge → report.

A refused file (not an export of this app, damaged, too new...) shows its reason and the Merge
button stays off. The preview and the report use the same two tables: what each file adds and
updates per kind of record, and the conflicts (which version was kept, which fields differ).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel, QListView, QPushButton, QSplitter, QTableView,
    QVBoxLayout, QWidget,
)

from inspector.ui.sync.sync_common import SyncDialogs, merge_task
from inspector.ui.table_model import Column, RowTableModel
from inspector.ui.tasks import TaskRunner

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CONFLICT_COLOUR = QColor("#b26a00")


def table_name(table: str) -> str:
    names = {
        "enterprise": QCoreApplication.translate("MergeDialog", "Enterprises"),
        "inspector": QCoreApplication.translate("MergeDialog", "Inspectors"),
        "checklist_snapshot": QCoreApplication.translate("MergeDialog", "Checklist versions"),
        "inspection": QCoreApplication.translate("MergeDialog", "Inspections"),
        "finding": QCoreApplication.translate("MergeDialog", "Findings"),
        "reinspection": QCoreApplication.translate("MergeDialog", "Re-inspections"),
        "photo": QCoreApplication.translate("MergeDialog", "Photos"),
        "reinspection_item": QCoreApplication.translate("MergeDialog", "Re-inspection items"),
        "hazard_event": QCoreApplication.translate("MergeDialog", "Hazard steps"),
        "notice": QCoreApplication.translate("MergeDialog", "Documents"),
        "document_number": QCoreApplication.translate("MergeDialog", "Document numbers"),
        "number_block": QCoreApplication.translate("MergeDialog", "Number blocks"),
    }
    return names.get(table, table)


def field_name(column: str) -> str:
    names = {
        "name": QCoreApplication.translate("MergeDialog", "name"),
        "address": QCoreApplication.translate("MergeDialog", "address"),
        "contact_phone": QCoreApplication.translate("MergeDialog", "phone"),
        "legal_representative": QCoreApplication.translate("MergeDialog", "legal representative"),
        "description": QCoreApplication.translate("MergeDialog", "hazard description"),
        "location": QCoreApplication.translate("MergeDialog", "location"),
        "requirement": QCoreApplication.translate("MergeDialog", "requirement"),
        "deadline": QCoreApplication.translate("MergeDialog", "deadline"),
        "level": QCoreApplication.translate("MergeDialog", "level"),
        "result": QCoreApplication.translate("MergeDialog", "result"),
        "status": QCoreApplication.translate("MergeDialog", "status"),
        "notes": QCoreApplication.translate("MergeDialog", "notes"),
        "caption": QCoreApplication.translate("MergeDialog", "caption"),
        "deleted_at": QCoreApplication.translate("MergeDialog", "deleted"),
        "pdf": QCoreApplication.translate("MergeDialog", "PDF"),
        "number_text": QCoreApplication.translate("MergeDialog", "document number"),
        "void_reason": QCoreApplication.translate("MergeDialog", "void reason"),
    }
    return names.get(column, column)


def reason_text(reason: str) -> str:
    reasons = {
        "both_edited": QCoreApplication.translate("MergeDialog", "Edited on both sides"),
        "clock": QCoreApplication.translate("MergeDialog", "Later edit has an earlier time (a clock is wrong)"),
        "frozen": QCoreApplication.translate("MergeDialog", "Issued document cannot change"),
    }
    return reasons.get(reason, reason)


@dataclass(frozen=True)
class CountRow:
    file: str
    table: str
    added: int
    updated: int
    local_newer: int
    unchanged: int


def count_rows(report) -> list[CountRow]:
    rows = []
    for file in report.files:
        for table, c in file.counts.items():
            if c.added or c.updated or c.local_newer:
                rows.append(CountRow(file.path, table, c.added, c.updated, c.local_newer, c.unchanged))
    return rows


class MergeDialog(QDialog):
    merged = Signal(object)

    def __init__(self, services, tasks: TaskRunner, dialogs: SyncDialogs | None = None, parent=None):
        super().__init__(parent)
        self.services, self.tasks, self.dialogs = services, tasks, dialogs or SyncDialogs()
        self.report = None
        self.setWindowTitle(self.tr("Merge files from other computers"))
        self.resize(980, 640)
        self.files = QStringListModel(self)
        self.file_list = QListView(self)
        self.file_list.setModel(self.files)
        self.file_list.setMaximumHeight(64)
        self.state = QLabel(self.tr("Add the export files to merge. Nothing changes before you press Merge."), self)
        self.state.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.counts = RowTableModel(self._count_columns(), parent=self)
        self.conflicts = RowTableModel(self._conflict_columns(), parent=self)
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.merge_button = QPushButton(self.tr("Merge"), self)
        self.merge_button.setEnabled(False)
        self.merge_button.clicked.connect(self.merge)
        self._layout()

    def _count_columns(self) -> list[Column]:
        return [
            Column(self.tr("File"), lambda r: r.file),
            Column(self.tr("Records"), lambda r: table_name(r.table)),
            Column(self.tr("Added"), lambda r: str(r.added), sort=lambda r: r.added, align=RIGHT),
            Column(self.tr("Updated"), lambda r: str(r.updated), sort=lambda r: r.updated, align=RIGHT),
            Column(self.tr("Kept (ours newer)"), lambda r: str(r.local_newer), sort=lambda r: r.local_newer, align=RIGHT),
            Column(self.tr("Same"), lambda r: str(r.unchanged), sort=lambda r: r.unchanged, align=RIGHT),
        ]

    def _conflict_columns(self) -> list[Column]:
        colour = lambda r: QBrush(CONFLICT_COLOUR)  # noqa: E731
        return [
            Column(self.tr("Records"), lambda r: table_name(r.table)),
            Column(self.tr("Record"), lambda r: r.label, tooltip=lambda r: r.row_id),
            Column(self.tr("Why"), lambda r: reason_text(r.reason), foreground=colour),
            Column(self.tr("Kept"), lambda r: self.tr("This computer's") if r.kept == "local" else self.tr("The file's")),
            Column(self.tr("Fields that differ"), lambda r: "、".join(field_name(f) for f in r.fields)),
            Column(self.tr("File"), lambda r: r.source),
        ]

    def _layout(self) -> None:
        add, remove = QPushButton(self.tr("Add files…"), self), QPushButton(self.tr("Remove"), self)
        add.clicked.connect(self.choose_files)
        remove.clicked.connect(self.remove_selected)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)
        file_buttons, buttons = QVBoxLayout(), QHBoxLayout()
        file_buttons.addWidget(add)
        file_buttons.addWidget(remove)
        file_buttons.addStretch(1)
        files = QHBoxLayout()
        files.addWidget(self.file_list, 1)
        files.addLayout(file_buttons)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        for title, model in ((self.tr("What each file brings"), self.counts), (self.tr("Conflicts (the other version is kept for review)"), self.conflicts)):
            splitter.addWidget(self._titled_table(title, model))
        buttons.addWidget(self.notes, 1)
        buttons.addWidget(self.merge_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(files)
        layout.addWidget(self.state)
        layout.addWidget(self.error)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    def _titled_table(self, title: str, model: RowTableModel) -> QWidget:
        box = QWidget(self)
        table = QTableView(box)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(f"<b>{title}</b>", box))
        layout.addWidget(table)
        return box

    # --- files --------------------------------------------------------------------------------

    def choose_files(self) -> None:
        paths = self.dialogs.open_paths(self)
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str]) -> None:
        current = self.files.stringList()
        self.files.setStringList(current + [p for p in map(str, paths) if p not in current])
        self.preview()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.file_list.selectedIndexes()}, reverse=True)
        current = self.files.stringList()
        for row in rows:
            del current[row]
        self.files.setStringList(current)
        self.preview()

    # --- preview and merge ----------------------------------------------------------------------

    def _run(self, dry_run: bool) -> None:
        self.merge_button.setEnabled(False)
        self.error.clear()
        paths = self.files.stringList()
        if not paths:
            self.show_report(None)
            return
        self.state.setText(self.tr("Checking the files…") if dry_run else self.tr("Merging…"))
        keep = int(self.services.settings.get("backups_keep", 10))
        self.tasks.submit(merge_task, self.services, paths, keep, dry_run,
                          on_done=self.show_report, on_error=self.show_refusal)

    def preview(self) -> None:
        self._run(dry_run=True)

    def merge(self) -> None:
        self._run(dry_run=False)

    def show_report(self, report) -> None:
        self.report = report
        self.counts.set_rows(count_rows(report) if report else [])
        self.conflicts.set_rows(report.conflicts if report else [])
        if report is None:
            self.state.setText(self.tr("Add the export files to merge. Nothing changes before you press Merge."))
            self.notes.clear()
            return
        totals = (self.tr("%1 to add, %2 to update, %3 conflict(s).") if report.dry_run
                  else self.tr("%1 added, %2 updated, %3 conflict(s)."))
        totals = totals.replace("%1", str(report.total("added"))).replace("%2", str(report.total("updated")))
        totals = totals.replace("%3", str(len(report.conflicts)))
        head = self.tr("Preview — nothing has been changed yet.") if report.dry_run else self.tr("Merge complete.")
        self.state.setText(f"<b>{head}</b> {totals}")
        self.notes.setText(self._notes(report))
        self.merge_button.setEnabled(report.dry_run and report.changes > 0)
        if not report.dry_run:
            self.merged.emit(report)

    def _notes(self, report) -> str:
        notes = []
        if report.photos_deduplicated:
            notes.append(self.tr("%1 duplicate photo(s) of the same finding become one.").replace("%1", str(report.photos_deduplicated)))
        numbering = report.numbering
        if numbering.duplicates or numbering.gaps:
            notes.append(self.tr("Document numbers: %1 duplicate(s), %2 series with gaps.")
                         .replace("%1", str(len(numbering.duplicates))).replace("%2", str(len(numbering.gaps))))
            notes += numbering.lines()[:5]
        if report.backup:
            notes.append(self.tr("Backup before merging: %1").replace("%1", report.backup))
        if report.undo_seq:
            notes.append(self.tr("This merge can be undone: in Backups, select “Before a merge” and press Restore…"))
        return "\n".join(notes)

    def show_refusal(self, error) -> None:
        self.report = None
        self.counts.set_rows([])
        self.conflicts.set_rows([])
        self.notes.clear()
        self.state.setText(self.tr("Nothing was changed."))
        self.error.setText(getattr(error, "message", str(error)))
