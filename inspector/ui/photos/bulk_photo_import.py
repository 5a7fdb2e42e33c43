"""Bulk photo import: a phone or SD-card folder, matched to the inspection's hazards by capture time.

Choose a folder -> scan (background, with progress) -> each photo is proposed for the hazard
recorded nearest its capture time -> reassign by hand in the table -> import (background).
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
)

from inspector.core.common.clock import format_local
from inspector.ui.wheel_guard import guard_wheel

UNASSIGNED_COLOUR = QColor("#8d6e00")
PROBLEM_COLOUR = QColor("#b71c1c")


class BulkPhotoModel(QAbstractTableModel):
    FILE, TAKEN, HAZARD, NOTE = range(4)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.photos: list = []
        self.targets: list[str | None] = []
        self.hazards: list = []
        self._headers = [self.tr("File"), self.tr("Taken"), self.tr("Hazard"), self.tr("Note")]

    def set_photos(self, photos: list, hazards: list, targets: list) -> None:
        self.beginResetModel()
        self.photos, self.hazards, self.targets = list(photos), list(hazards), list(targets)
        self.endResetModel()

    def hazard_label(self, finding_id: str | None) -> str:
        return next((h.label for h in self.hazards if h.finding_id == finding_id), self.tr("(do not import)"))

    def assignments(self) -> list:
        return [(photo.path, target) for photo, target in zip(self.photos, self.targets) if not photo.problem]

    def assigned_count(self) -> int:
        return sum(1 for _, target in self.assignments() if target)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.photos)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 4

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        photo, target, column = self.photos[index.row()], self.targets[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(photo, target, column)
        if role == Qt.ItemDataRole.EditRole and column == self.HAZARD:
            return target
        if role == Qt.ItemDataRole.ForegroundRole:
            if photo.problem:
                return QBrush(PROBLEM_COLOUR)
            if column == self.HAZARD and not target:
                return QBrush(UNASSIGNED_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(photo.path)
        return None

    def _text(self, photo, target, column: int) -> str:
        if column == self.FILE:
            return photo.path.name
        if column == self.TAKEN:
            return format_local(photo.captured_at) if photo.captured_at else self.tr("unknown")
        if column == self.HAZARD:
            return "" if photo.problem else self.hazard_label(target)
        return photo.problem or ("" if target else self.tr("choose a hazard by hand (double-click)"))

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != self.HAZARD or role != Qt.ItemDataRole.EditRole:
            return False
        self.targets[index.row()] = value or None
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 3))
        return True

    def flags(self, index):
        flags = super().flags(index)
        if index.isValid() and index.column() == self.HAZARD and not self.photos[index.row()].problem:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags


class HazardDelegate(QStyledItemDelegate):
    """A drop-down of the inspection's hazards for the "Hazard" column."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt override
        model = index.model()
        combo = QComboBox(parent)
        combo.addItem(model.hazard_label(None), None)
        for hazard in model.hazards:
            combo.addItem(hazard.label, hazard.finding_id)
        return combo

    def setEditorData(self, editor, index) -> None:  # noqa: N802
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor, model, index) -> None:  # noqa: N802
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class BulkPhotoImportDialog(QDialog):
    photos_imported = Signal(int)
    scan_finished = Signal()

    def __init__(self, services, inspection_id: str, tasks, parent=None):
        super().__init__(parent)
        from inspector.core.photos.bulk_import import hazard_targets

        self.services, self.inspection_id, self.tasks = services, inspection_id, tasks
        self.hazards = hazard_targets(services.db, inspection_id)
        self.choose_folder = self._ask_for_folder  # replaceable (tests, other pickers)
        self.busy = False
        self.setWindowTitle(self.tr("Import photos from a folder"))
        self.resize(900, 560)
        self.model = BulkPhotoModel(self)
        self.table = self._make_table()
        self.folder_label = QLabel(self.tr("Choose the folder of a phone or SD card (DCIM)."), self)
        self.tolerance = QSpinBox(self)
        self.tolerance.setRange(1, 24 * 60)
        self.tolerance.setValue(30)
        self.tolerance.setSuffix(self.tr(" min"))
        self.tolerance.valueChanged.connect(lambda _v: self._suggest())
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.choose_button = QPushButton(self.tr("Choose folder…"), self)
        self.choose_button.clicked.connect(self.choose_and_scan)
        self.import_button = QPushButton(self.tr("Import"), self)
        self.import_button.clicked.connect(self.import_photos)
        self.import_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.reject)
        self._layout()
        guard_wheel(self)  # scrolling past the tolerance box does not change it
        if not self.hazards:
            self.summary.setText(self.tr("This inspection has no hazards yet: mark items as failed first."))
            self.choose_button.setEnabled(False)

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setItemDelegateForColumn(BulkPhotoModel.HAZARD, HazardDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.SelectedClicked
                              | QAbstractItemView.EditTrigger.EditKeyPressed)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(BulkPhotoModel.HAZARD, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 180), (1, 130), (3, 200)):
            table.setColumnWidth(column, width)
        return table

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(self.folder_label, 1)
        top.addWidget(QLabel(self.tr("Match within"), self))
        top.addWidget(self.tolerance)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addLayout(bottom)

    def _ask_for_folder(self) -> str:
        from inspector.ui import file_dialogs

        return file_dialogs.folder(self, file_dialogs.PHOTOS, self.tr("Folder of photos"))

    def choose_and_scan(self) -> None:
        folder = self.choose_folder()
        if folder:
            self.scan(folder)

    def scan(self, folder: str) -> None:
        from inspector.core.photos.bulk_import import scan_photos

        self.folder_label.setText(folder)
        self._set_busy(True)
        self.tasks.submit(scan_photos, folder, on_done=self._scanned, on_error=self._failed, on_progress=self._progress)

    def _scanned(self, photos: list) -> None:
        self._set_busy(False)
        self.model.set_photos(photos, self.hazards, [None] * len(photos))
        self._suggest()
        self.scan_finished.emit()

    def _suggest(self) -> None:
        from inspector.core.photos.bulk_import import suggest_targets

        if not self.model.photos:
            return
        targets = suggest_targets(self.model.photos, self.hazards, timedelta(minutes=self.tolerance.value()))
        self.model.set_photos(self.model.photos, self.hazards, targets)
        self._update_summary()

    def assign(self, row: int, finding_id: str | None) -> None:
        self.model.setData(self.model.index(row, BulkPhotoModel.HAZARD), finding_id)
        self._update_summary()

    def _update_summary(self) -> None:
        photos, assigned = len(self.model.photos), self.model.assigned_count()
        unreadable = sum(1 for photo in self.model.photos if photo.problem)
        self.summary.setText(self.tr("%1 photos found, %2 matched to a hazard, %3 unreadable.")
                             .replace("%1", str(photos)).replace("%2", str(assigned)).replace("%3", str(unreadable)))
        self.import_button.setEnabled(assigned > 0 and not self.busy)

    def import_photos(self) -> None:
        from inspector.core.photos.bulk_import import import_assigned

        assignments = self.model.assignments()
        if not any(target for _, target in assignments):
            return
        self._set_busy(True)
        self.tasks.submit(import_assigned, self.services.db, assignments, on_done=self._imported,
                          on_error=self._failed, on_progress=self._progress)

    def _imported(self, result) -> None:
        self._set_busy(False)
        text = self.tr("Imported %1 photos.").replace("%1", str(len(result.added)))
        self.summary.setText("\n".join([text, *result.problems]))
        self.import_button.setEnabled(False)
        self.photos_imported.emit(len(result.added))

    def _failed(self, error) -> None:
        self._set_busy(False)
        self.summary.setText(getattr(error, "message", str(error)))

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        self.choose_button.setEnabled(not busy and bool(self.hazards))
        self.import_button.setEnabled(not busy and self.model.assigned_count() > 0)
        self.close_button.setEnabled(not busy)

    def reject(self) -> None:
        if not self.busy:  # never close under a running import (its results would have nowhere to go)
            super().reject()
