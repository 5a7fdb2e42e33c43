"""The document window offers the 现场处理措施决定书 and the 移送书: chosen with the keyboard, issued with a click."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from inspector.core.documents import notices
from inspector.ui.application import create_application
from tests.core.documents.test_legal_documents import DUST, EXIT, build_site
from tests.ui.documents.test_notice_view import FakeDialogs


def text_of(pdf: bytes) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def view(qtbot, services, tmp_path):
    from inspector.ui.documents.notice_view import NoticeView

    create_application()
    view = NoticeView(services)
    view.dialogs = FakeDialogs(tmp_path)
    qtbot.addWidget(view)
    return view


def choose_kind(qtbot, view, kind: str) -> None:
    """Arrow keys on the kind box, as a person would, until ``kind`` is shown."""
    view.kind_box.setFocus()
    for _ in range(view.kind_box.count()):
        if view.kind == kind:
            return
        with qtbot.waitSignal(view.document_loaded, timeout=15000):
            QTest.keyClick(view.kind_box, Qt.Key.Key_Down)
    assert view.kind == kind


@pytest.mark.parametrize("kind, title, finding", [("measure", "现场处理措施决定书", DUST), ("referral", "移送书", EXIT)])
def test_the_measure_decision_and_the_referral_are_issued_from_the_window(qtbot, view, services, kind, title, finding):
    site = build_site(services.db, [finding])
    with qtbot.waitSignal(view.document_loaded, timeout=15000):
        view.show_inspection(site.inspection_id, "order" if kind == "measure" else "park")
    choose_kind(qtbot, view, kind)
    assert title in text_of(view.pdf_bytes) and "草稿" in text_of(view.pdf_bytes)
    with qtbot.waitSignal(view.notice_issued, timeout=15000) as issued:
        qtbot.mouseClick(view.issue_button, Qt.MouseButton.LeftButton)
    notice = notices.get_notice(services.db, issued.args[0])
    assert notice.kind == kind and title in text_of(notice.pdf)
    assert notice.issued_on is not None and notice.issued_on.isoformat() in view.info_label.text()


def test_the_window_refuses_an_order_whose_deadline_has_passed_at_its_date(qtbot, view, services):
    from datetime import timedelta

    from inspector.core.common.clock import local_today
    from inspector.db.models import Finding

    site = build_site(services.db, [DUST], days_ago=5)
    with services.db.session() as session:
        finding = session.get(Finding, site.finding_ids[0])
        finding.deadline = local_today() - timedelta(days=1)  # after the inspection, before today's issue date
        session.add(finding)
    with qtbot.waitSignal(view.document_loaded, timeout=15000):
        view.show_inspection(site.inspection_id, "order")
    with qtbot.waitSignal(view.document_loaded, timeout=15000):  # the refusal comes back from the task
        qtbot.mouseClick(view.issue_button, Qt.MouseButton.LeftButton)
    assert not view.problems_label.isHidden()
    assert "不晚于文书日期" in view.problems_label.text() and "立即整改" in view.problems_label.text()
    assert notices.notice_summaries(services.db) == []


def test_the_order_draft_offers_the_measure_decision_and_the_referral(qtbot, view, services):
    site = build_site(services.db, [DUST, EXIT])
    with qtbot.waitSignal(view.document_loaded, timeout=15000):
        view.show_inspection(site.inspection_id, "order")
    assert not view.hints_label.isHidden()
    assert "现场处理措施决定书" in view.hints_label.text() and "移送书" in view.hints_label.text()
    choose_kind(qtbot, view, "measure")
    assert "移送书" not in view.hints_label.text() and "请另行签发" not in view.hints_label.text()
    assert "备选情形" in view.hints_label.text()  # the fact printed was chosen from the checklist's alternatives
    assert "现场处理措施决定书" in text_of(view.pdf_bytes)
