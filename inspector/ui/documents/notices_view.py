"""The 文书 tab: every stored notice (number, kind, enterprise, date, status); open, void, correct.

:func:`inspector.ui.documents.notices_tab.install_notices` plugs the feature into the main window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from inspector.core.common.text_search import initials
from inspector.ui.documents.notice_view import NoticeDialogs, NoticeView
from inspector.ui.table_model import Column, RowRole, RowTableModel, SearchProxyModel, read_only_table
from inspector.ui.tasks import TaskRunner

GREY = QColor("#888888")


def _load(db):
    from inspector.core.documents.notices import double_live_notices, notice_summaries

    return notice_summaries(db), double_live_notices(db)


def _get(db, notice_id: str):
    from inspector.core.documents.notices import get_notice

    return get_notice(db, notice_id)


def _void(db, notice_id: str, reason: str):
    from inspector.core.documents.notices import void_notice

    return void_notice(db, notice_id, reason)


def _correct(db, row, config, reason: str):
    from inspector.ui.documents.drafts import INSPECTION, REINSPECTION, DraftSource, issue

    source = DraftSource(INSPECTION, row.inspection_id) if row.inspection_id else \
        DraftSource(REINSPECTION, row.reinspection_id)
    return issue(db, source, row.kind, config, row.id, reason)


class NoticesView(QWidget):
    notices_changed = Signal()

    def __init__(self, services, parent=None, tasks: TaskRunner | None = None):
        super().__init__(parent)
        self.services = services
        self.tasks = tasks or TaskRunner(self)
        self.dialogs = NoticeDialogs()
        self.windows: list[NoticeView] = []
        self.model = RowTableModel(self._columns(), search_key=_search_key, parent=self)
        self.proxy = SearchProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search number, enterprise, pinyin initials or status"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda text: self.proxy.set_query(text))
        self.count_label = QLabel(self)
        self.doubles_label = QLabel(self)  # two live documents of a kind for one inspection (old data, merges)
        self.doubles_label.setWordWrap(True)
        self.doubles_label.setStyleSheet("color: #c62828; font-weight: bold;")
        self.doubles_label.hide()
        self.table = self._make_table()
        self.open_button = self._button(self.tr("Open"), self.open_selected)
        self.void_button = self._button(self.tr("Void…"), self.void_selected)
        self.correct_button = self._button(self.tr("Correct…"), self.correct_selected)
        self.settings_button = self._button(self.tr("Numbers and document settings…"), self.open_settings)
        self._layout()
        self._selection_changed()

    def _columns(self) -> list[Column]:
        return [
            Column(self.tr("Number"), lambda r: r.number_text),
            Column(self.tr("Document"), lambda r: r.kind_name),
            Column(self.tr("Enterprise"), lambda r: r.enterprise),
            Column(self.tr("Dated"), lambda r: r.record_date.isoformat(),
                   sort=lambda r: (r.record_date.toordinal(), r.issued_at.timestamp())),
            Column(self.tr("Status"), self._status_text,
                   foreground=lambda r: QBrush(GREY) if r.status != "issued" else None),
            Column(self.tr("Reason"), lambda r: r.void_reason or r.correction_reason),
        ]

    def _status_text(self, row) -> str:
        return {"issued": self.tr("Valid"), "voided": self.tr("Voided"),
                "superseded": self.tr("Corrected")}.get(row.status, row.status)

    def _make_table(self) -> QTableView:
        table = read_only_table(self.proxy, self)
        table.setSortingEnabled(True)
        table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)  # the reason column takes the rest of the width
        table.activated.connect(lambda _index: self.open_selected())
        table.selectionModel().selectionChanged.connect(self._selection_changed)
        return table

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.void_button, self.correct_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.settings_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.doubles_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    # --- data ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.tasks.submit(_load, self.services.db, on_done=self._loaded)

    def _loaded(self, loaded) -> None:
        summaries, doubles = loaded
        self.doubles_label.setText("\n".join(doubles))
        self.doubles_label.setVisible(bool(doubles))
        self.set_notices(summaries)

    def set_notices(self, summaries: list) -> None:
        self.model.set_rows(summaries)
        for column, width in enumerate((230, 160, 280, 130, 70, 200)):
            self.table.setColumnWidth(column, width)
        self.count_label.setText(self.tr("%n document(s)", "", len(summaries)))
        self._selection_changed()

    def selected(self):
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].data(RowRole) if rows else None

    def select_notice(self, notice_id: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(RowRole).id == notice_id:
                self.table.selectRow(row)
                return True
        return False

    def _selection_changed(self, *_args) -> None:
        row = self.selected()
        self.open_button.setEnabled(row is not None)
        for button in (self.void_button, self.correct_button):
            button.setEnabled(row is not None and row.status == "issued")

    # --- actions ------------------------------------------------------------------------------

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.tasks.submit(_get, self.services.db, row.id, on_done=self.show_notice)

    def show_notice(self, notice) -> NoticeView:
        window = self._new_window()
        window.show_notice(notice)
        window.show()
        return window

    def open_inspection(self, inspection_id: str, kind: str | None = None) -> NoticeView:
        """生成文书: a draft preview for an inspection, which can be issued from there.

        An open draft window of the same inspection is reused (and redrawn), never a second one.
        """
        window = next((w for w in self.windows  # a closed one is hidden, waiting to be deleted
                       if w.isVisible() and w.notice is None and w.inspection_id == inspection_id), None)
        window = window or self._new_window()
        window.show_inspection(inspection_id, kind)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _new_window(self) -> NoticeView:
        window = NoticeView(self.services, self.window(), tasks=self.tasks)
        window.dialogs = self.dialogs
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.notice_issued.connect(lambda _id: self._issued_in_a_window())
        window.settings_requested.connect(self.open_settings)
        window.destroyed.connect(lambda *_: self.windows.remove(window) if window in self.windows else None)
        self.windows.append(window)
        return window

    def _issued_in_a_window(self) -> None:
        self.refresh()  # the closed loop listens to the list's reset
        for window in self.windows:  # a stale draft of the same inspection must offer 更正, not 签发
            window.issued_elsewhere()

    def void_selected(self) -> None:
        row = self.selected()
        if row is None or row.status != "issued":
            return
        reason = self.dialogs.ask_text(self, self.tr("Void document"),
                                       self.tr("Why is %1 voided? (kept with the number, which is never reused)")
                                       .replace("%1", row.number_text))
        if reason:
            self.tasks.submit(_void, self.services.db, row.id, reason, on_done=self._changed, on_error=self._failed)

    def correct_selected(self) -> None:
        from inspector.core.documents.notices import document_config

        row = self.selected()
        if row is None or row.status != "issued":
            return
        reason = self.dialogs.ask_text(self, self.tr("Correct document"),
                                       self.tr("Reason for the correction (a new number replaces %1):")
                                       .replace("%1", row.number_text))
        if reason:
            self.tasks.submit(_correct, self.services.db, row, document_config(self.services), reason,
                              on_done=self._corrected, on_error=self._failed)

    def _corrected(self, notice) -> None:
        self._changed(notice)
        self.show_notice(notice)

    def _changed(self, _notice=None) -> None:
        self.notices_changed.emit()
        self.refresh()
        for window in self.windows:
            window.issued_elsewhere()

    def _failed(self, error: BaseException) -> None:
        from inspector.errors import UserError

        text = error.message if isinstance(error, UserError) else f"{type(error).__name__}: {error}"
        self.dialogs.error(self, self.tr("Documents"), text)

    def open_settings(self):
        from inspector.ui.documents.numbering_dialog import NumberingDialog

        dialog = NumberingDialog(self.services, self)
        dialog.dialogs = self.dialogs
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog


def _search_key(row) -> str:
    status = {"issued": "有效", "voided": "作废", "superseded": "更正"}.get(row.status, row.status)
    return f"{row.number_text} {row.kind_name} {row.enterprise} {initials(row.enterprise)} {status}"
