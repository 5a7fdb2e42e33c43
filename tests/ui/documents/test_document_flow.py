"""The document flow as an inspector meets it: one live document per inspection and kind, the numbering
check before any question, the open inspection as the one to document, the remembered kind, busy
feedback, and windows that fit a 1280×720 screen. Clicks and keys on real widgets; the database decides."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt

from inspector.core.documents import notices
from inspector.ui.application import create_application
from tests.ui.documents.test_notice_view import FakeDialogs, add_blocks, choose_kind, hazard_inspection

SCREEN = QSize(1280, 720)


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def live_orders(services, inspection_id: str) -> list:
    return notices.live_notices(services.db, inspection_id=inspection_id, kind="order")


@pytest.fixture
def window(qtbot, demo_services, tmp_path):
    from inspector.ui.application import open_main_window

    from tests.document_dates import future_deadlines

    future_deadlines(demo_services.db)  # demo inspections lie in the past; today's documents need later deadlines
    create_application()
    window = open_main_window(demo_services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.inspections.model.rowCount() > 0, timeout=10000)
    window.notices.dialogs = FakeDialogs(tmp_path)
    yield window
    window.tasks.wait()


def draft_window(qtbot, window, inspection_id: str, kind: str = "order"):
    view = window.notices.open_inspection(inspection_id, kind)
    qtbot.waitUntil(lambda: bool(view.pdf_bytes) and not view._busy, timeout=15000)
    return view


def test_a_stale_draft_cannot_issue_a_second_order_and_offers_the_correction(qtbot, window):
    services, dialogs = window.services, window.notices.dialogs
    add_blocks(services)
    inspection_id = hazard_inspection(services)
    stale = draft_window(qtbot, window, inspection_id)
    assert stale.issue_button.text() == "签发"
    first = notices.issue_for_inspection(services.db, inspection_id, "order")  # issued elsewhere (CLI, another window)
    dialogs.reason = None  # the person reads the offer and cancels
    click(qtbot, stale.issue_button)
    qtbot.waitUntil(lambda: bool(dialogs.asked), timeout=10000)
    assert dialogs.confirmations == [] and first.number_text in dialogs.asked[-1]
    assert [n.id for n in live_orders(services, inspection_id)] == [first.id]
    assert stale.issue_button.text() == "更正…" and first.number_text in stale.issued_label.text()
    dialogs.reason = "整改期限写错"
    with qtbot.waitSignal(stale.notice_issued, timeout=15000):
        click(qtbot, stale.issue_button)
    [live] = live_orders(services, inspection_id)
    assert live.supersedes_id == first.id and live.correction_reason == "整改期限写错"
    assert notices.get_notice(services.db, first.id).status == "superseded"


def test_issuing_in_one_window_turns_another_draft_of_the_inspection_into_a_correction(qtbot, window):
    services, dialogs = window.services, window.notices.dialogs
    add_blocks(services)
    inspection_id = hazard_inspection(services)
    first_window = draft_window(qtbot, window, inspection_id)
    with qtbot.waitSignal(first_window.notice_issued, timeout=15000):
        click(qtbot, first_window.issue_button)
    assert dialogs.actions[-1] == "签发"  # a verb on the confirming button, not 是/否
    [issued] = live_orders(services, inspection_id)
    again = draft_window(qtbot, window, inspection_id)  # 生成文书 again: a fresh draft, and what is issued
    assert again is not first_window and again.issued_label.isVisible()
    assert f"责令限期整改指令书 {issued.number_text}（有效）" in again.issued_label.text()
    assert again.issue_button.text() == "更正…"
    dialogs.reason = None
    click(qtbot, again.issue_button)
    qtbot.waitUntil(lambda: len(dialogs.asked) == 1, timeout=10000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10000)
    assert [n.id for n in live_orders(services, inspection_id)] == [issued.id]


def test_numbering_is_checked_before_any_question_and_points_to_the_settings(qtbot, window):
    services, dialogs = window.services, window.notices.dialogs
    inspection_id = hazard_inspection(services)
    view = draft_window(qtbot, window, inspection_id)
    with qtbot.waitSignal(view.document_loaded, timeout=15000):
        click(qtbot, view.issue_button)
    text = view.problems_label.text()
    assert dialogs.confirmations == [] and "号段与文书设置" in text and "本机号段" in text
    assert services.db.device_id not in text and "inspector " not in text
    assert notices.notice_summaries(services.db) == []
    click(qtbot, view.settings_button)
    from inspector.ui.documents.numbering_dialog import NumberingDialog

    qtbot.waitUntil(lambda: any(isinstance(w, NumberingDialog) and w.isVisible()
                                for w in window.findChildren(NumberingDialog)), timeout=5000)


def test_the_kind_chosen_is_remembered_for_the_next_draft(qtbot, window):
    services = window.services
    inspection_id = hazard_inspection(services)
    view = window.notices.open_inspection(inspection_id)
    qtbot.waitUntil(lambda: bool(view.pdf_bytes) and not view._busy, timeout=15000)
    choose_kind(qtbot, view, "record")
    qtbot.waitUntil(lambda: not view._busy, timeout=15000)
    view.close()
    qtbot.waitUntil(lambda: not window.notices.windows, timeout=5000)
    again = window.notices.open_inspection(inspection_id)
    assert again.kind == "record"
    qtbot.waitUntil(lambda: bool(again.pdf_bytes) and not again._busy, timeout=15000)


def test_the_documents_menu_uses_the_open_inspection_and_the_walkthrough_has_generate(qtbot, window):
    from inspector.ui.table_model import RowRole

    services = window.services
    inspection_id = hazard_inspection(services)
    proxy = window.inspections.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data(RowRole).id == inspection_id)
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(window.tabs.indexOf(window.inspections)).center())
    table = window.inspections.table
    table.scrollTo(proxy.index(row, 0))
    rect = table.visualRect(proxy.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # open it
    walk = window.tabs.currentWidget()
    qtbot.waitUntil(lambda: getattr(walk, "inspection_id", None) == inspection_id, timeout=5000)
    window.inspections.table.clearSelection()  # nothing selected in 检查记录: the open one counts
    [action] = [a for m in window.menuBar().actions() if m.text() == "文书(&D)" for a in m.menu().actions()
                if a.text().startswith("为当前")]
    action.trigger()
    qtbot.waitUntil(lambda: bool(window.notices.windows), timeout=5000)
    assert window.notices.windows[-1].inspection_id == inspection_id and window.notices.dialogs.errors == []
    window.notices.windows[-1].close()
    qtbot.waitUntil(lambda: not window.notices.windows, timeout=5000)
    button = walk.buttons["document"]
    assert walk.completed and button.text() == "生成文书…"
    click(qtbot, button)
    qtbot.waitUntil(lambda: bool(window.notices.windows), timeout=5000)
    assert window.notices.windows[-1].inspection_id == inspection_id


def test_a_slow_preview_shows_a_busy_cursor_and_bar(qtbot, window, monkeypatch):
    from inspector.ui.documents import drafts

    real = drafts.render_draft

    def slow(*args):
        time.sleep(0.8)
        return real(*args)

    monkeypatch.setattr(drafts, "render_draft", slow)
    view = window.notices.open_inspection(hazard_inspection(window.services), "order")
    qtbot.waitUntil(lambda: view.busy_bar.isVisible(), timeout=3000)
    assert view.cursor().shape() == Qt.CursorShape.BusyCursor and not view.issue_button.isEnabled()
    qtbot.waitUntil(lambda: bool(view.pdf_bytes), timeout=15000)
    assert not view.busy_bar.isVisible() and view.cursor().shape() == Qt.CursorShape.ArrowCursor


def assert_fits(qtbot, widget, buttons) -> None:
    """Default size and minimum size fit 1280×720; at 1280×720 and 1366×768 every button is on screen."""
    assert widget.width() <= SCREEN.width() and widget.height() <= SCREEN.height(), widget.size()
    hint = widget.minimumSizeHint()
    assert hint.width() <= SCREEN.width() and hint.height() <= SCREEN.height(), hint
    for size in (QSize(1280, 720 - 40), QSize(1366, 768 - 40), widget.minimumSizeHint()):  # less the task bar
        widget.resize(size)
        qtbot.wait(20)
        area = QRect(QPoint(0, 0), widget.size())
        for button in buttons:
            top_left = button.mapTo(widget, QPoint(0, 0))
            assert button.isVisible() and area.contains(QRect(top_left, button.size())), (button.text(), size)


def test_the_draft_window_fits_a_small_laptop_screen(qtbot, window):
    view = draft_window(qtbot, window, hazard_inspection(window.services))
    qtbot.waitExposed(view)
    assert_fits(qtbot, view, (view.issue_button, view.print_button, view.save_button, view.open_button))


def test_generate_after_closing_a_draft_opens_a_new_window(qtbot, window):
    inspection_id = hazard_inspection(window.services)
    first = draft_window(qtbot, window, inspection_id)
    assert draft_window(qtbot, window, inspection_id) is first  # still open: the same window, redrawn
    first.close()  # deleted later: generating again at once must not reuse it
    again = draft_window(qtbot, window, inspection_id)
    assert again is not first and again.isVisible()


def test_escape_closes_the_document_window(qtbot, window):
    view = draft_window(qtbot, window, hazard_inspection(window.services))
    view.activateWindow()
    qtbot.waitExposed(view)
    qtbot.keyClick(view.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.notices.windows, timeout=5000)


def test_switching_the_template_family_forgets_the_remembered_kind(qtbot, window):
    services = window.services
    services.settings.set("document_kind", "park")
    dialog = window.notices.open_settings()
    qtbot.waitExposed(dialog)
    click(qtbot, dialog.enforcement_radio)
    from PySide6.QtWidgets import QDialogButtonBox

    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save))
    assert services.settings.get("template_family") == "enforcement"
    view = window.notices.open_inspection(hazard_inspection(services))
    assert view.kind == "order"
    qtbot.waitUntil(lambda: bool(view.pdf_bytes) and not view._busy, timeout=15000)


def test_a_review_document_is_corrected_from_the_list(qtbot, services, tmp_path):
    from datetime import timedelta

    from inspector.core.documents.review_data import issue_review
    from inspector.core.loop import reinspections
    from inspector.ui.documents.notices_view import NoticesView
    from tests.loop_helpers import add_number_blocks, make_site, today

    create_application()
    site = make_site(services.db, hazards=1, levels=("general",), found_days_ago=3, deadline_days=10)
    add_number_blocks(services.db)
    notices.issue_for_inspection(services.db, site.inspection_id, "order")
    visit = reinspections.start_reinspection(services.db, site.enterprise_id, site.inspector_ids)
    reinspections.record_outcome(services.db, visit, site.finding_ids[0], "not_rectified",
                                 today() + timedelta(days=20), "")
    reinspections.complete_reinspection(services.db, visit)
    review = issue_review(services.db, visit)
    view = NoticesView(services)
    view.dialogs = FakeDialogs(tmp_path)
    view.dialogs.reason = "复查日期有误"
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=10000)
    assert view.select_notice(review.id)
    with qtbot.waitSignal(view.notices_changed, timeout=15000):
        click(qtbot, view.correct_button)
    assert view.dialogs.errors == []
    [live] = notices.live_notices(services.db, reinspection_id=visit, kind="review")
    assert live.supersedes_id == review.id and live.correction_reason == "复查日期有误"
    view.tasks.wait()


def duplicate_live_order(services, inspection_id: str):
    """A second live order of the same inspection, as a merge of two laptops (or data from before
    the rule) can bring: the row is copied straight into the table, past issue_document()."""
    from inspector.db.models import Notice
    from inspector.db.types import new_id

    first = notices.issue_for_inspection(services.db, inspection_id, "order")
    with services.db.session() as session:
        row = session.get(Notice, first.id)
        copy = Notice(**{k: v for k, v in row.model_dump().items() if k != "id"}, id=new_id())
        copy.number_text = first.number_text.replace("1号", "2号")
        session.add(copy)
    return first


def test_two_live_documents_of_one_inspection_are_pointed_out(qtbot, window, capsys):
    from inspector.cli import main

    add_blocks(window.services)
    inspection_id = hazard_inspection(window.services)
    first = duplicate_live_order(window.services, inspection_id)
    view = window.notices
    view.refresh()
    qtbot.waitUntil(lambda: view.doubles_label.isVisibleTo(view), timeout=10000)
    assert first.number_text in view.doubles_label.text() and "作废或更正" in view.doubles_label.text()
    assert main(["--data-dir", str(window.services.paths.root), "notices"]) == 0
    assert "注意：" in capsys.readouterr().err
