"""A whole inspection through the real main window, by keyboard and mouse, with real JPEG files."""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication, QImage

from inspector.core.records import credit_code
from inspector.core.sync.integrity import check_database
from inspector.ui.application import create_application
from tests.ui.walkthrough.person import photo, type_text, window  # noqa: F401  (window: a fixture)

LEFT = Qt.MouseButton.LeftButton


def click(qtbot, button) -> None:
    assert button.isEnabled() and button.isVisible(), button.text()
    qtbot.mouseClick(button, LEFT)


def register_enterprise(qtbot, window, name: str, code: str) -> None:
    view = window.records.enterprises
    window.tabs.setCurrentWidget(view)
    click(qtbot, view.buttons["register"])
    dialog = view.dialog
    type_text(qtbot, dialog.fields["name"], name)
    type_text(qtbot, dialog.fields["credit_code"], code)
    dialog.industry.setCurrentText("冷库/涉氨制冷")
    type_text(qtbot, dialog.fields["address"], "兴国经济技术开发区平川大道8号")
    with qtbot.waitSignal(dialog.enterprise_saved):
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Save))
    qtbot.waitUntil(lambda: [e.name for e in view.model.rows] == [name])  # the list reloads in the background
    window.activateWindow()  # the offscreen platform does not give the window back its activation
    qtbot.waitUntil(window.isActiveWindow)


def start_inspection_with_ctrl_n(qtbot, window, query: str):
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.records.dialog
    assert dialog.isVisible()
    type_text(qtbot, dialog.enterprise_search, query)
    qtbot.waitUntil(lambda: dialog.selected_enterprise() is not None)
    assert [c.id for c in dialog.checklist_model.checked_rows()] == ["cold-storage"]  # proposed from the sector
    for name, cert in (("王伟", "36070001"), ("李芳", "36070002")):
        type_text(qtbot, dialog.new_inspector_name, name)
        type_text(qtbot, dialog.new_inspector_cert, cert)
        click(qtbot, dialog.add_inspector_button)
    type_text(qtbot, dialog.place, "氨制冷机房")
    with qtbot.waitSignal(dialog.inspection_started):
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Ok))
    walk = window.records.current_walkthrough()
    assert walk is not None and window.tabs.currentWidget() is walk
    window.activateWindow()  # the offscreen platform does not give the window back its activation
    qtbot.waitUntil(window.isActiveWindow)
    return walk


def wait_photos(qtbot, strip, count: int) -> None:
    qtbot.waitUntil(lambda: not strip.busy and strip.model.rowCount() == count, timeout=20000)


