"""The closed loop through the real main window: a hazard from its finding, through the rectification
order, a re-inspection with an after photo, to 销号; the ledger row then shows every step."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from inspector.ui.application import create_application, open_main_window
from tests.loop_helpers import add_number_blocks, make_site, today, write_jpeg


class Answers:
    """Stands in for every blocking dialog of the views under test."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.images: list[str] = []
        self.saved: list[str] = []
        self.errors: list[str] = []
        self.confirmations: list[str] = []

    def open_images(self, parent, title):
        return self.images

    def save_path(self, parent, title, suggested, file_filter=""):
        path = str(self.tmp_path / suggested)
        self.saved.append(path)
        return path

    def confirm(self, parent, title, text, action=None):
        self.confirmations.append(text)
        return True

    def ask_text(self, parent, title, label):
        return None

    def error(self, parent, title, text):
        self.errors.append(text)

    def info(self, parent, title, text):
        pass


@pytest.fixture
def site(services):
    site = make_site(services.db, hazards=2, levels=("major", "general"), found_days_ago=3, deadline_days=10)
    add_number_blocks(services.db)
    return site


@pytest.fixture
def window(qtbot, services, site):
    create_application()
    window = open_main_window(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.closed_loop.dashboard.board is not None, timeout=10000)
    yield window
    window.close()


def _activate_row(qtbot, table, row: int) -> None:
    """Double-click a row of a table view, as a person would."""
    index = table.model().index(row, 0)
    table.scrollTo(index)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _row_of(model, finding_id: str) -> int:
    return next(i for i, row in enumerate(model.rows) if row.finding_id == finding_id)


def test_dashboard_is_the_first_tab_and_one_click_from_each_hazard(window, site, qtbot):
    loop = window.closed_loop
    assert window.tabs.widget(0) is loop.dashboard and window.tabs.tabText(0) == "今日待办"
    assert window.tabs.currentWidget() is loop.dashboard
    board = loop.dashboard
    assert board.cards["open_major"].text() == "重大隐患未销号\n1"
    qtbot.mouseClick(board.cards["open_major"], Qt.MouseButton.LeftButton)
    assert [h.finding_id for h in board.model.rows] == [site.finding_ids[0]]
    assert board.group_model.rows[0].name == "兴国县测试冷链有限公司"
    _activate_row(qtbot, board.table, 0)
    qtbot.waitUntil(lambda: site.finding_ids[0] in loop.hazard_views, timeout=3000)
    view = loop.hazard_views[site.finding_ids[0]]
    qtbot.waitUntil(lambda: view.detail is not None, timeout=5000)
    assert view.values["status"].text() == "待整改" and view.before.count == 1


