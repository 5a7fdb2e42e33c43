"""Document preview, issuing, printing, saving; the notices list; the numbering settings dialog (offscreen)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.document_dates import future_deadlines, order_hazards
from pypdf import PdfReader
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter

from inspector.core.documents import notices, numbering
from inspector.core.common.clock import local_today
from inspector.ui.application import create_application

YEAR = local_today().year


class FakeDialogs:
    """Stands in for every blocking dialog; records what was asked."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.save_to: Path | None = tmp_path / "saved.pdf"
        self.print_to: Path | None = tmp_path / "printed.pdf"
        self.answer = True
        self.reason: str | None = "测试原因"
        self.opened: list = []
        self.errors: list[str] = []
        self.confirmations: list[str] = []
        self.actions: list[str | None] = []
        self.asked: list[str] = []

    def save_path(self, parent, suggested):
        self.suggested = suggested
        return str(self.save_to) if self.save_to else None

    def print_setup(self, parent, printer):
        if self.print_to is None:
            return False
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.print_to))
        return True

    def open_url(self, url):
        self.opened.append(url)
        return True

    def confirm(self, parent, title, text, action=None):
        self.confirmations.append(text)
        self.actions.append(action)
        return self.answer

    def ask_text(self, parent, title, label):
        self.asked.append(label)
        return self.reason

    def error(self, parent, title, text):
        self.errors.append(text)

    def info(self, parent, title, text):
        self.errors.append(text)


def pdf_text(pdf: bytes) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def hazard_inspection(services) -> str:
    from inspector.db.queries import inspection_summaries

    with services.db.session() as session:
        summaries = inspection_summaries(session)
    # two hazards an order lists: fire matters go to a referral or the park notice, never into an 应急管理局 order
    return next(s.id for s in summaries if order_hazards(services.db, s.id) >= 2)


def add_blocks(services) -> None:
    config = notices.document_config(services)
    for kind in ("order", "park", "record"):
        numbering.add_block(services.db, kind=kind, prefix=numbering.series_prefix(config, kind), year=YEAR,
                            first=1, last=10)


@pytest.fixture
def view(qtbot, demo_services, tmp_path):
    from inspector.ui.documents.notice_view import NoticeView

    create_application()
    future_deadlines(demo_services.db)  # a document issued today may not carry deadlines already passed
    view = NoticeView(demo_services)
    view.dialogs = FakeDialogs(tmp_path)
    qtbot.addWidget(view)
    return view


def show_draft(qtbot, view, kind=None, inspection_id: str | None = None):
    with qtbot.waitSignal(view.document_loaded, timeout=15000):
        view.show_inspection(inspection_id or hazard_inspection(view.services), kind)


def choose_kind(qtbot, view, kind: str) -> None:
    """Arrow keys on the kind box, as a person picks a document kind."""
    from PySide6.QtCore import Qt

    view.kind_box.setFocus()
    while view.kind_box.currentData() != kind:
        qtbot.keyClick(view.kind_box, Qt.Key.Key_Down)


def test_the_draft_preview_shows_the_document(qtbot, view):
    show_draft(qtbot, view, "order")
    assert view.document.pageCount() >= 2 and "草稿" in pdf_text(view.pdf_bytes)
    assert "责令限期整改指令书" in pdf_text(view.pdf_bytes)
    assert view.issue_button.isEnabled() and view.save_button.isEnabled()
    choose_kind(qtbot, view, "record")  # passes 安全隐患整改通知书 on the way: only the last choice is shown
    qtbot.waitUntil(lambda: not view.tasks.busy, timeout=15000)  # the passed-over draft too
    assert "现场检查记录" in pdf_text(view.pdf_bytes) and "整改通知书" not in pdf_text(view.pdf_bytes)
    assert view.services.settings.get("document_kind") == "record"
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(100)
    assert not view.grab().isNull()


def test_issuing_numbers_stores_and_freezes_the_document(qtbot, view):
    add_blocks(view.services)
    show_draft(qtbot, view, "park")
    with qtbot.waitSignal(view.notice_issued, timeout=15000) as issued:
        view.issue()
    notice = notices.get_notice(view.services.db, issued.args[0])
    assert view.pdf_bytes == notice.pdf and f"兴经开安改〔{YEAR}〕1号" in view.info_label.text()
    assert view.dialogs.confirmations and not view.issue_button.isEnabled() and not view.kind_box.isEnabled()
    assert "草稿" not in pdf_text(notice.pdf)


