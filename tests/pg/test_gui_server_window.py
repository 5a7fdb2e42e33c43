"""The main window on the office database (PostgreSQL): every tab opens, the laptop-only banner and the
scheduled local backup stay away, and the 同步/工具 menus go to the server's functions — or, where a
server function is not in this build yet, say so in one sentence. The tests of the server functions
themselves skip until their modules (built elsewhere) are merged."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from tests.pg.test_gui_office_connection import shown_errors  # noqa: F401 - autouse: error boxes recorded, checked
from tests.ui.walkthrough.person import click, open_loaded_window, open_tab, type_text

ENTERPRISE = "兴国县宏达冷链物流有限公司"


class FakeDialogs:
    """The sync feature's file pickers and questions (the only dialogs a test cannot click through)."""

    def __init__(self):
        self.paths, self.save, self.asked = [], None, []

    def open_paths(self, parent):
        return self.paths

    def save_path(self, parent, suggested):
        return self.save

    def confirm(self, parent, title, text, verb=None):
        self.asked.append(text)
        return True

    def info(self, parent, title, text):
        self.asked.append(text)


@pytest.fixture
def server_services(pg_url, data_dir):
    from inspector.core.records.enterprises import create_enterprise
    from inspector.services import Services

    services = Services(data_dir, database_url=pg_url)
    create_enterprise(services.db, name=ENTERPRISE, address="兴国经济技术开发区平川大道8号")
    yield services
    services.close()


@pytest.fixture
def server_window(qtbot, server_services):
    window = open_loaded_window(qtbot, server_services)
    window.sync.dialogs = FakeDialogs()
    yield window
    window.tasks.wait()


@pytest.fixture
def boxes(monkeypatch):
    """Information and warning boxes (the check's answer), recorded instead of blocking."""
    shown: list[str] = []
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda parent, title, text, *a, **k: shown.append(text)))
    return shown


def test_every_tab_opens_on_the_server_and_the_window_says_which_database(qtbot, server_window, data_dir):
    window = server_window
    for index in range(window.tabs.count()):
        open_tab(qtbot, window.tabs, window.tabs.widget(index))
        qtbot.wait(300)
    window.tasks.wait()
    assert ENTERPRISE in [e.name for e in window.records.enterprises.model.rows]
    assert "办公室数据库" in window.status.text() and "办公室数据库" in window.windowTitle()
    assert window.sync.banner_bar.isHidden()  # "not yet exported" is a laptop's banner
    assert not (data_dir / "inspector.db").exists()  # nothing opened the local file behind the person's back
    window.tasks.wait()
    backups = list((data_dir / "backups").glob("*"))
    assert not [p for p in backups if p.suffix == ".db"]  # the laptop's scheduled file backup is not run...
    assert [p.name.endswith("-scheduled.dump") for p in backups] == [True]  # ...the office database's is


def test_the_export_dialog_lists_the_servers_enterprises(qtbot, server_window):
    dialog = server_window.sync.open_export()
    qtbot.waitUntil(lambda: dialog.enterprise.count() == 2, timeout=10000)
    assert dialog.enterprise.itemText(1) == ENTERPRISE


def test_backing_up_the_server_from_the_backups_dialog(qtbot, server_window):
    server_window.tasks.wait()  # the scheduled backup made on opening
    dialog = server_window.sync.open_backups()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=30000)
    [back_up] = [b for b in dialog.findChildren(QPushButton) if b.text() == "立即备份"]
    click(qtbot, back_up)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=30000)
    assert "已备份到" in dialog.message.text()
    assert [b.reason for b in dialog.model.rows] == ["manual", "scheduled"]


def test_exporting_from_the_server(qtbot, server_window, tmp_path):
    dialog = server_window.sync.open_export()
    out = tmp_path / "office.inspector"
    type_text(qtbot, dialog.path, str(out))
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled() and "导出" in dialog.message.text(), timeout=30000)
    assert out.is_file()


def test_merging_a_laptops_file_into_the_server(qtbot, server_window, demo_services, tmp_path):
    from inspector.core.sync.export import ExportOptions, export_database

    peer = export_database(demo_services.db.path, tmp_path / "laptop.inspector", ExportOptions()).path
    dialog = server_window.sync.open_merge()
    server_window.sync.dialogs.paths = [str(peer)]
    [add] = [b for b in dialog.findChildren(QPushButton) if b.text().startswith("添加")]
    click(qtbot, add)
    qtbot.waitUntil(lambda: dialog.merge_button.isEnabled(), timeout=30000)
    click(qtbot, dialog.merge_button)
    qtbot.waitUntil(lambda: dialog.report is not None and not dialog.report.dry_run, timeout=60000)
    with server_window.services.db.session() as session:
        from sqlalchemy import text

        count = session.execute(text("SELECT count(*) FROM inspection")).scalar_one()
    assert count > 0


def test_checking_the_office_database(qtbot, server_window, boxes):
    server_window.check_database()
    qtbot.waitUntil(lambda: bool(boxes), timeout=30000)
    assert boxes[0].startswith("办公室数据库完好") or "问题" in boxes[0]


def test_the_copied_folder_question_is_not_asked_on_the_server(server_services, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(server_services.paths.root, copy)
    from inspector.services import Services

    assert Services(copy, database_url=server_services.database_url).copied_data() is None
