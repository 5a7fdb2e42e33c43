"""The start page: shown over the 今日待办 dashboard while the data folder holds no enterprise and no
inspection, with the next actions as buttons instead of four cards at 0."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

ACTIONS = ("register", "import", "inspect", "demo", "setup", "guide")


class StartPage(QWidget):
    """Covers its parent (the dashboard) and follows its size; ``action_requested`` names the button."""

    action_requested = Signal(str)

    def __init__(self, parent: QWidget, office: bool = False):
        """``office``: the window works on the office database (a server), not on this laptop's file."""
        super().__init__(parent)
        self.setObjectName("startPage")
        self.setAutoFillBackground(True)
        self.title = title = QLabel(self._title(office), self)
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.hint = hint = QLabel(self._hint(office), self)
        hint.setWordWrap(True)
        texts = {
            "register": self.tr("Register an enterprise…"), "import": self.tr("Import an enterprise list…"),
            "inspect": self.tr("New inspection… (Ctrl+N)"), "demo": self.tr("Load demo data…"),
            "setup": self.tr("First-run setup…"), "guide": self.tr("User guide (F1)"),
        }
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for index, key in enumerate(ACTIONS):
            button = QPushButton(texts[key], self)
            button.setMinimumHeight(44)
            button.clicked.connect(lambda _=False, k=key: self.action_requested.emit(k))
            self.buttons[key] = button
            grid.addWidget(button, index // 2, index % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addSpacing(16)
        layout.addLayout(grid)
        layout.addStretch(1)
        parent.installEventFilter(self)
        self.setGeometry(parent.rect())
        self.hide()

    def _title(self, office: bool) -> str:
        if office:
            return self.tr("Welcome. Nothing has been recorded in the office database yet.")
        return self.tr("Welcome. Nothing has been recorded on this laptop yet.")

    def _hint(self, office: bool) -> str:
        if office:
            return self.tr("Start with the zone's enterprises: register one, or import the enterprise list, then "
                           "merge the laptops' export files (Sync → Merge files from other computers…). "
                           "For training, load the demo data: invented enterprises with hazards overdue, due soon and awaiting "
                           "review, seen by every office PC.")
        return self.tr("Start with the enterprises you inspect: register one, or import the office's list. "
                       "Then start an inspection (Ctrl+N). To look around first, load the demo data: "
                       "invented enterprises with hazards overdue, due soon and awaiting review.")

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(watched.rect())
        return False

    def show_over_parent(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()  # no focus taken: the person may be typing elsewhere when the data arrives