def test_finding_to_notice_to_reinspection_to_closing_shows_in_the_ledger(window, site, services, qtbot, tmp_path):
    from openpyxl import load_workbook

    loop, answers = window.closed_loop, Answers(tmp_path)
    first, second = site.finding_ids
    hazard = loop.open_hazard(first)
    qtbot.waitUntil(lambda: hazard.detail is not None, timeout=5000)

    # 1. the rectification order, issued in the documents GUI: the hazards become 整改中
    notice_view = window.notices.open_inspection(site.inspection_id, "order")
    notice_view.dialogs = answers
    qtbot.waitUntil(lambda: notice_view.issue_button.isEnabled(), timeout=10000)
    with qtbot.waitSignal(notice_view.notice_issued, timeout=10000):
        notice_view.issue()
    order_number = notice_view.notice.number_text
    qtbot.waitUntil(lambda: hazard.detail.status == "rectifying", timeout=10000)
    assert order_number in hazard.values["notices"].text()
    assert [s.kind for s in hazard.detail.history] == ["found", "notice"]

    # 2. the re-inspection: after photo, 已整改 for the first, 未整改 with a new deadline for the second
    view = loop.open_reinspection(site.enterprise_id)
    view.dialogs = answers
    qtbot.waitUntil(lambda: view.model.rowCount() == 2 and view.inspector_boxes[1].count() > 2, timeout=5000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10000)  # the tab has settled
    for box, inspector_id in zip(view.inspector_boxes, site.inspector_ids):
        box.setCurrentIndex(box.findData(inspector_id))
    with qtbot.waitSignal(view.visit_loaded, timeout=5000):
        qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    assert view.visit.status == "draft" and view.visit.inspector_ids == site.inspector_ids
    view.table.selectRow(_row_of(view.model, first))
    answers.images = [str(write_jpeg(tmp_path, "after-1.jpg"))]
    with qtbot.waitSignal(view.visit_loaded, timeout=10000):
        qtbot.mouseClick(view.add_after_button, Qt.MouseButton.LeftButton)
    assert view.current_hazard().finding_id == first and len(view.current_hazard().after) == 1
    assert view.after.count == 1 and view.before.count == 1
    view.outcome_buttons["rectified"].setChecked(True)
    with qtbot.waitSignal(view.visit_loaded, timeout=5000):
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    view.table.selectRow(_row_of(view.model, second))
    view.outcome_buttons["not_rectified"].setChecked(True)
    assert view.deadline_edit.isEnabled()
    with qtbot.waitSignal(view.visit_loaded, timeout=5000):
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert {h.finding_id: h.outcome for h in view.model.rows} == {first: "rectified", second: "not_rectified"}
    with qtbot.waitSignal(view.visit_loaded, timeout=10000):
        qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    assert view.visit.status == "completed" and view.issue_button.isEnabled()
    view.notice_dialogs = answers
    asked = len(answers.confirmations)
    qtbot.mouseClick(view.issue_button, Qt.MouseButton.LeftButton)  # the preview comes first, nothing asked
    preview = view.notice_view
    qtbot.waitUntil(lambda: preview.issue_button.isEnabled() and bool(preview.pdf_bytes), timeout=15000)
    assert preview.kind == "review" and preview.notice is None and len(answers.confirmations) == asked
    assert "草稿" in "".join(preview.info_label.text().split()) or preview.info_label.text() == "草稿，未编号"
    with qtbot.waitSignal(view.review_issued, timeout=15000):
        qtbot.mouseClick(preview.issue_button, Qt.MouseButton.LeftButton)
    review_number = view.notice_view.notice.number_text
    assert "应急复查" in review_number and view.notice_view.isVisible() and not answers.errors

    # 3. 销号: the hazard window shows it closed, with its after photo and every step
    qtbot.waitUntil(lambda: hazard.detail.status == "closed", timeout=10000)
    assert hazard.after.count == 1
    assert [s.to_status for s in hazard.detail.history] == ["pending", "rectifying", "closed"]
    assert not hazard.apply_button.isEnabled()

    # 4. the ledger row shows each step
    dialog = loop.open_ledger()
    dialog.dialogs = answers
    with qtbot.waitSignal(dialog.ledger_exported, timeout=15000) as exported:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    path, count = exported.args
    assert count == 2
    sheet = load_workbook(path)["隐患台账"]
    from inspector.core.reports.ledger_xlsx import HEADER_ROW

    header = [cell.value for cell in sheet[HEADER_ROW]]
    rows = {row[header.index("隐患编号")]: dict(zip(header, row))
            for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    row = rows[hazard.detail.number]
    day = datetime.combine(today(), datetime.min.time())
    assert row["状态"] == "已销号" and row["隐患等级"] == "重大"
    assert row["检查人员（执法证号）"] == "刘志强（36070001）、曾海燕（36070002）"
    assert row["检查日期"] == datetime.combine(today() - timedelta(days=3), datetime.min.time())
    assert row["下达文书编号"] == order_number
    assert row["复查日期"] == day and row["复查结论"] == "合格（已整改）" and row["复查人"] == "刘志强、曾海燕"
    assert row["复查文书编号"] == review_number
    assert row["销号日期"] == day and row["销号人"] == "刘志强" and row["整改后照片"] == 1
    steps = row["处理过程"].split("\n")
    assert len(steps) == 3 and "检查发现" in steps[0] and order_number in steps[1] and "已销号" in steps[2]
    other = next(r for number, r in rows.items() if number != hazard.detail.number)
    assert other["状态"] == "整改中" and other["复查结论"] == "不合格（未整改）"
    assert other["整改期限"] == day + timedelta(days=15)


def test_analysis_tab_draws_charts_and_exports_the_pdf(window, site, qtbot, tmp_path):
    loop, answers = window.closed_loop, Answers(tmp_path)
    window.tabs.setCurrentWidget(loop.analysis)
    qtbot.waitUntil(lambda: loop.analysis.analysis is not None, timeout=10000)
    analysis = loop.analysis
    assert analysis.analysis.found == 2 and analysis.bars.categories == ["冷库"]
    assert len(analysis.line.points()) == 6
    analysis.dialogs = answers
    with qtbot.waitSignal(analysis.report_exported, timeout=15000) as exported:
        qtbot.mouseClick(analysis.export_button, Qt.MouseButton.LeftButton)
    with open(exported.args[0], "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_the_analysis_of_the_month_not_yet_over_says_what_is_overdue_today(qtbot, services):
    """Hazards found today, due tomorrow, are not overdue: the current month's analysis (opened by a click on
    its tab) says "截至 <today>" and 今日逾期 0, the dashboard's figure — not a forecast of the month's end."""
    make_site(services.db, hazards=2, found_days_ago=0, deadline_days=1)
    create_application()
    window = open_main_window(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.closed_loop.dashboard.board is not None, timeout=10000)
    assert window.closed_loop.dashboard.board.counts["overdue"] == 0
    bar = window.tabs.tabBar()
    index = next(i for i in range(window.tabs.count()) if window.tabs.tabText(i) == "月度分析")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    analysis = window.closed_loop.analysis
    qtbot.waitUntil(lambda: analysis.analysis is not None, timeout=10000)
    summary = analysis.summary.text()
    assert summary.startswith(f"截至 {today().isoformat()}：本月发现隐患 2 项") and "今日逾期 0 项" in summary
    assert "月末逾期" not in summary and analysis.line.values[-1] == 0
    window.close()