def test_a_whole_inspection_through_the_main_window(qtbot, window, tmp_path):
    code = credit_code.generate(random.Random(3))
    register_enterprise(qtbot, window, "兴国县赣南冷链物流有限公司", code)
    walk = start_inspection_with_ctrl_n(qtbot, window, "gnll")
    items = [row.item for row in walk.model.rows]
    assert [i.item.id for i in items] == [i.id for i in window.services.checklists.by_id("cold-storage").items]
    failing = {items[1].item.id, items[3].item.id, items[6].item.id}
    assert walk.current_row() == 0 and walk.progress.text() == f"已答 0/{len(items)} · 隐患 0 · 重大 0"

    table = walk.table
    table.setFocus()
    strip = walk.editor.photos
    for row, walk_item in enumerate(items[:-1]):
        assert walk.current_row() == row
        if walk_item.item.id not in failing:
            qtbot.keyClick(table, Qt.Key.Key_1 if row % 4 else Qt.Key.Key_3)
            continue
        qtbot.keyClick(table, Qt.Key.Key_2)  # 不合格: the editor shows the pre-filled hazard
        assert walk.editor.fields["description"].toPlainText() == walk_item.item.hazard
        assert walk.editor.major_badge.isVisible() == walk_item.item.major
        files = [photo(tmp_path / f"{walk_item.item.id}-{n}.jpg", colour) for n, colour in enumerate(("red", "navy"))]
        strip.choose_files = lambda files=files: [str(f) for f in files]
        click(qtbot, strip.buttons["add"])
        wait_photos(qtbot, strip, 2)
        qtbot.keyClick(table, Qt.Key.Key_J)

    first_hazard = walk.model.row_of_finding(walk.model.rows[1].finding.id)
    table.setFocus()
    walk.select_row(first_hazard)
    description = walk.editor.fields["description"]
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert description.hasFocus()
    qtbot.keyClick(description, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(walk.editor.finding_saved, timeout=5000):
        type_text(qtbot, description, "（现场：一号机房）")
    caption = strip.caption
    type_text(qtbot, caption, "氨气报警器缺失")
    qtbot.keyClick(caption, Qt.Key.Key_Return)
    click(qtbot, strip.buttons["right"])  # the captioned photo moves behind the second one
    assert [p.caption for p in strip.model.rows] == ["", "氨气报警器缺失"]

    click(qtbot, walk.buttons["complete"])  # the last item is not answered yet
    assert walk.problems.isVisible() and f"还有 1 项未检查：{items[-1].item.id}" in walk.problems.text()
    assert walk.current_row() == len(items) - 1
    assert table.hasFocus()  # the keys go on where the answers are missing, not to the button
    qtbot.keyClick(QGuiApplication.focusObject(), Qt.Key.Key_1)
    expected = f"已答 {len(items)}/{len(items)} · 隐患 3 · 重大 {sum(i.item.major for i in items if i.item.id in failing)}"
    assert walk.progress.text() == expected
    with qtbot.waitSignal(walk.inspection_completed):
        click(qtbot, walk.buttons["complete"])
    assert walk.completed and not walk.buttons["pass"].isEnabled() and walk.buttons["reopen"].isVisible()

    database = window.services.paths.database
    connection = sqlite3.connect(database)
    status, place, team = connection.execute("SELECT status, place, inspector_ids FROM inspection").fetchone()
    assert status == "completed" and place == "氨制冷机房" and team.count('"') == 4
    hazards = connection.execute(
        "SELECT id, item_id, description FROM finding WHERE result = 'fail' AND deleted_at IS NULL ORDER BY seq").fetchall()
    assert {h[1] for h in hazards} == failing
    assert hazards[0][2].endswith("（现场：一号机房）")
    answered = connection.execute("SELECT count(*) FROM finding WHERE deleted_at IS NULL").fetchone()[0]
    assert answered == len(items)
    for finding_id, _, _ in hazards:
        photos = connection.execute("SELECT original_name, length(jpeg), caption FROM photo WHERE finding_id = ? "
                                    "AND deleted_at IS NULL ORDER BY seq", (finding_id,)).fetchall()
        assert len(photos) == 2 and all(size > 1000 for _, size, _ in photos)
    assert connection.execute("SELECT count(*) FROM photo WHERE caption = '氨气报警器缺失'").fetchone()[0] == 1
    assert check_database(database) == []


def test_paste_drop_view_delete_and_undo(qtbot, window, tmp_path):
    register_enterprise(qtbot, window, "兴国食品冷藏有限公司", credit_code.generate(random.Random(4)))
    walk = start_inspection_with_ctrl_n(qtbot, window, "食品")
    walk.table.setFocus()
    qtbot.keyClick(walk.table, Qt.Key.Key_2)
    strip = walk.editor.photos
    image = QImage(640, 480, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkGreen)
    QGuiApplication.clipboard().setImage(image)
    qtbot.keyClick(walk.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)  # paste with the list focused
    wait_photos(qtbot, strip, 1)
    assert strip.model.rows[0].original_name == "粘贴的图片.png"

    mime = QMimeData()
    dropped = [photo(tmp_path / "drop-1.jpg", "teal"), photo(tmp_path / "drop-2.jpg", "olive")]
    bad = tmp_path / "readme.jpg"
    bad.write_text("not a photo", encoding="utf-8")
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in (*dropped, bad)])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    strip.dropEvent(drop)
    wait_photos(qtbot, strip, 3)
    assert "readme.jpg" in strip.message.text()  # the refused file is named; the others are kept

    strip.list.setCurrentIndex(strip.model.index(1))
    click(qtbot, strip.buttons["view"])
    assert strip.viewer.isVisible() and strip.viewer.index == 1
    click(qtbot, strip.viewer.next_button)
    assert strip.viewer.index == 2 and not strip.viewer.next_button.isEnabled()
    strip.viewer.close()

    click(qtbot, strip.buttons["delete"])
    assert strip.model.rowCount() == 2 and walk.model.photo_counts[strip.finding_id] == 2
    click(qtbot, strip.undo_button)
    assert strip.model.rowCount() == 3


