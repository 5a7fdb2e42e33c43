"""补签 from the draft window: the person types an earlier 文书日期, gives the reason, and the document is
issued under that date with the reason kept; without the reason it is refused before any question."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from inspector.core.common.clock import local, local_today
from inspector.core.documents import notices
from tests.ui.documents.test_document_flow import click, draft_window, window  # noqa: F401 - fixture
from tests.ui.documents.test_notice_view import add_blocks, pdf_text
from tests.ui.walkthrough.person import retype, type_text


def _inspection_before_yesterday(services) -> tuple[str, object]:
    from inspector.db.models import Inspection
    from tests.document_dates import order_hazards
    from inspector.db.queries import inspection_summaries

    with services.db.session() as session:
        summaries = inspection_summaries(session)
        for summary in summaries:
            day = local(session.get(Inspection, summary.id).started_at).date()
            if day < local_today() - timedelta(days=2) and order_hazards(services.db, summary.id) >= 1:
                return summary.id, day
    raise AssertionError("the demo has no inspection two days old")


def test_a_backdated_order_needs_a_reason_and_keeps_the_date_typed(qtbot, window):  # noqa: F811
    services, dialogs = window.services, window.notices.dialogs
    add_blocks(services)
    inspection_id, inspected = _inspection_before_yesterday(services)
    view = draft_window(qtbot, window, inspection_id)
    row = view.date_row
    assert row.date_edit.date().toPython() == local_today() and not row.reason.isVisible()
    backdate = max(inspected, local_today() - timedelta(days=1))
    generation = view._generation
    retype(qtbot, row.date_edit, backdate.isoformat())
    qtbot.keyClick(row.date_edit, Qt.Key.Key_Tab)  # the typed date is taken: the draft is made again
    qtbot.waitUntil(lambda: view._generation > generation and bool(view.pdf_bytes) and not view._busy, timeout=15000)
    assert row.reason.isVisible()
    printed = f"{backdate.year}年{backdate.month}月{backdate.day}日"
    assert printed in pdf_text(view.pdf_bytes).replace(" ", "").replace("\n", "")

    click(qtbot, view.issue_button)  # no reason yet
    qtbot.waitUntil(lambda: view.problems_label.isVisible(), timeout=10000)
    assert "须说明补签原因" in view.problems_label.text() and dialogs.confirmations == []
    assert notices.live_notices(services.db, inspection_id=inspection_id, kind="order") == []

    type_text(qtbot, row.reason, "现场无打印机，回办公室后补签")
    with qtbot.waitSignal(view.notice_issued, timeout=15000):
        click(qtbot, view.issue_button)
    [issued] = notices.live_notices(services.db, inspection_id=inspection_id, kind="order")
    assert issued.issued_on == backdate and issued.backdate_reason == "现场无打印机，回办公室后补签"
    assert not row.isVisible()  # the issued document shows its own date, fixed


def test_today_needs_no_reason(qtbot, window):  # noqa: F811
    services = window.services
    add_blocks(services)
    inspection_id, _ = _inspection_before_yesterday(services)
    view = draft_window(qtbot, window, inspection_id)
    with qtbot.waitSignal(view.notice_issued, timeout=15000):
        click(qtbot, view.issue_button)
    [issued] = notices.live_notices(services.db, inspection_id=inspection_id, kind="order")
    assert issued.issued_on == local_today() and issued.backdate_reason == ""