def test_declining_the_confirmation_issues_nothing(qtbot, view):
    add_blocks(view.services)
    show_draft(qtbot, view, "park")
    view.dialogs.answer = False
    view.issue()
    qtbot.wait(50)
    assert notices.notice_summaries(view.services.db) == []


def test_a_refused_issue_shows_every_problem(qtbot, view):
    from inspector.db.models import Inspection, Inspector

    show_draft(qtbot, view, "order")
    with view.services.db.session() as session:
        inspection = session.get(Inspection, view.inspection_id)
        for inspector_id in inspection.inspector_ids:
            inspector = session.get(Inspector, inspector_id)
            inspector.certificate_no = ""
            session.add(inspector)
    with qtbot.waitSignal(view.document_loaded, timeout=15000):
        view.issue()
    assert view.problems_label.isVisibleTo(view) and "无法签发" in view.problems_label.text()
    assert "执法证号" in view.problems_label.text() and view.issue_button.isEnabled()
    assert "号段" in view.problems_label.text() and view.dialogs.confirmations == []  # all of it before asking
    with view.services.db.session() as session:
        for inspector_id in inspection.inspector_ids:
            inspector = session.get(Inspector, inspector_id)
            inspector.certificate_no = "36070000001"
            session.add(inspector)
    with qtbot.waitSignal(view.document_loaded, timeout=15000):
        view.issue()  # now the only reason left: no number block
    assert "号段" in view.problems_label.text()


def test_save_as_print_and_open_in_the_system_viewer(qtbot, view, tmp_path):
    show_draft(qtbot, view, "order")
    view.save_as()
    assert (tmp_path / "saved.pdf").read_bytes() == view.pdf_bytes
    view.dialogs.save_to = tmp_path / "missing" / "x.pdf"
    view.save_as()
    assert view.dialogs.errors and "不存在" in view.dialogs.errors[-1]
    view.open_externally()
    opened = Path(view.dialogs.opened[-1].toLocalFile())
    assert opened.read_bytes() == view.pdf_bytes
    view.print_document()
    printed = PdfReader(str(tmp_path / "printed.pdf"))
    assert len(printed.pages) == view.document.pageCount()
    box = printed.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    view.dialogs.print_to = None  # cancelled print dialog: nothing printed
    (tmp_path / "printed.pdf").unlink()
    view.print_document()
    assert not (tmp_path / "printed.pdf").exists()


def test_save_as_never_replaces_the_database(qtbot, view):
    """Issue 11 case 1: "Save as" goes through the one output check."""
    show_draft(qtbot, view, "order")
    database = view.services.paths.database
    before = database.read_bytes()
    view.dialogs.save_to = database
    view.save_as()
    assert view.dialogs.errors and "不能写入" in view.dialogs.errors[-1]
    assert database.read_bytes() == before


def test_print_honours_a_page_range(qtbot, view, tmp_path):
    from inspector.ui.documents.printing import print_pdf

    show_draft(qtbot, view, "order")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "range.pdf"))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFromTo(2, 2)
    assert print_pdf(view.document, printer) == 1
    assert len(PdfReader(str(tmp_path / "range.pdf")).pages) == 1


# --- the notices list ----------------------------------------------------------------------

@pytest.fixture
def notices_view(qtbot, demo_services, tmp_path):
    from inspector.ui.documents.notices_view import NoticesView

    create_application()
    future_deadlines(demo_services.db)
    add_blocks(demo_services)
    view = NoticesView(demo_services)
    view.dialogs = FakeDialogs(tmp_path)
    qtbot.addWidget(view)
    return view


def refreshed(qtbot, view) -> None:
    view.model.set_rows([])
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10000)


