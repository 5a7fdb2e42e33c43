"""The 复查 tab and the hazard window as an inspector uses them: the enterprise shown is the one loaded,
its count follows a 销号, a 未整改 deadline is never shortened unseen, and the hazard window fits the
screen. Clicks and keys on real widgets; the database decides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from sqlmodel import select

from inspector.ui.application import create_application, open_main_window
from tests.loop_helpers import add_number_blocks, make_site, today, write_jpeg
from tests.ui.documents.test_document_flow import assert_fits, click
from tests.ui.loop.test_closed_loop import Answers, _activate_row, _row_of



def _deadline_days() -> int:
    """Days from finding to the original deadline: beyond today + 15 (the default extension), and on a
    day of the month from the 8th, so five days earlier is still the same month."""
    return next(d for d in range(30, 70) if (today() - timedelta(days=3) + timedelta(days=d)).day >= 8)


DEADLINE_DAYS = _deadline_days()


@pytest.fixture
def site(services):
    site = make_site(services.db, hazards=2, levels=("major", "general"), found_days_ago=3,
                     deadline_days=DEADLINE_DAYS)
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
    window.tasks.wait()
    window.close()


def original_deadline():
    return today() - timedelta(days=3) + timedelta(days=DEADLINE_DAYS)


def open_tab(qtbot, window):
    """Click the 复查 tab, as a person does, and wait until it has settled."""
    view = window.closed_loop.reinspection
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(window.tabs.indexOf(view)).center())
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10000)
    return view


def open_hazard_window(qtbot, window, finding_id: str):
    """Dashboard → 重大隐患未销号 card → double-click the hazard: its window."""
    loop = window.closed_loop
    qtbot.mouseClick(loop.dashboard.cards["open_major"], Qt.MouseButton.LeftButton)
    _activate_row(qtbot, loop.dashboard.table, 0)
    qtbot.waitUntil(lambda: finding_id in loop.hazard_views, timeout=3000)
    view = loop.hazard_views[finding_id]
    # settled, as a person waits: loaded and its buttons usable (a reload under load disables 执行 meanwhile)
    qtbot.waitUntil(lambda: view.detail is not None and view.apply_button.isEnabled(), timeout=5000)
    return view


def open_tab_from_a_hazard(qtbot, window, site):
    """The hazard window's 复查该企业… button: the 复查 tab with this enterprise (not the preselection)."""
    hazard = open_hazard_window(qtbot, window, site.finding_ids[0])
    click(qtbot, hazard.reinspect_button)
    view = window.closed_loop.reinspection
    qtbot.waitUntil(lambda: view.model.rowCount() == 2 and not window.tasks.busy, timeout=10000)
    hazard.close()
    return view


