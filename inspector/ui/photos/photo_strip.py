"""The photos of one finding: thumbnails in a row; add files, drop, paste, view, caption, delete, reorder.

Photos are ingested and stored in the background (TaskRunner) with a progress bar for
batches; a refused file shows its Chinese message while the others are kept.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QBuffer, QByteArray, QIODevice, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core.photos import store as photo_store
from inspector.core.common.clock import format_local

THUMB = QSize(128, 96)
IMAGE_FILTER = "*.jpg *.jpeg *.png *.webp *.heic *.heif *.tif *.tiff *.JPG *.JPEG *.PNG *.HEIC"


class PhotoListModel(QAbstractListModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[photo_store.StoredPhoto] = []
        self._pixmaps: dict[str, QPixmap] = {}

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._pixmaps = {photo.id: self._pixmaps[photo.id] for photo in self.rows if photo.id in self._pixmaps}
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        photo = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return photo.caption or self.tr("Photo %1").replace("%1", str(index.row() + 1))
        if role == Qt.ItemDataRole.DecorationRole:
            return self._pixmap(photo)
        if role == Qt.ItemDataRole.ToolTipRole:
            taken = format_local(photo.captured_at) or self.tr("unknown")
            return self.tr("%1, %2 × %3 px, taken %4").replace("%1", photo.original_name or "-") \
                .replace("%2", str(photo.width)).replace("%3", str(photo.height)).replace("%4", taken)
        return None

    def _pixmap(self, photo) -> QPixmap:
        if photo.id not in self._pixmaps:
            pixmap = QPixmap()
            pixmap.loadFromData(photo.thumbnail, "JPEG")
            self._pixmaps[photo.id] = pixmap.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                                    Qt.TransformationMode.SmoothTransformation)
        return self._pixmaps[photo.id]


class PhotoStrip(QWidget):
    photos_changed = Signal(str, int)  # finding id, photos it now has
    busy_changed = Signal(bool)

    def __init__(self, services, tasks, parent=None):
        super().__init__(parent)
        self.services, self.tasks = services, tasks
        self.finding_id: str | None = None
        self.editable = False
        self._pending = 0
        self._deleted: str | None = None
        self.choose_files = self._ask_for_files  # replaceable (tests, other pickers)
        self.model = PhotoListModel(self)
        self.list = self._make_list()
        self.caption = QLineEdit(self)
        self.caption.setPlaceholderText(self.tr("Caption of the selected photo"))
        self.caption.editingFinished.connect(self._save_caption)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b71c1c")
        self.undo_button = QPushButton(self.tr("Undo delete"), self)
        self.undo_button.clicked.connect(self.undo_delete)
        self.undo_button.hide()
        self.buttons = self._make_buttons()
        self.setAcceptDrops(True)
        paste = QShortcut(QKeySequence.StandardKey.Paste, self.list, self.paste)
        paste.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._layout()
        self.set_finding(None)

    def _make_list(self) -> QListView:
        view = QListView(self)
        view.setModel(self.model)
        view.setViewMode(QListView.ViewMode.IconMode)
        view.setFlow(QListView.Flow.LeftToRight)
        view.setWrapping(False)
        view.setMovement(QListView.Movement.Static)
        view.setIconSize(THUMB)
        view.setGridSize(QSize(THUMB.width() + 16, THUMB.height() + 30))
        view.setUniformItemSizes(True)
        view.setMinimumWidth(THUMB.width() + 40)
        view.setFixedHeight(THUMB.height() + 52)
        view.setAcceptDrops(False)
        view.setDragEnabled(False)
        view.activated.connect(lambda _index: self.view_current())
        view.selectionModel().currentChanged.connect(self._current_changed)
        return view

    def _make_buttons(self) -> dict[str, QPushButton]:
        specs = {
            "add": (self.tr("Add photos…"), self.choose_and_add),
            "paste": (self.tr("Paste"), self.paste),
            "view": (self.tr("View large"), self.view_current),
            "left": (self.tr("◀ Move left"), lambda: self.move_current(-1)),
            "right": (self.tr("Move right ▶"), lambda: self.move_current(1)),
            "delete": (self.tr("Delete"), self.delete_current),
        }
        buttons = {}
        for key, (text, slot) in specs.items():
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            buttons[key] = button
        buttons["add"].setToolTip(self.tr("Several files at once; you can also drop files here or paste with Ctrl+V"))
        return buttons

    def _layout(self) -> None:
        first, second = QHBoxLayout(), QHBoxLayout()
        for key in ("add", "paste", "view"):
            first.addWidget(self.buttons[key])
        for key in ("left", "right", "delete"):
            second.addWidget(self.buttons[key])
        first.addStretch(1)
        second.addStretch(1)
        notes = QHBoxLayout()
        notes.addWidget(self.message, 1)
        notes.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addWidget(self.caption)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.progress)
        layout.addLayout(notes)

    # --- which finding ------------------------------------------------------------------

    def set_finding(self, finding_id: str | None, editable: bool = True) -> None:
        self.finding_id, self.editable = finding_id, editable and finding_id is not None
        self.message.clear()
        self.undo_button.hide()
        self.reload()

    def reload(self) -> None:
        photos = photo_store.list_photos(self.services.db, self.finding_id) if self.finding_id else []
        current = self.current_photo()
        self.model.set_rows(photos)
        ids = [photo.id for photo in photos]
        if ids:
            self.list.setCurrentIndex(self.model.index(ids.index(current.id) if current and current.id in ids else 0))
        self._update_buttons()

    def current_photo(self):
        index = self.list.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    # --- adding -------------------------------------------------------------------------

    def choose_and_add(self) -> None:
        if self.editable:
            self.add_files(self.choose_files())

    def _ask_for_files(self) -> list[str]:
        from inspector.ui import file_dialogs

        return file_dialogs.open_files(self, file_dialogs.PHOTOS, self.tr("Add photos"),
                                       self.tr("Images (%1)").replace("%1", IMAGE_FILTER))

    def add_files(self, sources: list) -> None:
        """Ingest and store paths (or (name, bytes) pairs) in the background."""
        if not sources or not self.editable:
            return
        finding_id = self.finding_id
        self._set_pending(self._pending + 1, len(sources))
        self.tasks.submit(photo_store.attach_photos, self.services.db, finding_id=finding_id, sources=list(sources),
                          on_done=lambda result: self._attached(finding_id, result),
                          on_error=lambda error: self._attach_failed(error), on_progress=self._progress)

    def paste(self) -> None:
        self.add_mime(QGuiApplication.clipboard().mimeData())

    def add_mime(self, mime) -> bool:
        """Files (URLs) or an image from a drop or the clipboard; False when there is nothing to add."""
        if mime is None or not self.editable:
            return False
        paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []
        if paths:
            self.add_files(paths)
            return True
        if mime.hasImage():
            data = _png_bytes(QImage(mime.imageData()))
            if data:
                self.add_files([(self.tr("pasted image.png"), data)])
                return True
        self.message.setText(self.tr("The clipboard holds no image or image file."))
        return False

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        mime = event.mimeData()
        if self.editable and (mime.hasUrls() or mime.hasImage()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.add_mime(event.mimeData()):
            event.acceptProposedAction()

    def _set_pending(self, pending: int, batch: int = 0) -> None:
        was_busy = self._pending > 0
        self._pending = pending
        if pending and batch > 1:
            self.progress.setRange(0, batch)
            self.progress.setValue(0)
            self.progress.show()
        if not pending:
            self.progress.hide()
        if was_busy != bool(pending):
            self.busy_changed.emit(bool(pending))

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _attached(self, finding_id: str, result) -> None:
        self._set_pending(self._pending - 1)
        self.message.setText("\n".join(result.problems))
        if finding_id == self.finding_id:
            self.reload()
        count = len(photo_store.list_photos(self.services.db, finding_id))
        self.photos_changed.emit(finding_id, count)

    def _attach_failed(self, error) -> None:
        self._set_pending(self._pending - 1)
        self.message.setText(getattr(error, "message", str(error)))

    @property
    def busy(self) -> bool:
        return self._pending > 0

    # --- the selected photo ---------------------------------------------------------------

    def view_current(self) -> None:
        from inspector.ui.photos.photo_viewer import PhotoViewer

        photo = self.current_photo()
        if photo is None:
            return
        self.viewer = PhotoViewer(self.model.rows, self.model.rows.index(photo),
                                  lambda photo_id: photo_store.load_jpeg(self.services.db, photo_id), self.window())
        self.viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.viewer.show()

    def delete_current(self) -> None:
        photo = self.current_photo()
        if photo is None or not self.editable:
            return
        self._run(photo_store.delete_photo, photo.id)
        self._deleted = photo.id
        self.message.setText(self.tr("Photo deleted."))
        self.undo_button.show()
        self._changed()

    def undo_delete(self) -> None:
        if self._deleted and self._run(photo_store.restore_photo, self._deleted):
            self._deleted = None
            self.undo_button.hide()
            self.message.clear()
            self._changed()

    def move_current(self, step: int) -> None:
        photo = self.current_photo()
        if photo is not None and self.editable and self._run(photo_store.move_photo, photo.id, step):
            self.reload()

    def _save_caption(self) -> None:
        photo = self.current_photo()
        if photo is not None and self.editable and self.caption.text().strip() != photo.caption:
            if self._run(photo_store.set_caption, photo.id, self.caption.text()):
                self.reload()

    def _run(self, function, *args) -> bool:
        """A quick write on the GUI thread (one small row); a refusal is shown, not raised."""
        from inspector.errors import UserError

        try:
            function(self.services.db, *args)
        except UserError as error:
            self.message.setText(error.message)
            return False
        return True

    def _changed(self) -> None:
        self.reload()
        self.photos_changed.emit(self.finding_id, len(self.model.rows))

    def _current_changed(self, current, _previous=None) -> None:
        photo = self.current_photo()
        self.caption.blockSignals(True)
        self.caption.setText(photo.caption if photo else "")
        self.caption.blockSignals(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_photo = self.current_photo() is not None
        for key, button in self.buttons.items():
            button.setEnabled(self.editable if key in ("add", "paste") else has_photo and (self.editable or key == "view"))
        self.caption.setEnabled(has_photo and self.editable)


def _png_bytes(image: QImage) -> bytes:
    if image.isNull():
        return b""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())
