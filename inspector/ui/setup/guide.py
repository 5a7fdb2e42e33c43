"""帮助 → 使用说明: the Chinese guide bundled in ``resources/help/guide.md``, shown inside the app."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from inspector.paths import resources_dir

GUIDE = "help/guide.md"
MAX_GUIDE_BYTES = 512 * 1024  # a bounded read: the guide is a few kilobytes


def guide_text() -> str:
    path = resources_dir() / GUIDE
    with open(path, "rb") as handle:
        return handle.read(MAX_GUIDE_BYTES).decode("utf-8", errors="replace")


class GuideDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("GuideDialog")
        self.setWindowTitle(self.tr("User guide"))
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)  # no browser: the guide is self-contained
        try:
            self.browser.setMarkdown(guide_text())
        except OSError as error:
            self.browser.setPlainText(self.tr("The user guide is missing from this installation (%1).")
                                      .replace("%1", str(error)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(760, 640)