def choose(qtbot, box, data) -> None:
    """Arrow keys on a combo box until it shows ``data``."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    for _ in range(box.count()):
        if box.currentData() == data:
            return
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentData() == data


def start_visit(qtbot, window, view, site) -> None:
    for box, inspector_id in zip(view.inspector_boxes, site.inspector_ids):
        choose(qtbot, box, inspector_id)
    click(qtbot, view.start_button)
    qtbot.waitUntil(lambda: view.visit is not None and view.visit.status == "draft", timeout=10000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10000)


def click_row(qtbot, table, row: int) -> None:
    index = table.model().index(row, 1)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())


def saved_items(services) -> dict:
    from inspector.db.models import ReinspectionItem

    with services.db.session() as session:
        return {i.finding_id: i for i in session.exec(select(ReinspectionItem)).all()}


def test_the_enterprise_shown_when_the_tab_opens_has_its_hazards_loaded(qtbot, window, site):
    view = open_tab(qtbot, window)
    assert view.enterprise_box.currentData() == site.enterprise_id
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    assert view.start_button.isEnabled()


def test_not_rectified_keeps_a_later_original_deadline_and_says_so(qtbot, window, site, services):
    view = open_tab_from_a_hazard(qtbot, window, site)
    start_visit(qtbot, window, view, site)
    first = site.finding_ids[0]
    click_row(qtbot, view.table, _row_of(view.model, first))
    click(qtbot, view.outcome_buttons["not_rectified"])
    original = original_deadline()
    assert view.deadline_edit.isEnabled() and view.deadline_edit.date().toPython() == original
    assert original.isoformat() in view.deadline_hint.text() and view.deadline_hint.isVisible()
    click(qtbot, view.save_button)
    qtbot.waitUntil(lambda: first in saved_items(services), timeout=10000)
    assert saved_items(services)[first].new_deadline == original


def test_shortening_the_deadline_is_asked_first(qtbot, window, site, services, tmp_path):
    view = open_tab_from_a_hazard(qtbot, window, site)
    answers = Answers(tmp_path)
    answers.confirm = lambda parent, title, text, action=None: answers.confirmations.append(text) and False
    view.dialogs = answers
    start_visit(qtbot, window, view, site)
    first = site.finding_ids[0]
    click_row(qtbot, view.table, _row_of(view.model, first))
    click(qtbot, view.outcome_buttons["not_rectified"])
    edit = view.deadline_edit
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=edit.rect().center())
    qtbot.keyClick(edit, Qt.Key.Key_Home)  # the cursor before the year of yyyy-MM-dd
    for _ in range(9):
        qtbot.keyClick(edit, Qt.Key.Key_Right)  # into the day
    for _ in range(5):
        qtbot.keyClick(edit, Qt.Key.Key_Down)  # five days earlier: before the original deadline
    shorter = edit.date().toPython()
    assert shorter < original_deadline()
    click(qtbot, view.save_button)
    qtbot.wait(200)
    assert len(answers.confirmations) == 1 and shorter.isoformat() in answers.confirmations[0]
    assert first not in saved_items(services)  # declined: nothing saved


def test_the_open_count_follows_a_closing(qtbot, window, site, tmp_path):
    view = open_tab_from_a_hazard(qtbot, window, site)
    assert "未销号 2 项" in view.enterprise_box.currentText()
    answers = Answers(tmp_path)
    view.dialogs = answers
    start_visit(qtbot, window, view, site)
    first = site.finding_ids[0]
    click_row(qtbot, view.table, _row_of(view.model, first))
    answers.images = [str(write_jpeg(tmp_path, "after.jpg"))]
    click(qtbot, view.add_after_button)
    qtbot.waitUntil(lambda: view.after.count == 1, timeout=10000)
    click(qtbot, view.outcome_buttons["rectified"])
    click(qtbot, view.save_button)
    qtbot.waitUntil(lambda: view.current_hazard() is not None and view.current_hazard().outcome == "rectified",
                    timeout=10000)
    click(qtbot, view.complete_button)
    qtbot.waitUntil(lambda: view.visit.status == "completed", timeout=10000)
    qtbot.waitUntil(lambda: "未销号 1 项" in view.enterprise_box.currentText(), timeout=10000)


def test_the_hazard_window_fits_a_small_laptop_screen(qtbot, window, site):
    view = open_hazard_window(qtbot, window, site.finding_ids[0])
    qtbot.waitExposed(view)
    assert_fits(qtbot, view, (view.apply_button, view.reinspect_button))
    view.details_area.ensureWidgetVisible(view.add_after_button)  # the photos scroll into reach
    assert view.add_after_button.visibleRegion().boundingRect().height() > 0
    assert view.deadline_edit.date().toPython() >= original_deadline()  # the default never shortens


def test_the_hazard_window_asks_before_shortening_a_deadline(qtbot, window, site, services, tmp_path):
    from inspector.db.models import Finding

    view = open_hazard_window(qtbot, window, site.finding_ids[0])
    answers = Answers(tmp_path)
    answers.confirm = lambda parent, title, text, action=None: answers.confirmations.append(text) and False
    view.dialogs = answers
    choose(qtbot, view.step_box, "deadline")  # 仅修改整改期限
    edit = view.deadline_edit
    assert edit.isEnabled() and edit.date().toPython() == original_deadline()
    assert original_deadline().isoformat() in view.deadline_hint.text()
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=edit.rect().center())
    qtbot.keyClick(edit, Qt.Key.Key_Home)
    for _ in range(9):
        qtbot.keyClick(edit, Qt.Key.Key_Right)  # into the day
    for _ in range(5):
        qtbot.keyClick(edit, Qt.Key.Key_Down)
    click(qtbot, view.apply_button)
    qtbot.wait(200)
    assert len(answers.confirmations) == 1 and original_deadline().isoformat() in answers.confirmations[0]
    with services.db.session() as session:
        assert session.get(Finding, site.finding_ids[0]).deadline == original_deadline()  # declined: unchanged


def test_the_before_photo_is_refused_as_an_after_photo(qtbot, window, site, services, tmp_path):
    """Picking the photo taken when the hazard was found as proof of its rectification (the same file
    again) is refused with one sentence; no after photo is stored, so the hazard cannot close on it."""
    import hashlib

    from inspector.db.models import Photo
    from tests.loop_helpers import jpeg_bytes

    found = tmp_path / "found.jpg"
    found.write_bytes(jpeg_bytes((180, 40, 40), text="before 0"))  # the file make_site stored for the first hazard
    first = site.finding_ids[0]
    with services.db.session() as session:
        [before] = session.exec(select(Photo).where(Photo.finding_id == first)).all()
        assert before.original_sha256 == hashlib.sha256(found.read_bytes()).hexdigest()
    view = open_tab_from_a_hazard(qtbot, window, site)
    answers = Answers(tmp_path)
    view.dialogs = answers
    start_visit(qtbot, window, view, site)
    click_row(qtbot, view.table, _row_of(view.model, first))
    answers.images = [str(found)]
    click(qtbot, view.add_after_button)
    qtbot.waitUntil(lambda: "整改前" in view.message.text(), timeout=10000)
    assert "found.jpg" in view.message.text() and view.after.count == 0
    with services.db.session() as session:
        kinds = [photo.kind for photo in session.exec(select(Photo).where(Photo.finding_id == first)).all()]
    assert "after" not in kinds


def test_the_person_chosen_in_one_box_is_skipped_in_the_other(qtbot, window, site, services):
    """The second box's arrow keys pass over the person already in the first (who was shown twice, and stored
    once); the started visit stores the two people chosen and the boxes show that team."""
    from inspector.db.models import Reinspection

    view = open_tab_from_a_hazard(qtbot, window, site)
    first, second = view.inspector_boxes
    choose(qtbot, first, site.inspector_ids[0])
    seen = _walked_with_arrows(qtbot, second)
    assert site.inspector_ids[0] not in seen and site.inspector_ids[1] in seen
    choose(qtbot, second, site.inspector_ids[1])
    assert site.inspector_ids[1] not in _walked_with_arrows(qtbot, first)  # and the other way round
    choose(qtbot, first, site.inspector_ids[0])
    click(qtbot, view.start_button)
    qtbot.waitUntil(lambda: view.visit is not None and view.visit.status == "draft", timeout=10000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10000)
    with services.db.session() as session:
        (visit,) = session.exec(select(Reinspection)).all()
    assert visit.inspector_ids == site.inspector_ids[:2]
    assert [box.currentData() for box in view.inspector_boxes] == site.inspector_ids[:2]
    qtbot.keyClick(second, Qt.Key.Key_Home)  # the team is the visit's now: the boxes take no keys (a change
    assert second.currentData() == site.inspector_ids[1] and not second.isEnabled()  # would not be stored)


def _walked_with_arrows(qtbot, box) -> list:
    """What ``box`` shows from Home through one Down per item, as a person looking through it with the keys."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    seen = [box.currentData()]
    for _ in range(box.count()):
        qtbot.keyClick(box, Qt.Key.Key_Down)
        seen.append(box.currentData())
    return seen