def test_a_draft_resumes_at_the_first_unanswered_item(qtbot, window, demo_dir):
    from inspector.core.records.inspection_state import load_state

    services = window.services
    register_enterprise(qtbot, window, "潋江冷链有限公司", credit_code.generate(random.Random(5)))
    walk = start_inspection_with_ctrl_n(qtbot, window, "ljll")
    walk.table.setFocus()
    for key in (Qt.Key.Key_1, Qt.Key.Key_3, Qt.Key.Key_1, Qt.Key.Key_1):
        qtbot.keyClick(walk.table, key)
    inspection_id = walk.inspection_id
    window.tabs.tabBar().tabButton(window.tabs.indexOf(walk), window.tabs.tabBar().ButtonPosition.RightSide).click()
    assert window.records.current_walkthrough() is None

    window.tabs.setCurrentWidget(window.inspections)  # the list is refreshed with the draft in it
    qtbot.waitUntil(lambda: any(r.id == inspection_id and r.status == "draft" for r in window.inspections.model.rows))
    row = next(n for n, r in enumerate(window.inspections.model.rows) if r.id == inspection_id)
    window.inspections.inspection_activated.emit(window.inspections.model.rows[row].id)
    resumed = window.records.current_walkthrough()
    assert resumed.inspection_id == inspection_id and resumed.current_row() == 4
    assert load_state(services.db, inspection_id).progress.answered == 4


def test_bulk_import_matches_a_card_to_the_hazards(qtbot, window, tmp_path):
    register_enterprise(qtbot, window, "高兴冷链物流有限公司", credit_code.generate(random.Random(6)))
    walk = start_inspection_with_ctrl_n(qtbot, window, "gxll")
    walk.table.setFocus()
    qtbot.keyClick(walk.table, Qt.Key.Key_2)
    qtbot.keyClick(walk.table, Qt.Key.Key_J)
    qtbot.keyClick(walk.table, Qt.Key.Key_2)
    first, second = walk.model.rows[0].finding, walk.model.rows[1].finding
    card = tmp_path / "DCIM"
    card.mkdir()
    photo(card / "IMG_0001.JPG", "red", taken=first.created_at + timedelta(minutes=1))
    photo(card / "IMG_0002.JPG", "blue", taken=first.created_at - timedelta(hours=3))  # too far: by hand
    (card / "IMG_0003.JPG").write_bytes(b"broken")

    dialog = walk.open_bulk_import()
    dialog.choose_folder = lambda: str(card)
    with qtbot.waitSignal(dialog.scan_finished, timeout=10000):
        click(qtbot, dialog.choose_button)
    model = dialog.model
    assert [p.path.name for p in model.photos] == ["IMG_0001.JPG", "IMG_0002.JPG", "IMG_0003.JPG"]
    assert model.targets[0] in (first.id, second.id) and model.targets[1] is None
    assert model.index(2, model.NOTE).data()  # the unreadable file says why
    dialog.assign(0, first.id)
    dialog.assign(1, second.id)
    with qtbot.waitSignal(dialog.photos_imported, timeout=20000) as imported:
        click(qtbot, dialog.import_button)
    assert imported.args == [2]
    assert walk.model.photo_counts == {first.id: 1, second.id: 1}


