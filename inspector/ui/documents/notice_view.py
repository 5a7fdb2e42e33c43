"""Preview of one document (QtPdf) with 签发, 打印, 另存为 and 用系统程序打开.

Two modes: a draft made from an inspection (kind selectable, remembered) or a completed
re-inspection as it is now, which can be issued — after the numbering check and with the
documents already issued in view (a second live one of a kind becomes a correction) — or a
stored notice (frozen bytes, read-only). Every file picker, print dialog, question and
the system viewer go through ``self.dialogs`` (a :class:`NoticeDialogs`), which tests replace.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout,
    QWidget,
)

from inspector.ui.documents.fit import fitting_size
from inspector.ui.documents.notice_dialogs import NoticeDialogs
from inspector.ui.tasks import TaskRunner

KINDS = ("order", "park", "record", "measure", "referral")


BUSY_FEEDBACK_MS = 300  # a busy cursor and bar for work that takes longer than this
KIND_SETTING = "document_kind"  # the kind last chosen in a draft window


def remembered_kind(services) -> str:
    """The kind chosen last time in a draft window, else the template family's rectification document."""
    from inspector.core.documents.notices import default_kind

    kind = services.settings.get(KIND_SETTING)
    return kind if kind in KINDS else default_kind(services)


class NoticeView(QWidget):
    """A top-level window showing one document: a draft that can be issued, or a stored notice."""

    notice_issued = Signal(str)  # notice id
    document_loaded = Signal()
    settings_requested = Signal()  # 号段与文书设置, when numbering is not set up

    def __init__(self, services, parent=None, tasks: TaskRunner | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.services = services
        self.tasks = tasks or TaskRunner(self)
        self.dialogs = NoticeDialogs()
        self.source = None  # a drafts.DraftSource while a draft is shown
        self.notice = None
        self.issued: list = []  # drafts.IssuedRow of the source
        self.print_progress = None  # the last print's progress dialog (printing.PrintProgress)
        self.pdf_bytes = b""
        self.file_name = "document.pdf"
        self._buffer: QBuffer | None = None
        self._busy = False
        self._generation = 0  # renders finishing out of order: only the latest is shown
        self._rendering = 0
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_FEEDBACK_MS, timeout=self._show_busy)
        self.document = QPdfDocument(self)
        self.setWindowTitle(self.tr("Document"))
        self.resize(fitting_size(self, 760, 680))
        self._build()

    @property
    def inspection_id(self) -> str | None:
        from inspector.ui.documents.drafts import INSPECTION

        if self.notice is not None:
            return self.notice.inspection_id
        return self.source.id if self.source is not None and self.source.what == INSPECTION else None

    def _build(self) -> None:
        self.kind_box = QComboBox(self)
        for kind in (*KINDS, "review"):
            self.kind_box.addItem(self._kind_name(kind), kind)
        self.kind_box.activated.connect(self._kind_chosen)
        self.info_label = QLabel(self)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.hide()
        self.issue_button = self._button(self.tr("Issue"), self.issue)
        self.print_button = self._button(self.tr("Print…"), self.print_document)
        self.save_button = self._button(self.tr("Save as…"), self.save_as)
        self.open_button = self._button(self.tr("Open in system viewer"), self.open_externally)
        self.issued_label = QLabel(self)
        self.issued_label.setWordWrap(True)
        self.issued_label.setStyleSheet("color: #8d6e00; font-weight: bold;")
        self.issued_label.hide()
        self.problems_label = QLabel(self)
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #c62828;")
        self.settings_button = self._button(self.tr("Number settings…"), self.settings_requested.emit)
        self._show_problems("")
        self.hints_label = QLabel(self)  # e.g. "请另行签发现场处理措施决定书" (Chinese, from the core)
        self.hints_label.setWordWrap(True)
        self.hints_label.setStyleSheet("color: #1565c0;")
        self.hints_label.hide()
        from inspector.ui.documents.record_date_row import RecordDateRow

        self.date_row = RecordDateRow(self)  # 文书日期, and the reason when it is before today
        self.date_row.changed.connect(self._render_draft)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._arrange()
        self._set_busy(True)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)  # nothing to lose: drafts are never stored

    def _arrange(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.kind_box)
        bar.addWidget(self.info_label, 1)
        bar.addWidget(self.busy_bar)
        for button in (self.issue_button, self.print_button, self.save_button, self.open_button):
            bar.addWidget(button)
        problems = QHBoxLayout()
        problems.addWidget(self.problems_label, 1)
        problems.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.date_row)
        layout.addWidget(self.issued_label)
        layout.addLayout(problems)
        layout.addWidget(self.hints_label)
        layout.addWidget(self.view, 1)

    def _kind_name(self, kind: str) -> str:
        return {"order": self.tr("Rectification order (enforcement)"), "park": self.tr("Park hazard notice"),
                "record": self.tr("On-site inspection record"), "review": self.tr("Re-inspection opinion"),
                "measure": self.tr("On-site measure decision"), "referral": self.tr("Referral of fire matters")}[kind]

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    # --- what is shown ----------------------------------------------------------------------

    def show_inspection(self, inspection_id: str, kind: str | None = None) -> None:
        """Preview the unnumbered draft of ``kind`` (default: the kind chosen last time) for an inspection."""
        from inspector.ui.documents.drafts import INSPECTION, DraftSource

        kind = kind if kind in KINDS else remembered_kind(self.services)
        self._show_source(DraftSource(INSPECTION, inspection_id), kind, choosable=True)

    def show_reinspection(self, reinspection_id: str) -> None:
        """Preview the unnumbered 整改复查意见书 of a completed re-inspection, to be issued from here."""
        from inspector.ui.documents.drafts import REINSPECTION, DraftSource

        self._show_source(DraftSource(REINSPECTION, reinspection_id), "review", choosable=False)

    def _show_source(self, source, kind: str, *, choosable: bool) -> None:
        self.source, self.notice, self.issued = source, None, []
        self.kind_box.model().item(self.kind_box.findData("review")).setEnabled(not choosable)
        self.kind_box.setCurrentIndex(self.kind_box.findData(kind))
        self.kind_box.setEnabled(choosable)
        from inspector.core.common.clock import local_today

        self.date_row.reset(local_today())
        self.date_row.show()
        self._render_draft()

    def show_notice(self, notice) -> None:
        """Show a stored notice (a ``Notice`` row): its frozen bytes, read-only."""
        from inspector.core.documents.issue_dates import record_date
        from inspector.core.documents.notices import STATUS_NAMES

        self.notice, self.source = notice, None
        self.kind_box.setEnabled(False)
        index = self.kind_box.findData(notice.kind)
        if index >= 0:
            self.kind_box.setCurrentIndex(index)
        status = STATUS_NAMES.get(notice.status, notice.status)
        self.info_label.setText(f"{notice.number_text}　{status}　{record_date(notice).isoformat()}")
        self.issued_label.hide()
        self.date_row.hide()  # an issued document keeps the date it was issued under
        self._show_problems("")
        self.hints_label.hide()
        self.setWindowTitle(notice.number_text)
        self.file_name = _safe_file_name(f"{notice.number_text}.pdf")
        self._load(notice.pdf)

    def _kind_chosen(self) -> None:
        """The person picked another kind: remember it for next time, show its draft."""
        if self.notice is None and self.source is not None and self.kind in KINDS:
            self.services.settings.set(KIND_SETTING, self.kind)
            self._render_draft()

    @property
    def kind(self) -> str:
        return self.kind_box.currentData()

    def _render_draft(self) -> None:
        from inspector.core.documents.notices import document_config
        from inspector.ui.documents.drafts import render_draft

        self._set_busy(True)
        self._show_problems("")
        self.info_label.setText(self.tr("Rendering the draft…"))
        self.setWindowTitle(self.tr("Draft document"))
        self.file_name = f"draft-{self.kind}.pdf"
        config = document_config(self.services)
        self.hints_label.hide()
        self._generation += 1
        self._rendering += 1
        self.tasks.submit(render_draft, self.services.db, self.source, self.kind, config, self._generation,
                          self.date_row.issued_on(), on_done=self._draft_rendered, on_error=self._draft_failed)

    def _draft_rendered(self, result) -> None:
        pdf, issued, generation, hints = result
        self._rendering -= 1
        if generation != self._generation:
            return  # an older kind's draft, finished after the person chose another
        self.hints_label.setText("\n".join(hints))
        self.hints_label.setVisible(bool(hints))
        self.info_label.setText(self.tr("Draft, not numbered"))
        self._set_issued(issued)
        self._load(pdf)

    def _draft_failed(self, error: BaseException) -> None:
        self._rendering -= 1
        if self._rendering:
            return  # a newer draft is on its way
        self.pdf_bytes = b""
        self.document.close()
        self.info_label.setText(self.tr("Draft, not numbered"))
        self._show_problems(_message(error))
        self._set_busy(False)
        self.issue_button.setEnabled(False)
        self.document_loaded.emit()

    def _set_issued(self, issued: list) -> None:
        """List what is already issued for the source; 签发 becomes 更正 when this kind has a live one."""
        self.issued = list(issued)
        if issued:
            label = self.tr("Already issued for this inspection: %1") if self.inspection_id else \
                self.tr("Already issued for this re-inspection: %1")
            self.issued_label.setText(label.replace("%1", "；".join(row.text() for row in issued)))
        self.issued_label.setVisible(bool(issued) and self.notice is None)
        self.issue_button.setText(self.tr("Correct…") if self.live_notice() else self.tr("Issue"))

    def live_notice(self):
        """The issued (live) document of the shown kind for the source, as last loaded."""
        return next((row for row in self.issued if row.live and row.kind == self.kind), None)

    def issued_elsewhere(self) -> None:
        """Another window (or the list) issued something: reload what is issued for this draft."""
        from inspector.ui.documents.drafts import issued_for

        if self.notice is None and self.source is not None:
            self.tasks.submit(issued_for, self.services.db, self.source, on_done=self._set_issued)

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
        self._busy = busy
        has_pdf = bool(self.pdf_bytes) and not busy
        self.issue_button.setEnabled(not busy and self.notice is None and self.source is not None)
        for button in (self.print_button, self.save_button, self.open_button):
            button.setEnabled(has_pdf)
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy_bar.hide()
            self.unsetCursor()

    def _show_busy(self) -> None:
        """Still working after BUSY_FEEDBACK_MS: a busy cursor over the window and a moving bar."""
        if self._busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
            self.busy_bar.show()

    def _show_problems(self, text: str, numbering: bool = False) -> None:
        self.problems_label.setText(text)
        self.problems_label.setVisible(bool(text))
        self.settings_button.setVisible(numbering)

    # --- issuing ----------------------------------------------------------------------------

    def issue(self) -> None:
        """签发 (or 更正): check numbering and what is issued first, then ask, then issue."""
        from inspector.core.documents.notices import document_config
        from inspector.ui.documents.drafts import preflight

        if self.notice is not None or self.source is None or self._busy:
            return
        self._set_busy(True)
        self._show_problems("")
        self.tasks.submit(preflight, self.services.db, self.source, self.kind, document_config(self.services),
                          self.date_row.issued_on(), self.date_row.backdate_reason(),
                          on_done=self._checked, on_error=self._issue_failed)

    def _checked(self, check) -> None:
        from inspector.core.documents.notices import IssueRefused

        self._set_busy(False)
        self._set_issued(check.issued)
        if check.problems:
            self._show_problems(IssueRefused(list(check.problems)).message, numbering=check.numbering)
            self.document_loaded.emit()
            return
        if check.live is not None:
            return self._offer_correction(check.live)
        question = self.tr("Issue this document? It gets the next number and can no longer be changed; "
                           "a correction will be a new document.")
        if self.dialogs.confirm(self, self.tr("Issue document"), question, self.tr("Issue")):
            self._start_issue(None, "")

    def _offer_correction(self, live) -> None:
        """A live document of this kind exists: the only way on is a correction that supersedes it."""
        label = self.tr("%1 was already issued for this. Only one valid document of a kind is allowed: to "
                        "change it, issue a correction with a new number that replaces %1. Reason for the "
                        "correction:").replace("%1", live.number_text)
        reason = self.dialogs.ask_text(self, self.tr("Correct document"), label)
        if reason:
            self._start_issue(live.id, reason)

    def _start_issue(self, supersedes_id: str | None, reason: str) -> None:
        from inspector.core.documents.notices import document_config
        from inspector.ui.documents.drafts import issue

        self._set_busy(True)
        self.tasks.submit(issue, self.services.db, self.source, self.kind, document_config(self.services),
                          supersedes_id, reason, self.date_row.issued_on(), self.date_row.backdate_reason(),
                          on_done=self._issued, on_error=self._issue_failed)

    def _issued(self, notice) -> None:
        self.show_notice(notice)
        self.notice_issued.emit(notice.id)

    def _issue_failed(self, error: BaseException) -> None:
        self._show_problems(_message(error))
        self._set_busy(False)
        self.issued_elsewhere()  # refused because one was issued meanwhile: the button becomes 更正
        self.document_loaded.emit()

    def save_as(self) -> None:
        from inspector.core.common.outputs import write_output
        from inspector.errors import UserError

        path = self.dialogs.save_path(self, self.file_name)
        if not path:
            return
        try:
            write_output(Path(path), self.pdf_bytes, force=True)  # the save dialog asked before replacing
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
