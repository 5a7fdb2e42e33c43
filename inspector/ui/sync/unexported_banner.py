"""A strip at the top of the window: "N records / M photos not yet exported", with an Export button.

Counts come from :func:`inspector.core.sync.status.unexported` (local additions and edits that no
export has carried yet), computed in the background; the window hides the strip when there are none.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


def count_unexported(db_path):
    from inspector.core.sync.status import unexported_if_changed

    return unexported_if_changed(db_path)


class UnexportedBanner(QFrame):
    export_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("unexportedBanner")
        self.setStyleSheet("#unexportedBanner { background: #fff4ce; border-bottom: 1px solid #e0c060; }")
        self.label = QLabel(self)
        self.button = QPushButton(self.tr("Export…"), self)
        self.button.clicked.connect(self.export_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.records = self.photos = 0

    def set_counts(self, records: int, photos: int) -> None:
        self.records, self.photos = records, photos
        self.label.setText(self.tr("%1 records / %2 photos not yet exported").replace("%1", str(records))
                           .replace("%2", str(photos)))

    def show_unexported(self, result) -> None:
        self.set_counts(result.records, result.photos)