def test_the_list_opens_voids_and_corrects_notices(qtbot, notices_view):
    services = notices_view.services
    inspection_id = hazard_inspection(services)
    first = notices.issue_for_inspection(services.db, inspection_id, "park")
    refreshed(qtbot, notices_view)
    assert notices_view.select_notice(first.id)
    assert notices_view.proxy.index(0, 0).data() == first.number_text
    assert notices_view.proxy.index(0, 4).data() == "有效"
    notices_view.open_selected()
    qtbot.waitUntil(lambda: bool(notices_view.windows) and notices_view.windows[-1].pdf_bytes == first.pdf, timeout=10000)
    opened = notices_view.windows[-1]
    assert not opened.issue_button.isEnabled() and first.number_text in opened.windowTitle()
    with qtbot.waitSignal(notices_view.notices_changed, timeout=15000):
        notices_view.correct_selected()
    qtbot.waitUntil(lambda: notices_view.model.rowCount() == 2, timeout=10000)
    statuses = {r.id: r.status for r in notices_view.model.rows}
    assert statuses[first.id] == "superseded"
    second = next(r for r in notices_view.model.rows if r.id != first.id)
    assert second.supersedes_id == first.id and second.correction_reason == "测试原因"
    assert notices_view.select_notice(first.id) and not notices_view.void_button.isEnabled()
    assert notices_view.select_notice(second.id) and notices_view.void_button.isEnabled()
    with qtbot.waitSignal(notices_view.notices_changed, timeout=15000):
        notices_view.void_selected()
    assert notices.get_notice(services.db, second.id).void_reason == "测试原因"


def test_void_without_a_reason_does_nothing(qtbot, notices_view):
    services = notices_view.services
    notice = notices.issue_for_inspection(services.db, hazard_inspection(services), "park")
    refreshed(qtbot, notices_view)
    notices_view.select_notice(notice.id)
    notices_view.dialogs.reason = None
    notices_view.void_selected()
    qtbot.wait(50)
    assert notices.get_notice(services.db, notice.id).status == "issued"


def test_the_numbering_dialog_adds_blocks_and_saves_texts(qtbot, demo_services, tmp_path):
    from inspector.ui.documents.numbering_dialog import NumberingDialog

    create_application()
    dialog = NumberingDialog(demo_services)
    dialog.dialogs = FakeDialogs(tmp_path)
    qtbot.addWidget(dialog)
    dialog.open()
    assert demo_services.db.device_id in dialog.device_label.text()
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("order"))
    dialog.first_box.setValue(101)
    dialog.last_box.setValue(150)
    dialog.note_edit.setText("县局下发")
    assert dialog.add_block() and dialog.block_model.rowCount() == 1
    block = dialog.block_model.rows[0]
    assert (block.prefix, block.first, block.last, block.note) == ("（兴）应急责改", 101, 150, "县局下发")
    dialog.first_box.setValue(120)
    assert not dialog.add_block() and "重叠" in dialog.error_label.text()
    dialog.fields["authority.abbreviation"].setText("赣")
    dialog.fields["park.office"].setText("安全生产办公室")
    dialog.enforcement_radio.setChecked(True)
    dialog.first_box.setValue(1)
    dialog.last_box.setValue(5)
    assert dialog.add_block()  # the prefix follows the edited abbreviation
    assert {b.prefix for b in dialog.block_model.rows} == {"（兴）应急责改", "（赣）应急责改"}
    dialog.blocks.selectRow(0)
    dialog.remove_block()
    assert dialog.block_model.rowCount() == 1
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert demo_services.settings.get("document_overrides") == {
        "authority": {"abbreviation": "赣"}, "park": {"office": "安全生产办公室"},
    }
    assert demo_services.settings.get("template_family") == "enforcement"
    assert notices.document_config(demo_services).authority.abbreviation == "赣"


def test_main_window_has_the_documents_tab_and_generate_action(qtbot, demo_services, tmp_path):
    from inspector.ui.application import open_main_window

    create_application()
    window = open_main_window(demo_services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.inspections.model.rowCount() > 0, timeout=10000)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "文书" in titles
    menus = [a.text() for a in window.menuBar().actions()]
    assert "文书(&D)" in menus and menus.index("文书(&D)") < len(menus) - 1
    window.notices.dialogs = FakeDialogs(tmp_path)
    from inspector.ui.table_model import RowRole

    proxy = window.inspections.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data(RowRole).hazards)
    window.inspections.table.selectRow(row)
    [action] = [a for a in window.inspections.table.actions() if a.text() == "生成文书…"]
    action.trigger()
    qtbot.waitUntil(lambda: bool(window.notices.windows and window.notices.windows[-1].pdf_bytes), timeout=15000)
    assert window.notices.windows[-1].inspection_id == window.inspections.selected_id()
