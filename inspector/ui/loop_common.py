"""Shared pieces of the closed-loop views: replaceable dialogs, translated labels, thumbnails."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QCoreApplication, Qt
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QWidget

IMAGE_FILTER = "*.jpg *.jpeg *.png *.webp *.heic *.heif *.tif *.tiff *.JPG *.JPEG *.PNG *.HEIC"
OVERDUE_COLOUR = QColor("#c62828")
SOON_COLOUR = QColor("#e65100")
DONE_COLOUR = QColor("#2e7d32")


def status_text(status: str) -> str:
    names = {
        "pending": QCoreApplication.translate("LoopLabels", "Pending"),
        "rectifying": QCoreApplication.translate("LoopLabels", "Rectifying"),
        "awaiting_review": QCoreApplication.translate("LoopLabels", "Awaiting review"),
        "closed": QCoreApplication.translate("LoopLabels", "Closed"),
        "escalated": QCoreApplication.translate("LoopLabels", "Escalated"),
        "overdue": QCoreApplication.translate("LoopLabels", "Overdue"),
    }
    return names.get(status, status)


def effective_status_text(status: str, deadline, today) -> str:
    from inspector.core.loop.hazards import is_overdue

    if is_overdue(status, deadline, today):
        return QCoreApplication.translate("LoopLabels", "Overdue (%1)").replace("%1", status_text(status))
    return status_text(status)


def level_text(level: str) -> str:
    if level == "major":
        return QCoreApplication.translate("LoopLabels", "Major")
    return QCoreApplication.translate("LoopLabels", "General")


def outcome_text(outcome: str | None) -> str:
    names = {
        "rectified": QCoreApplication.translate("LoopLabels", "Rectified"),
        "not_rectified": QCoreApplication.translate("LoopLabels", "Not rectified"),
        "escalated": QCoreApplication.translate("LoopLabels", "Escalate"),
    }
    return names.get(outcome, outcome or "")


def category_text(category: str) -> str:
    names = {
        "overdue": QCoreApplication.translate("LoopLabels", "Overdue"),
        "due_soon": QCoreApplication.translate("LoopLabels", "Due within 3 days"),
        "reinspection_due": QCoreApplication.translate("LoopLabels", "Re-inspection due"),
        "open_major": QCoreApplication.translate("LoopLabels", "Open major hazards"),
    }
    return names.get(category, category)


def error_text(error: BaseException) -> str:
    from inspector.errors import UserError

    if isinstance(error, UserError):
        return error.message
    text = QCoreApplication.translate("LoopLabels", "Unexpected error: %1")
    return text.replace("%1", f"{type(error).__name__}: {error}")


class LoopDialogs:
    """The blocking dialogs of the closed-loop views, in one object that tests replace."""

    def open_images(self, parent, title: str) -> list[str]:
        from inspector.ui import file_dialogs

        return file_dialogs.open_files(parent, file_dialogs.PHOTOS, title,
                                       QCoreApplication.translate("LoopLabels", "Photos (%1)").replace("%1", IMAGE_FILTER))

    def save_path(self, parent, title: str, suggested: str, file_filter: str) -> str | None:
        from inspector.ui import file_dialogs

        return file_dialogs.save_file(parent, file_dialogs.DOCUMENTS, title, suggested, file_filter) or None

    def confirm(self, parent, title: str, text: str, verb: str | None = None) -> bool:
        from inspector.ui.dialogs import confirm

        return confirm(parent, title, text, verb)  # buttons: the action (the title by default) / 取消

    def error(self, parent, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def info(self, parent, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)


def thumbnail_pixmap(jpeg: bytes, height: int = 96) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(QByteArray(jpeg))
    if pixmap.isNull():
        return pixmap
    return pixmap.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)


class ThumbnailRow(QWidget):
    """A row of photo thumbnails with a caption under each (read-only)."""

    def __init__(self, parent=None, height: int = 96):
        super().__init__(parent)
        self.thumb_height = height
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel(self)
        self.row.addWidget(self.empty)
        self.row.addStretch(1)
        self.labels: list[QLabel] = []

    def set_photos(self, photos, empty_text: str) -> None:
        for label in self.labels:
            self.row.removeWidget(label)
            label.deleteLater()
        self.labels = []
        self.empty.setText(empty_text if not photos else "")
        self.empty.setVisible(not photos)
        for index, photo in enumerate(photos):
            label = QLabel(self)
            pixmap = thumbnail_pixmap(photo.thumbnail, self.thumb_height)
            label.setPixmap(pixmap)
            label.setFixedSize(pixmap.size())
            label.setToolTip(photo.caption)
            self.row.insertWidget(index, label)
            self.labels.append(label)

    @property
    def count(self) -> int:
        return len(self.labels)
