"""The main window offscreen: it lists the data directory's inspections and checklists."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from inspector.ui.application import create_application, open_main_window


@pytest.fixture
def window(qtbot, demo_services):
    create_application()
    window = open_main_window(demo_services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.inspections.model.rowCount() > 0, timeout=5000)
    return window


def test_lists_every_inspection_and_filters_by_pinyin_initials(window, qtbot):
    from inspector.core.common.text_search import initials
    from inspector.db.queries import inspection_summaries

    with window.services.db.session() as session:
        summaries = inspection_summaries(session)
    view = window.inspections
    assert view.proxy.rowCount() == len(summaries)
    target = summaries[0].enterprise
    qtbot.keyClicks(view.search, initials(target))
    expected = sum(initials(target) in initials(s.enterprise) for s in summaries)
    qtbot.waitUntil(lambda: view.proxy.rowCount() == expected, timeout=2000)
    assert all(target == view.proxy.index(r, 1).data() or initials(target) in initials(view.proxy.index(r, 1).data())
               for r in range(view.proxy.rowCount()))


def test_window_is_in_chinese_and_shows_checklist_items(window):
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs[:3] == ["今日待办", "检查记录", "检查表"]  # the closed-loop dashboard comes first
    checklists = window.checklists
    assert checklists.list_model.rowCount() >= 8
    assert checklists.item_model.rowCount() == len(window.services.checklists.checklists[0].items)
    assert checklists.item_model.headerData(2, checklists.items.horizontalHeader().orientation()) == "依据"


def test_damaged_database_is_reported_in_chinese(qtbot, data_dir, monkeypatch):
    from inspector.services import Services

    (data_dir / "inspector.db").write_bytes(b"not a database" * 100)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    create_application()
    services = Services(data_dir)
    window = open_main_window(services)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.data_unavailable, timeout=5000):
        window.show()
    assert shown and shown[0][0] == "无法打开数据" and "不是" in shown[0][1]
    assert not window.isVisible()
    assert (data_dir / "inspector.db").read_bytes() == b"not a database" * 100
    services.close()


# --- the shell: fits the screen, remembers its size, Esc, Chinese Qt dialogs, verbs, busy cursor -----

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel

FIT_CHECK = Path(__file__).with_name("fit_check.py")
LEFT = Qt.MouseButton.LeftButton


def test_every_window_and_dialog_fits_a_1280x720_screen(tmp_path, demo_dir):
    from inspector.core.demo.generate import build_demo
    from inspector.services import Services

    services = Services(demo_dir)
    build_demo(services.db, services.checklists.checklists, seed=9, inspections=2, living_office=True)
    services.close()
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 720,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={screen}", PYTHONFAULTHANDLER="1",  # a crash's stack
               PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")]))
    result = subprocess.run([sys.executable, str(FIT_CHECK), str(demo_dir)], capture_output=True, text=True,
                            env=env, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    names = {entry["name"].split(":")[0] for entry in seen}
    assert {"MainWindow", "NewInspectionDialog", "NumberingDialog", "LedgerDialog", "ExportDialog", "MergeDialog",
            "BackupsDialog", "GuideDialog", "FirstRunDialog", "HazardView", "NoticeView", "EnterpriseDialog"} <= names
    misfits = [entry for entry in seen if not entry["fits"] or entry["cut"]]
    assert misfits == []
    main = next(entry for entry in seen if entry["name"] == "MainWindow")
    assert main["frame"] == [0, 0, 1280, 720]  # maximised on a first start


def test_the_window_opens_maximised_then_remembers_its_size(qtbot, services):
    from inspector.ui.application import show_main_window

    create_application()
    window = open_main_window(services)
    qtbot.addWidget(window)
    show_main_window(window)
    assert window.isMaximized() or window.frameGeometry() == window.screen().availableGeometry()
    window.showNormal()
    window.setGeometry(20, 30, 760, 520)  # the person drags the window smaller
    window.close()
    window.tasks.wait()
    assert "MainWindow" in services.settings.get("window_geometry")
    again = open_main_window(services)
    qtbot.addWidget(again)
    show_main_window(again)
    assert again.size().toTuple() == (760, 520) and not again.isMaximized()
    again.close()
    again.tasks.wait()


def test_esc_closes_a_hazard_window(window, qtbot):
    from inspector.db.models import Finding
    from sqlmodel import select

    with window.services.db.session() as session:
        finding = session.exec(select(Finding).where(Finding.result == "fail")).first()
    view = window.closed_loop.open_hazard(finding.id)
    qtbot.waitUntil(view.isVisible)
    view.activateWindow()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.closed_loop.hazard_views, timeout=3000)


def test_qt_own_dialogs_speak_chinese(qtbot):
    create_application()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    texts = sorted(button.text().replace("(&O)", "") for button in buttons.buttons())
    assert texts == ["取消", "打开"]
    dialog = QFileDialog(None, "选择文件")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "文件名" in labels and "File name" not in labels


def test_withdrawing_a_block_asks_with_verbs_not_yes_no(window, qtbot):
    dialog = window.notices.open_settings()
    qtbot.waitUntil(dialog.isVisible)
    for box, value in ((dialog.first_box, "901"), (dialog.last_box, "950")):
        box.lineEdit().setFocus()
        qtbot.keyClick(box.lineEdit(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(box.lineEdit(), value)
    qtbot.mouseClick(dialog.add_button, LEFT)
    row = next(r for r in range(dialog.block_model.rowCount()) if dialog.block_model.index(r, 3).data() == "901–950")
    dialog.blocks.selectRow(row)
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        if box is None or box is dialog:
            return QTimer.singleShot(20, answer)
        seen.append(sorted(button.text() for button in box.buttons()))
        wanted = [b for b in box.buttons() if b.text() == "收回"]
        qtbot.mouseClick((wanted or box.buttons())[0], LEFT)  # no such button: answer anyway, then fail

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(dialog.remove_button, LEFT)
    assert seen == [["取消", "收回"]]  # a verb and 取消, never Yes/No
    assert all(dialog.block_model.index(r, 3).data() != "901–950" for r in range(dialog.block_model.rowCount()))


def test_the_export_destination_defaults_to_a_chinese_name(window, qtbot):
    dialog = window.sync.open_export()
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.target.currentText() == "办公室"
    dialog.reject()


def test_a_slow_load_shows_the_busy_cursor(window, qtbot, monkeypatch):
    import time

    import inspector.ui.main_window as main_window

    slow = main_window._load_data
    monkeypatch.setattr(main_window, "_load_data", lambda services: (time.sleep(1.0), slow(services))[1])
    loaded = []
    window.data_loaded.connect(lambda: loaded.append(True))
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: QApplication.overrideCursor() is not None, timeout=900)
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BusyCursor
    qtbot.waitUntil(lambda: bool(loaded), timeout=10000)
    assert QApplication.overrideCursor() is None


def test_checking_the_database_shows_the_busy_cursor_until_the_answer(window, qtbot, monkeypatch):
    import time

    import inspector.ui.main_window as main_window

    monkeypatch.setattr(main_window, "_check_database", lambda path: (time.sleep(1.0), [])[1])
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().startswith("工具"))
    next(a for a in menu.actions() if a.text().startswith("检查数据库")).trigger()
    qtbot.waitUntil(lambda: QApplication.overrideCursor() is not None, timeout=900)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert QApplication.overrideCursor() is None


def test_a_person_checks_the_database_from_the_tools_menu(window, qtbot, monkeypatch):
    """Clicks 工具 in the menu bar, then 检查数据库 in its menu: the real check runs in a worker, which
    finds the sync helpers' module already imported (the guard in tests/conftest.py fails the test if the
    worker had to import that Qt module) and says the file is sound."""
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append((title, text)))
    bar = window.menuBar()
    tools = next(a for a in bar.actions() if a.text().startswith("工具"))
    qtbot.mouseClick(bar, LEFT, pos=bar.actionGeometry(tools).center())
    menu = tools.menu()
    qtbot.waitUntil(menu.isVisible, timeout=3000)
    check = next(a for a in menu.actions() if a.text().startswith("检查数据库"))
    qtbot.mouseClick(menu, LEFT, pos=menu.actionGeometry(check).center())
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    assert shown[0][0] == "检查数据库"
    assert QApplication.overrideCursor() is None