def test_a_completed_inspection_is_read_only_until_reopened(qtbot, demo_services):
    from inspector.core.records.inspection_state import load_state
    from inspector.ui.walkthrough.walkthrough_view import WalkthroughView

    create_application()
    connection = sqlite3.connect(demo_services.paths.database)
    inspection_id = connection.execute("SELECT id FROM inspection WHERE status = 'completed' LIMIT 1").fetchone()[0]
    view = WalkthroughView(demo_services, inspection_id)
    qtbot.addWidget(view)
    view.show()
    assert view.completed and not view.buttons["fail"].isEnabled() and not view.buttons["complete"].isVisible()
    state = load_state(demo_services.db, inspection_id)
    hazard_row = next(n for n, r in enumerate(view.model.rows) if r.finding is not None and r.finding.result == "fail")
    view.select_row(hazard_row)
    assert view.editor.fields["description"].isReadOnly() and not view.editor.photos.buttons["add"].isEnabled()
    before = {key: (f.result, f.rev) for key, f in state.answers.items()}
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_1)  # refused: nothing changes
    assert {key: (f.result, f.rev) for key, f in load_state(demo_services.db, inspection_id).answers.items()} == before
    assert view.model.row_at(hazard_row).finding.result == "fail"
    click(qtbot, view.buttons["reopen"])
    assert not view.completed and view.buttons["fail"].isEnabled()
    assert not view.editor.fields["description"].isReadOnly()


def test_enterprise_list_import_shows_the_report(qtbot, window, tmp_path):
    view = window.records.enterprises
    window.tabs.setCurrentWidget(view)
    good = credit_code.generate(random.Random(9))
    path = tmp_path / "名单.csv"
    path.write_text(f"企业名称,统一社会信用代码\n杰村粮油加工有限公司,{good}\n坏代码公司,9136\n,\n", encoding="gbk")
    view.choose_import_file = lambda: str(path)
    click(qtbot, view.buttons["import"])
    qtbot.waitUntil(lambda: getattr(view, "report_dialog", None) is not None and view.report_dialog.isVisible(),
                    timeout=10000)
    assert "第 3 行（坏代码公司）" in view.report_dialog.details.toPlainText()
    qtbot.waitUntil(lambda: [e.name for e in view.model.rows] == ["杰村粮油加工有限公司"])
    type_text(qtbot, view.search, good[4:12].lower())
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 1)
    type_text(qtbot, view.search, "x")
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 0)


def test_typing_then_answering_again_keeps_what_was_typed(qtbot, window):
    register_enterprise(qtbot, window, "将军冷链有限公司", credit_code.generate(random.Random(10)))
    walk = start_inspection_with_ctrl_n(qtbot, window, "jjll")
    walk.table.setFocus()
    qtbot.keyClick(walk.table, Qt.Key.Key_2)
    description = walk.editor.fields["description"]
    description.selectAll()
    type_text(qtbot, description, "门口堆放纸箱")  # not yet autosaved
    walk.table.setFocus()
    qtbot.keyClick(walk.table, Qt.Key.Key_2)  # the same answer again: the edit is saved, not overwritten
    assert description.toPlainText() == "门口堆放纸箱"
    qtbot.keyClick(walk.table, Qt.Key.Key_1)  # now 合格: the typed text is still stored
    finding = walk.model.rows[0].finding
    assert finding.result == "pass" and finding.description == "门口堆放纸箱"
    stored = sqlite3.connect(window.services.paths.database).execute(
        "SELECT result, description FROM finding WHERE id = ?", (finding.id,)).fetchone()
    assert stored == ("pass", "门口堆放纸箱")
