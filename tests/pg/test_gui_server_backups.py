"""The office app connected to the server backs the office database up on its schedule, in the background,
and the backups dialog says when the last backup was made (by any office PC)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from inspector.core.sync.server_backups import list_server_backups
from inspector.core.sync.server_schedule import last_server_backup, run_scheduled_server_backup
from tests.pg.test_gui_office_connection import shown_errors  # noqa: F401 - autouse: error boxes recorded, checked
from tests.pg.test_gui_server_window import server_services, server_window  # noqa: F401 - fixtures
from tests.pg.test_server_scheduled_backups import backdate


def open_backups_from_the_menu(qtbot, window):
    """同步 → 备份…, clicked as a person would (the menu's action)."""
    menu = window.sync.menu
    [action] = [a for a in menu.actions() if a.text().replace("&", "").startswith("备份")]
    action.trigger()
    return window.sync.dialog


def test_opening_the_office_app_makes_the_due_backup_and_the_dialog_shows_it(qtbot, server_window, data_dir):
    window = server_window
    qtbot.waitUntil(lambda: last_server_backup(window.services.db) is not None, timeout=30000)
    window.tasks.wait()
    [made] = list_server_backups(data_dir / "backups")
    assert made.reason == "scheduled"
    dialog = open_backups_from_the_menu(qtbot, window)
    label = dialog.findChild(QLabel, "lastServerBackup")
    qtbot.waitUntil(lambda: "最近一次" in label.text(), timeout=10000)
    assert "定时" in label.text() and made.path.name in label.text()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10000)
    assert "按计划自动备份" in dialog.message.text()


def test_not_due_nothing_is_made_and_after_the_interval_the_timer_makes_one(qtbot, server_services, data_dir,
                                                                              tmp_path, request):
    elsewhere = tmp_path / "other-pc"
    assert run_scheduled_server_backup(server_services.db, elsewhere).status == "made"  # another office PC, today
    window = request.getfixturevalue("server_window")
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30000)  # the check on opening has reported
    assert list_server_backups(data_dir / "backups") == []  # not due: this PC made none
    backdate(server_services.db, 25)
    window.sync.timer.timeout.emit()  # the half-hourly check
    qtbot.waitUntil(lambda: len(list_server_backups(data_dir / "backups")) == 1, timeout=30000)
    window.tasks.wait()
    assert last_server_backup(server_services.db).file.startswith(str(data_dir))
