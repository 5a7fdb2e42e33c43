"""A photo shown large, with its caption; left/right arrows go through the finding's photos."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout


class PhotoViewer(QDialog):
    """Non-modal: open with ``show()``; ``load_jpeg(photo_id) -> bytes`` reads a stored photo."""

    def __init__(self, photos: list, index: int, load_jpeg, parent=None):
        super().__init__(parent)
        self.photos, self.index, self.load_jpeg = photos, index, load_jpeg
        self._pixmap = QPixmap()
        self.setWindowTitle(self.tr("Photo"))
        self._fit_screen(1000, 760)
        self.image = QLabel(self)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.image.setStyleSheet("background: #202020")
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.previous_button = QPushButton(self.tr("◀ Previous"), self)
        self.next_button = QPushButton(self.tr("Next ▶"), self)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        QShortcut(QKeySequence(Qt.Key.Key_Left), self, lambda: self.step(-1))
        QShortcut(QKeySequence(Qt.Key.Key_Right), self, lambda: self.step(1))
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.caption, 1)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.image, 1)
        layout.addLayout(buttons)
        self._show_current()

    def _fit_screen(self, width: int, height: int) -> None:
        """At most the requested size, and never taller or wider than the screen (1366×768: buttons visible)."""
        screen = (self.parentWidget() or self).screen().availableGeometry()
        self.resize(min(width, screen.width() - 40), min(height, screen.height() - 60))

    def step(self, offset: int) -> None:
        target = self.index + offset
        if 0 <= target < len(self.photos):
            self.index = target
            self._show_current()

    def _show_current(self) -> None:
        photo = self.photos[self.index]
        self._pixmap = QPixmap()
        self._pixmap.loadFromData(self.load_jpeg(photo.id), "JPEG")
        details = f"{self.index + 1}/{len(self.photos)}  {photo.caption or photo.original_name}"
        self.caption.setText(details)
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.photos) - 1)
        self._fit()

    def _fit(self) -> None:
        if not self._pixmap.isNull():
            self.image.setPixmap(self._pixmap.scaled(self.image.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                     Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()
