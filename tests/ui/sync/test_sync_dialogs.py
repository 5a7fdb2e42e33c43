"""The 同步 menu offscreen: export with progress, merge preview → merge → report, refusals, backups, banner."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from inspector.core.sync.status import content_fingerprint
from inspector.ui.application import create_application, open_main_window

SCREENS = Path(os.environ.get("INSPECTOR_SCREENS", "/work/notes/screens"))


class FakeDialogs:
    def __init__(self):
        self.paths: list[str] = []
        self.save: str | None = None
        self.answer = True
        self.asked: list[str] = []

    def open_paths(self, parent):
        return self.paths

    def save_path(self, parent, suggested):
        return self.save

    def confirm(self, parent, title, text):
        self.asked.append(text)
        return self.answer

    def info(self, parent, title, text):
        self.asked.append(text)


@pytest.fixture
def window(qtbot, demo_services):
    create_application()
    window = open_main_window(demo_services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.inspections.model.rowCount() > 0, timeout=10000)
    window.sync.dialogs = FakeDialogs()
    yield window
    window.tasks.wait()


def snapshot(widget, name: str) -> None:
    if SCREENS.parent.is_dir():
        SCREENS.mkdir(exist_ok=True)
        widget.grab().save(str(SCREENS / name))


def first_enterprise(database: Path) -> str:
    connection = sqlite3.connect(database)
    try:
        return connection.execute("SELECT min(id) FROM enterprise").fetchone()[0]
    finally:
        connection.close()


def recent(seconds_ago: int) -> str:
    """A time stamp just before now: an edit no later than the export that carries it."""
    from datetime import datetime, timedelta, timezone

    from inspector.db.types import to_utc_text

    return to_utc_text(datetime.now(timezone.utc) - timedelta(seconds=seconds_ago))


def peer_export(window, demo_dir: Path, tmp_path: Path, edit: tuple[str, str] | None = None) -> Path:
    """A copy of this data folder that gets its own demo batch (and optionally an edit), exported.

    The window's background tasks (the scheduled backup started when it opened) are waited for
    first, and the backups folder is not copied: copying it while a backup is being written raced
    with ``backups/*.partial`` appearing and disappearing."""
    from inspector.core.demo.generate import build_demo
    from inspector.core.sync.export import export_database
    from inspector.services import Services

    assert window.tasks.wait()
    assert not list((demo_dir / "backups").glob("*.partial"))  # a finished backup leaves no temporary file
    peer = tmp_path / "peer"
    shutil.copytree(demo_dir, peer, ignore=shutil.ignore_patterns("backups"))
    services = Services(peer)
    build_demo(services.db, services.checklists.checklists, seed=77, inspections=2)
    services.close()
    if edit:
        change(peer / "inspector.db", *edit, recent(60))
    return export_database(peer / "inspector.db", tmp_path / "peer-export.db").path


def change(database: Path, enterprise_id: str, address: str, stamp: str) -> None:
    connection = sqlite3.connect(database)
    connection.execute("UPDATE enterprise SET address = ?, updated_at = ?, rev = rev + 1 WHERE id = ?",
                       (address, stamp, enterprise_id))
    connection.commit()
    connection.close()


def test_the_sync_menu_and_the_banner_are_in_chinese(window, qtbot):
    titles = [action.text() for action in window.menuBar().actions()]
    assert "同步(&S)" in titles or any("同步" in t for t in titles)
    assert titles[-1].startswith("帮助")
    banner = window.sync.banner
    qtbot.waitUntil(lambda: banner.isVisible(), timeout=10000)
    assert "条记录" in banner.label.text() and "张照片尚未导出" in banner.label.text() and banner.photos > 0


def test_export_dialog_exports_with_progress_and_clears_the_banner(window, qtbot, tmp_path):
    from inspector.core.sync.verify import verify_export

    qtbot.waitUntil(lambda: window.sync.banner.isVisible(), timeout=10000)
    dialog = window.sync.open_export()
    qtbot.waitUntil(lambda: dialog.enterprise.count() > 1, timeout=5000)
    assert dialog.since_last.text() == "只导出上次导出到此去向之后的变更"
    window.sync.dialogs.save = str(tmp_path / "out.db")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: "已导出" in dialog.message.text(), timeout=20000)
    assert dialog.progress.value() == dialog.progress.maximum() > 0
    assert verify_export(tmp_path / "out.db").manifest.counts["inspection"] > 0
    qtbot.waitUntil(lambda: not window.sync.banner_bar.isVisible(), timeout=10000)
    snapshot(dialog, "sync-export.png")


def test_merge_preview_changes_nothing_then_merge_reports_and_refreshes(window, qtbot, demo_dir, tmp_path):
    file = peer_export(window, demo_dir, tmp_path)
    database = window.services.db.path
    before = content_fingerprint(database)
    dialog = window.sync.open_merge()
    dialog.resize(1100, 600)
    dialog.add_files([str(file)])
    qtbot.waitUntil(lambda: "预览" in dialog.state.text(), timeout=20000)
    assert dialog.counts.rowCount() > 0 and dialog.merge_button.isEnabled()
    assert content_fingerprint(database) == before
    snapshot(dialog, "sync-merge-preview.png")
    inspections = window.inspections.model.rowCount()
    with qtbot.waitSignal(dialog.merged, timeout=30000):
        dialog.merge_button.click()
    assert "合并完成" in dialog.state.text() and "这次合并可以撤销" in dialog.notes.text()
    assert content_fingerprint(database) != before and not dialog.merge_button.isEnabled()
    qtbot.waitUntil(lambda: window.inspections.model.rowCount() == inspections + 2, timeout=10000)
    snapshot(dialog, "sync-merge-report.png")


def test_merge_lists_conflicts(window, qtbot, demo_dir, tmp_path):
    from inspector.core.sync.export import export_database

    export_database(window.services.db.path, tmp_path / "first.db")  # both sides start from this
    enterprise = first_enterprise(window.services.db.path)
    file = peer_export(window, demo_dir, tmp_path, edit=(enterprise, "对方改的地址"))
    change(window.services.db.path, enterprise, "本机改的地址", recent(120))
    dialog = window.sync.open_merge()
    dialog.add_files([str(file)])
    qtbot.waitUntil(lambda: "预览" in dialog.state.text() or bool(dialog.error.text()), timeout=20000)
    assert dialog.error.text() == "" and dialog.conflicts.rowCount() == 1, (dialog.state.text(), dialog.error.text())
    conflict = dialog.conflicts.index(0, 2).data()
    assert conflict == "两边都修改过" and dialog.conflicts.index(0, 3).data() == "导入文件的"
    assert dialog.conflicts.index(0, 4).data() == "地址"
    snapshot(dialog, "sync-merge-conflict.png")


def test_a_refused_file_shows_why_and_cannot_be_merged(window, qtbot, tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("这不是数据库", encoding="utf-8")
    dialog = window.sync.open_merge()
    window.sync.dialogs.paths = [str(bad)]
    dialog.choose_files()
    qtbot.waitUntil(lambda: "不是本程序的导出文件" in dialog.error.text(), timeout=10000)
    assert not dialog.merge_button.isEnabled() and dialog.counts.rowCount() == 0
    assert dialog.state.text() == "没有做任何修改。"
    snapshot(dialog, "sync-merge-refused.png")


def test_backups_dialog_backs_up_and_restores_while_the_window_is_open(window, qtbot):
    dialog = window.sync.open_backups()
    dialog.back_up()
    reasons = lambda: [dialog.model.index(r, 1).data() for r in range(dialog.model.rowCount())]  # noqa: E731
    qtbot.waitUntil(lambda: "手动" in reasons(), timeout=10000)
    assert "定时" in reasons()  # the scheduled backup made when the window opened
    count = window.inspections.model.rowCount()
    connection = sqlite3.connect(window.services.db.path)
    connection.execute("UPDATE inspection SET deleted_at = updated_at")
    connection.commit()
    connection.close()
    dialog.table.selectRow(reasons().index("手动"))
    with qtbot.waitSignal(dialog.restored, timeout=20000):
        dialog.restore_selected()
    assert window.sync.dialogs.asked and "先备份" in window.sync.dialogs.asked[-1]
    qtbot.waitUntil(lambda: window.inspections.model.rowCount() == count, timeout=10000)
    qtbot.waitUntil(lambda: "恢复前" in reasons(), timeout=10000)
    snapshot(dialog, "sync-backups.png")


def test_restore_is_not_done_without_confirmation(window, qtbot):
    dialog = window.sync.open_backups()
    dialog.back_up()
    qtbot.waitUntil(lambda: dialog.model.rowCount() >= 1, timeout=10000)
    dialog.table.selectRow(0)
    window.sync.dialogs.answer = False
    dialog.restore_selected()
    window.tasks.wait()
    assert not any(p.name.endswith("before-restore.db") for p in window.services.paths.backups.iterdir())


def _type_path(qtbot, dialog, path) -> None:
    from PySide6.QtCore import Qt

    dialog.path.setFocus()
    dialog.path.selectAll()
    qtbot.keyClick(dialog.path, Qt.Key.Key_Delete)
    qtbot.keyClicks(dialog.path, str(path))  # ASCII only: keyClicks is safe here


def test_a_typed_path_over_an_existing_file_asks_and_the_database_is_refused(window, qtbot, tmp_path, demo_dir):
    """Issue 11 case 1 in the GUI: the export dialog goes through the one output check."""
    from PySide6.QtCore import Qt

    dialog = window.sync.open_export()
    qtbot.waitUntil(lambda: dialog.enterprise.count() > 1, timeout=5000)
    existing = tmp_path / "mine.db"
    existing.write_bytes(b"someone's file")
    window.sync.dialogs.answer = False
    _type_path(qtbot, dialog, existing)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert window.sync.dialogs.asked and existing.read_bytes() == b"someone's file"
    database = demo_dir / "inspector.db"
    before = database.stat().st_size, database.read_bytes()[:100]
    _type_path(qtbot, dialog, database)
    window.sync.dialogs.asked.clear()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "不能写入" in dialog.message.text() and window.sync.dialogs.asked == []
    assert (database.stat().st_size, database.read_bytes()[:100]) == before
    window.sync.dialogs.answer = True
    _type_path(qtbot, dialog, existing)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已导出" in dialog.message.text(), timeout=20000)
    assert existing.read_bytes()[:16] == b"SQLite format 3\x00"


def test_an_export_with_a_poisoned_row_is_refused_in_the_dialog_naming_the_row(window, qtbot, demo_dir, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    from tests.core.sync.test_sync_support import tamper

    file = peer_export(window, demo_dir, tmp_path)
    connection = sqlite3.connect(file)
    inspection = connection.execute("SELECT max(id) FROM inspection").fetchone()[0]
    connection.close()
    poisoned = tamper(file, tmp_path / "poisoned.db",
                      ("UPDATE inspection SET updated_at = '9999-12-31T23:59:59.999999Z' WHERE id = ?", (inspection,)))
    database = window.services.db.path
    before = content_fingerprint(database)
    dialog = window.sync.open_merge()
    window.sync.dialogs.paths = [str(poisoned)]
    add = next(button for button in dialog.findChildren(QPushButton) if button.text().startswith("添加"))
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=20000)
    message = dialog.error.text()
    assert inspection in message and "updated_at" in message and "晚于导出时间" in message, message
    assert not dialog.merge_button.isEnabled() and content_fingerprint(database) == before
    snapshot(dialog, "sync-merge-poisoned-row.png")


def test_restoring_the_last_merge_undoes_it_row_for_row_with_clicks(window, qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    from inspector.core.sync.merge import merge_files
    from tests.core.sync.test_merge_undo import every_row
    from tests.core.sync.test_sync_support import Device

    other = Device(tmp_path / "other", "other")
    finding = other.finding(3, other.inspection(2, other.enterprise(1)))
    other.photo(4, finding, picture=2)
    database = window.services.db.path
    window.tasks.wait()
    before = every_row(database)
    count = window.inspections.model.rowCount()
    merge_files(database, [other.export()], backups_dir=window.services.paths.backups)  # the merge to undo
    window.refresh()
    qtbot.waitUntil(lambda: window.inspections.model.rowCount() == count + 1, timeout=10000)
    dialog = window.sync.open_backups()
    reasons = lambda: [dialog.model.index(r, 1).data() for r in range(dialog.model.rowCount())]  # noqa: E731
    qtbot.waitUntil(lambda: "合并前" in reasons(), timeout=10000)
    row = reasons().index("合并前")
    cell = dialog.table.visualRect(dialog.model.index(row, 0)).center()
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    restore = next(b for b in dialog.findChildren(QPushButton) if b.text() == "恢复…")
    with qtbot.waitSignal(dialog.restored, timeout=20000):
        qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
    assert "撤销" in window.sync.dialogs.asked[-1] and "other-export-1.db" in window.sync.dialogs.asked[-1]
    qtbot.waitUntil(lambda: window.inspections.model.rowCount() == count, timeout=10000)
    assert "已撤销合并" in dialog.message.text()
    window.tasks.wait()
    assert every_row(database) == before
    qtbot.waitUntil(lambda: "合并前" not in reasons(), timeout=10000)
    snapshot(dialog, "sync-undo-merge.png")


@pytest.fixture
def far_zone(monkeypatch):
    """The computer's clock set to a zone whose date differs from China's now (UTC-12 or UTC+14)."""
    import time
    from datetime import datetime

    from inspector.core.common.clock import CHINA_TZ

    zone = "Etc/GMT+12" if datetime.now(CHINA_TZ).hour < 20 else "Etc/GMT-14"  # POSIX signs are reversed
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    yield zone
    monkeypatch.undo()
    time.tzset()


def test_the_export_period_ends_on_the_apps_today_whatever_the_computers_zone(window, qtbot, far_zone):
    """The period offered is the last 30 days up to today in China (the day the app's records use),
    not the computer's own date: with the laptop's zone off, today's inspections were left out."""
    from datetime import timedelta

    from PySide6.QtCore import QDate, Qt

    from inspector.core.common.clock import local_today

    today = local_today()
    assert QDate.currentDate().toPython() != today  # the computer's date really is another day
    dialog = window.sync.open_export()
    qtbot.mouseClick(dialog.by_date, Qt.MouseButton.LeftButton)
    assert dialog.by_date.isChecked()
    assert (dialog.date_from.text(), dialog.date_to.text()) == ((today - timedelta(days=30)).isoformat(), today.isoformat())
    dialog.close()
