"""文书设置 → 分配给设备: office staff pick the document kind, the year, the laptop and a count, press one button
and see the block the database gave — on a laptop's SQLite file and on the office's PostgreSQL server.
Refusals (N = 0, an unknown device, the database refusing a raced block) are one Chinese sentence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from inspector.core.documents import numbering
from inspector.ui.application import create_application
from tests.pg.test_gui_office_connection import shown_errors  # noqa: F401 - autouse: error boxes recorded, checked
from tests.pg.test_gui_server_window import server_services, server_window  # noqa: F401 - fixtures
from tests.ui.walkthrough.person import click, retype

ROOT = Path(__file__).resolve().parents[2]
LAPTOP = str(uuid.UUID(int=0x5EED_0000_0000_4000_8000_0000_0000_0001))
PREFIX = "兴经开安改"  # the park notice's series (the default template family)


@pytest.fixture(params=["sqlite", "postgresql"])
def office(request, data_dir):
    """Services on the laptop's file or on a server database, knowing one laptop (王伟、李芳 recorded on it)."""
    from inspector.core.records.enterprises import create_enterprise
    from inspector.db.models import Inspection, Inspector
    from inspector.services import Services

    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    services = Services(data_dir, database_url=url)
    with services.db.session() as session:
        session.add(Inspector(name="王伟", device_id=LAPTOP))
        session.add(Inspector(name="李芳", device_id=LAPTOP))
    enterprise = create_enterprise(services.db, name="兴国县宏达冷链物流有限公司")
    with services.db.session() as session:
        session.add(Inspection(enterprise_id=enterprise.id, device_id=LAPTOP))
    yield services
    services.close()


@pytest.fixture
def dialog(qtbot, office):
    from inspector.ui.documents.numbering_dialog import NumberingDialog

    create_application()
    dialog = NumberingDialog(office)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.allocation.device_box.count() == 2, timeout=10000)
    yield dialog
    dialog.allocation.wait()


def choose(qtbot, combo, wanted: str) -> None:
    """Arrow keys on a combo box until its text holds ``wanted``."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if wanted in combo.currentText():
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert wanted in combo.currentText(), [combo.itemText(i) for i in range(combo.count())]


def allocate(qtbot, dialog, *, kind="安全隐患整改通知书", year="2025", device="王伟", count="50") -> None:
    choose(qtbot, dialog.kind_box, kind)
    retype(qtbot, dialog.year_box, year)
    if device:
        choose(qtbot, dialog.allocation.device_box, device)
    retype(qtbot, dialog.allocation.count_box, count)
    click(qtbot, dialog.allocation.button)


def wait_answer(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: dialog.allocation.button.isEnabled() and not dialog.allocation.tasks.busy, timeout=30000)


def blocks(services) -> list[tuple]:
    return [(b.kind, b.prefix, b.year, b.first, b.last, b.assigned_device_id)
            for b in numbering.list_blocks(services.db)]


def test_allocating_the_next_50_numbers_to_a_laptop(qtbot, dialog, office):
    numbering.add_block(office.db, kind="park", prefix=PREFIX, year=2025, first=1, last=50, device_id="other-laptop")
    allocate(qtbot, dialog)
    wait_answer(qtbot, dialog)
    text = dialog.allocation.result.text()
    assert "第 51–100 号" in text and "王伟" in text and dialog.error_label.text() == ""
    assert ("park", PREFIX, 2025, 51, 100, LAPTOP) in blocks(office)
    assert dialog.all_devices.isChecked()  # the new block is shown in the table, with its device
    assert [(b.first, b.assigned_device_id) for b in dialog.block_model.rows] == [(1, "other-laptop"), (51, LAPTOP)]
    allocate(qtbot, dialog, count="10")  # again: the next free run
    wait_answer(qtbot, dialog)
    assert "第 101–110 号" in dialog.allocation.result.text()


def test_the_device_may_be_typed_as_the_laptop_shows_it(qtbot, dialog, office):
    allocate(qtbot, dialog, device=None, count="5", kind="责令限期整改指令书")
    wait_answer(qtbot, dialog)  # the first device in the list: the laptop (the database's own comes first)
    retype(qtbot, dialog.allocation.device_box, LAPTOP[:8])  # the short id the table shows
    click(qtbot, dialog.allocation.button)
    wait_answer(qtbot, dialog)
    assert [(b[3], b[4], b[5]) for b in blocks(office)] == [(1, 5, LAPTOP), (6, 10, LAPTOP)]


def test_a_count_of_zero_is_refused_in_one_sentence(qtbot, dialog, office):
    allocate(qtbot, dialog, count="0")
    wait_answer(qtbot, dialog)
    assert dialog.error_label.text() == "号段大小 0 无效，应为 1 到 100000 个号。"
    assert dialog.allocation.result.text() == "" and blocks(office) == []


def test_an_unknown_device_is_refused_and_nothing_is_allocated(qtbot, dialog, office):
    choose(qtbot, dialog.kind_box, "安全隐患整改通知书")
    retype(qtbot, dialog.allocation.device_box, "0000dead-beef-4000-8000-000000000000")
    click(qtbot, dialog.allocation.button)
    wait_answer(qtbot, dialog)
    assert "本数据库中没有设备“0000dead-beef-4000-8000-000000000000”" in dialog.error_label.text()
    assert dialog.allocation.result.text() == "" and blocks(office) == []


def test_a_block_raced_by_another_office_pc_waits_and_takes_the_next_free_run(qtbot, dialog, office):
    """Another PC is allocating 1–50 of the same series at this moment (its transaction not yet committed)."""
    from inspector.db.database import Database

    other = Database.open_url(office.database_url or f"sqlite:///{office.db.path}")
    other_pc = numbering.write_session(other)
    session = other_pc.__enter__()
    try:
        numbering._insert_block(session, other, kind="park", prefix=PREFIX, year=2025, first=1, last=50,
                                device="laptop-9", note="")
        session.flush()
        from PySide6.QtWidgets import QApplication

        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
        name = dialog.fields["authority.name"].text()
        allocate(qtbot, dialog)
        qtbot.wait(700)
        assert not dialog.allocation.button.isEnabled() and "正在分配" in dialog.allocation.result.text()
        qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_7)  # typed while the database waits
        assert dialog.fields["authority.name"].text() == name
    finally:
        other_pc.__exit__(None, None, None)  # the other PC commits
    wait_answer(qtbot, dialog)
    assert "第 51–100 号" in dialog.allocation.result.text()
    assert sorted(b[3:] for b in blocks(office)) == [(1, 50, "laptop-9"), (51, 100, LAPTOP)]
    other.close()


def test_when_the_database_keeps_refusing_the_block_the_person_is_told_to_retry(qtbot, dialog, office, monkeypatch):
    numbering.add_block(office.db, kind="park", prefix=PREFIX, year=2025, first=1, last=50, device_id="laptop-9")
    monkeypatch.setattr(numbering, "_lowest_free_run", lambda *args: 1)  # as if every run were taken meanwhile
    allocate(qtbot, dialog)
    wait_answer(qtbot, dialog)
    assert dialog.error_label.text() == "其他用户正在同时分配同一文号序列的号段，请稍后重试。"
    assert [b[3:5] for b in blocks(office)] == [(1, 50)]


WORKER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from inspector.db.database import Database
    from inspector.ui.documents.numbering_allocate import allocate_task
    url, go, device = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    db = Database.open_url(url)
    while not go.exists():
        time.sleep(0.005)
    got = []
    for _ in range(25):
        done = allocate_task(db, "order", "P", 2026, 4, device, "")  # what the dialog's button runs
        got.append([done.first, done.last, done.device.id])
    db.close()
    print(json.dumps(got))
""")


