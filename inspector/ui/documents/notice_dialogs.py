"""The blocking dialogs of the document views (save, print set-up, open, confirm, ask), in one object that tests replace."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QInputDialog, QMessageBox


class NoticeDialogs:
    """The blocking dialogs of the document views, in one replaceable object."""

    def save_path(self, parent, suggested: str) -> str | None:
        from inspector.ui import file_dialogs

        return file_dialogs.save_file(parent, file_dialogs.DOCUMENTS,
                                      QCoreApplication.translate("NoticeDialogs", "Save document as"), suggested,
                                      "PDF (*.pdf)") or None

    def print_setup(self, parent, printer: QPrinter) -> bool:
        return QPrintDialog(printer, parent).exec() == QPrintDialog.DialogCode.Accepted

    def open_url(self, url: QUrl) -> bool:
        return QDesktopServices.openUrl(url)

    def confirm(self, parent, title: str, text: str, action: str | None = None) -> bool:
        """Ask a question; the accepting button is a verb (``action``, e.g. 签发; the title by default), the other 取消."""
        from inspector.ui.dialogs import confirm

        return confirm(parent, title, text, action)

    def ask_text(self, parent, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(parent, title, label)
        return text.strip() if ok and text.strip() else None

    def error(self, parent, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def info(self, parent, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)
