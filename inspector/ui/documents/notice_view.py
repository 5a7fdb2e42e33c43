"""Preview of one document (QtPdf) with 签发, 打印, 另存为 and 用系统程序打开.

Two modes: a draft made from an inspection as it is now (kind selectable, can be issued),
or a stored notice (frozen bytes, read-only). Every file picker, print dialog, question and
the system viewer go through ``self.dialogs`` (a :class:`NoticeDialogs`), which tests replace.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QInputDialog, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from inspector.ui.tasks import TaskRunner

KINDS = ("order", "park", "record")


class NoticeDialogs:
    """The blocking dialogs of the document views, in one replaceable object."""

    def save_path(self, parent, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            parent, QCoreApplication.translate("NoticeDialogs", "Save document as"), suggested, "PDF (*.pdf)")
        return path or None

    def print_setup(self, parent, printer: QPrinter) -> bool:
        return QPrintDialog(printer, parent).exec() == QPrintDialog.DialogCode.Accepted

    def open_url(self, url: QUrl) -> bool:
        return QDesktopServices.openUrl(url)

    def confirm(self, parent, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        return QMessageBox.question(parent, title, text, buttons) == QMessageBox.StandardButton.Yes

    def ask_text(self, parent, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(parent, title, label)
        return text.strip() if ok and text.strip() else None

    def error(self, parent, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def info(self, parent, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)


def _render_draft(db, inspection_id: str, kind: str, config) -> bytes:
    from inspector.core.documents import render_document
    from inspector.core.documents.notice_data import inspection_document_data

    return render_document(inspection_document_data(db, inspection_id, kind, config), config)


def _issue(db, inspection_id: str, kind: str, config):
    from inspector.core.documents.notices import issue_for_inspection

    return issue_for_inspection(db, inspection_id, kind, config)


class NoticeView(QWidget):
    """A top-level window showing one document."""

    notice_issued = Signal(str)  # notice id
    document_loaded = Signal()

    def __init__(self, services, parent=None, tasks: TaskRunner | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.services = services
        self.tasks = tasks or TaskRunner(self)
        self.dialogs = NoticeDialogs()
        self.inspection_id: str | None = None
        self.notice = None
        self.print_progress = None  # the last print's progress dialog (printing.PrintProgress)
        self.pdf_bytes = b""
        self.file_name = "document.pdf"
        self._buffer: QBuffer | None = None
        self.document = QPdfDocument(self)
        self.setWindowTitle(self.tr("Document"))
        self.resize(760, 900)
        self._build()

    def _build(self) -> None:
        self.kind_box = QComboBox(self)
        names = {"order": self.tr("Rectification order (enforcement)"), "park": self.tr("Park hazard notice"),
                 "record": self.tr("On-site inspection record")}
        for kind in KINDS:
            self.kind_box.addItem(names[kind], kind)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.info_label = QLabel(self)
        self.issue_button = self._button(self.tr("Issue"), self.issue)
        self.print_button = self._button(self.tr("Print…"), self.print_document)
        self.save_button = self._button(self.tr("Save as…"), self.save_as)
        self.open_button = self._button(self.tr("Open in system viewer"), self.open_externally)
        self.problems_label = QLabel(self)
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #c62828;")
        self.problems_label.hide()
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        bar = QHBoxLayout()
        bar.addWidget(self.kind_box)
        bar.addWidget(self.info_label, 1)
        for button in (self.issue_button, self.print_button, self.save_button, self.open_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.view, 1)
        self._set_busy(True)

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    # --- what is shown ----------------------------------------------------------------------

    def show_inspection(self, inspection_id: str, kind: str | None = None) -> None:
        """Preview the unnumbered draft of ``kind`` for an inspection as it is now."""
        from inspector.core.documents.notices import default_kind

        self.inspection_id, self.notice = inspection_id, None
        kind = kind or default_kind(self.services)
        self.kind_box.blockSignals(True)
        self.kind_box.setCurrentIndex(max(0, KINDS.index(kind) if kind in KINDS else 0))
        self.kind_box.blockSignals(False)
        self.kind_box.setEnabled(True)
        self._render_draft()

    def show_notice(self, notice) -> None:
        """Show a stored notice (a ``Notice`` row): its frozen bytes, read-only."""
        from inspector.core.common.clock import format_local
        from inspector.core.documents.notices import STATUS_NAMES

        self.notice, self.inspection_id = notice, notice.inspection_id
        self.kind_box.setEnabled(False)
        index = self.kind_box.findData(notice.kind)
        if index >= 0:
            self.kind_box.setCurrentIndex(index)
        status = STATUS_NAMES.get(notice.status, notice.status)
        self.info_label.setText(f"{notice.number_text}　{status}　{format_local(notice.issued_at)}")
        self.problems_label.hide()
        self.setWindowTitle(notice.number_text)
        self.file_name = _safe_file_name(f"{notice.number_text}.pdf")
        self._load(notice.pdf)

    def _kind_changed(self) -> None:
        if self.notice is None and self.inspection_id:
            self._render_draft()

    @property
    def kind(self) -> str:
        return self.kind_box.currentData()

    def _render_draft(self) -> None:
        from inspector.core.documents.notices import document_config

        self._set_busy(True)
        self.problems_label.hide()
        self.info_label.setText(self.tr("Draft, not numbered"))
        self.setWindowTitle(self.tr("Draft document"))
        self.file_name = f"draft-{self.kind}.pdf"
        config = document_config(self.services)
        self.tasks.submit(_render_draft, self.services.db, self.inspection_id, self.kind, config,
                          on_done=self._load, on_error=self._draft_failed)

    def _draft_failed(self, error: BaseException) -> None:
        self.pdf_bytes = b""
        self.document.close()
        self._show_problems(_message(error))
        self._set_busy(False)
        self.issue_button.setEnabled(False)
        self.document_loaded.emit()

    def _load(self, pdf: bytes) -> None:
        self.pdf_bytes = pdf
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self._set_busy(False)
        self.document_loaded.emit()

    def _set_busy(self, busy: bool) -> None:
        has_pdf = bool(self.pdf_bytes) and not busy
        self.issue_button.setEnabled(not busy and self.notice is None and bool(self.inspection_id))
        for button in (self.print_button, self.save_button, self.open_button):
            button.setEnabled(has_pdf)

    def _show_problems(self, text: str) -> None:
        self.problems_label.setText(text)
        self.problems_label.show()

    # --- actions ----------------------------------------------------------------------------

    def issue(self) -> None:
        """Number, render, store and show the document (after a confirmation)."""
        from inspector.core.documents.notices import document_config

        if self.notice is not None or not self.inspection_id:
            return
        question = self.tr("Issue this document? It gets the next number and can no longer be changed; "
                           "a correction will be a new document.")
        if not self.dialogs.confirm(self, self.tr("Issue document"), question):
            return
        self._set_busy(True)
        self.tasks.submit(_issue, self.services.db, self.inspection_id, self.kind, document_config(self.services),
                          on_done=self._issued, on_error=self._issue_failed)

    def _issued(self, notice) -> None:
        self.show_notice(notice)
        self.notice_issued.emit(notice.id)

    def _issue_failed(self, error: BaseException) -> None:
        self._show_problems(_message(error))
        self._set_busy(False)
        self.document_loaded.emit()

    def save_as(self) -> None:
        from inspector.core.common.atomic_file import write_atomically
        from inspector.errors import UserError

        path = self.dialogs.save_path(self, self.file_name)
        if not path:
            return
        try:
            write_atomically(Path(path), self.pdf_bytes)
        except UserError as error:
            self.dialogs.error(self, self.tr("Save as"), error.message)

    def open_externally(self) -> None:
        folder = Path(tempfile.gettempdir()) / "inspector-documents"
        try:
            folder.mkdir(exist_ok=True)
            path = folder / self.file_name
            path.write_bytes(self.pdf_bytes)
        except OSError as error:
            self.dialogs.error(self, self.tr("Open in system viewer"), str(error))
            return
        if not self.dialogs.open_url(QUrl.fromLocalFile(str(path))):
            self.dialogs.error(self, self.tr("Open in system viewer"),
                               self.tr("No program to open PDF files was found. Use “Save as…” instead."))

    def print_document(self) -> None:
        from inspector.ui.documents.printing import print_with_dialog

        self.print_progress = print_with_dialog(self, self.dialogs, self.document, self.pdf_bytes, self.file_name,
                                                self.tasks)


def _message(error: BaseException) -> str:
    from inspector.errors import UserError

    return error.message if isinstance(error, UserError) else f"{type(error).__name__}: {error}"


def _safe_file_name(name: str) -> str:
    return "".join("_" if ch in '<>:"/\\|?*' else ch for ch in name)