def test_two_office_pcs_allocating_through_the_dialogs_code_get_disjoint_blocks(pg_url, tmp_path):
    from inspector.db.database import Database
    from inspector.db.models import Inspector

    db = Database.open_url(pg_url)
    with db.session() as session:
        session.add(Inspector(name="王伟", device_id=LAPTOP))
    db.close()
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, pg_url, str(go), LAPTOP[:8]], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    go.touch()
    got = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        got += json.loads(out)
    numbers = sorted(seq for first, last, _ in got for seq in range(first, last + 1))
    assert numbers == list(range(1, 2 * 25 * 4 + 1)) and {device for *_, device in got} == {LAPTOP}
    db = Database.open_url(pg_url)
    assert sorted((b.first, b.last) for b in numbering.list_blocks(db)) == sorted((f, l) for f, l, _ in got)
    db.close()


def test_the_office_window_on_the_server_opens_the_dialog_from_its_menu(qtbot, request):
    from inspector.ui.documents.numbering_dialog import NumberingDialog
    from PySide6.QtWidgets import QApplication

    window = request.getfixturevalue("server_window")
    [documents] = [a.menu() for a in window.menuBar().actions() if a.text().replace("&", "").startswith("文书")]
    [settings] = [a for a in documents.actions() if a.text().startswith("号段与文书设置")]
    settings.trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, NumberingDialog) and w.isVisible() for w in QApplication.topLevelWidgets()))
    [dialog] = [w for w in QApplication.topLevelWidgets() if isinstance(w, NumberingDialog) and w.isVisible()]
    qtbot.waitUntil(lambda: dialog.allocation.device_box.count() >= 1, timeout=10000)
    choose(qtbot, dialog.allocation.device_box, "本数据库")
    retype(qtbot, dialog.allocation.count_box, "20")
    click(qtbot, dialog.allocation.button)
    wait_answer(qtbot, dialog)
    assert "第 1–20 号" in dialog.allocation.result.text() and "本数据库" in dialog.allocation.result.text()
    assert [(b.first, b.last) for b in numbering.list_blocks(window.services.db, window.services.db.device_id)] == [(1, 20)]
    dialog.close()


def test_keys_typed_after_allocating_do_not_land_in_the_printed_authority_name(qtbot, dialog, office):
    """The button is disabled while the database answers; Qt then hands its focus to the next field — the
    authority's name, text selected — so the next keys a person typed replaced what every document prints."""
    from PySide6.QtWidgets import QApplication

    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    name = dialog.fields["authority.name"].text()
    allocate(qtbot, dialog, count="5")
    wait_answer(qtbot, dialog)
    focused = QApplication.focusWidget()
    for key in (Qt.Key.Key_1, Qt.Key.Key_2):
        qtbot.keyClick(focused, key)
    assert dialog.fields["authority.name"].text() == name
    assert focused is dialog.allocation.button
