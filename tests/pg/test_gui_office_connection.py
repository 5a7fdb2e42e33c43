"""文件 → 连接办公室数据库 on a real PostgreSQL server, as a person does it: type into the dialog, test the
connection, connect; the window reopens on the server. A wrong password saves nothing; 断开 goes back to
the local file; a saved connection opens the GUI on the server at start."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from inspector.db.server import safe_url
from tests.pg.test_office_connection import MemoryKeyring, memory_keyring, office_url  # noqa: F401 - fixtures
from tests.ui.walkthrough.person import click, retype, type_text, window  # noqa: F401 - fixture

PASSWORD = "Pw-4-office"
SCREENS = Path(os.environ.get("INSPECTOR_SCREENS", "/work/notes/screens"))


# What the window may still show on the server until the core's SQLite-only queries are ported (the list in
# docs/office-postgresql.md): the database layer's one sentence. Anything else (a TypeError over a missing
# file path, an "Unexpected error") is the GUI's own failure.
SERVER_REFUSALS = ("办公室数据库读写失败：", "此功能目前只支持本机 SQLite 数据库", "本版本尚不能在办公室数据库上")


@pytest.fixture(autouse=True)
def shown_errors(monkeypatch):
    """Error boxes the windows show, recorded instead of blocking the test; checked after each test."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text, *a, **k: shown.append(text)))
    yield shown
    assert [text for text in shown if not text.startswith(SERVER_REFUSALS)] == []


@pytest.fixture
def seeded(office_url):
    """The office database with one enterprise of its own (set up as a first connection would)."""
    from inspector.core.records.enterprises import create_enterprise
    from inspector.db.database import Database

    db = Database.open_url(office_url, None, PASSWORD)
    create_enterprise(db, name="兴国县宏达冷链物流有限公司", address="兴国经济技术开发区平川大道8号")
    db.close()
    return office_url


def parts(url: str) -> dict:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return {"host": parsed.query["host"], "database": parsed.database, "user": parsed.username}


def open_dialog(qtbot, window):
    file_menu = window.menuBar().actions()[0].menu()
    [action] = [a for a in file_menu.actions() if a.text().replace("&", "").startswith("连接办公室数据库")]
    action.trigger()
    dialog = window.office_dialog
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def fill(qtbot, dialog, url: str, password: str) -> None:
    values = parts(url)
    type_text(qtbot, dialog.host, values["host"])
    retype(qtbot, dialog.port, "5432")
    type_text(qtbot, dialog.database, values["database"])
    type_text(qtbot, dialog.user, values["user"])
    type_text(qtbot, dialog.password, password)


def settings_of(data_dir: Path) -> dict:
    path = data_dir / "settings.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def no_file_holds(data_dir: Path, secret: str) -> None:
    for path in data_dir.rglob("*"):
        assert not path.is_file() or secret.encode() not in path.read_bytes(), path


def snapshot(widget, name: str) -> None:
    if SCREENS.parent.is_dir():
        SCREENS.mkdir(exist_ok=True)
        widget.grab().save(str(SCREENS / name))


def replacement_of(qtbot, window):
    qtbot.waitUntil(lambda: getattr(window, "replacement", None) is not None, timeout=20000)
    new = window.replacement
    qtbot.addWidget(new)
    return new


def test_typing_the_connection_testing_and_connecting_reopens_the_window_on_the_server(
        qtbot, window, seeded, data_dir, memory_keyring):
    assert "兴国县宏达冷链物流有限公司" not in [e.name for e in window.records.enterprises.model.rows]
    dialog = open_dialog(qtbot, window)
    fill(qtbot, dialog, seeded, PASSWORD)
    click(qtbot, dialog.test_button)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=20000)
    assert "连接成功" in dialog.message.text(), dialog.message.text()
    assert settings_of(data_dir).get("office_database") is None  # testing saves nothing
    snapshot(dialog, "office-connection-dialog.png")
    click(qtbot, dialog.connect_button)
    new = replacement_of(qtbot, window)
    qtbot.waitUntil(lambda: "兴国县宏达冷链物流有限公司" in [e.name for e in new.records.enterprises.model.rows],
                    timeout=20000)
    assert new.services.db.backend == "postgresql" and new.services.db.path is None
    assert not window.isVisible()
    saved = settings_of(data_dir)["office_database"]
    assert PASSWORD not in saved and parts(saved) == parts(seeded)
    assert list(memory_keyring.items.values()) == [PASSWORD]
    no_file_holds(data_dir, PASSWORD)
    assert parts(seeded)["database"] in new.windowTitle()
    qtbot.waitUntil(lambda: "办公室数据库" in new.status.text())
    from urllib.parse import unquote

    assert unquote(safe_url(saved)) in new.status.text() and PASSWORD not in new.status.text()


def test_a_wrong_password_is_one_sentence_and_nothing_is_saved(qtbot, window, seeded, data_dir, memory_keyring):
    dialog = open_dialog(qtbot, window)
    fill(qtbot, dialog, seeded, "wrong-secret")
    click(qtbot, dialog.connect_button)
    qtbot.waitUntil(lambda: dialog.connect_button.isEnabled(), timeout=20000)
    text = dialog.message.text()
    assert text.startswith("无法连接办公室数据库") and "用户名或密码不正确" in text, text
    assert "wrong-secret" not in text and text.count("。") == 1
    assert dialog.isVisible() and getattr(window, "replacement", None) is None
    assert "office_database" not in settings_of(data_dir) and memory_keyring.items == {}


def test_without_a_keyring_connecting_with_a_password_is_refused_with_the_hint(qtbot, window, seeded, data_dir):
    from keyring.backends.fail import Keyring as NoKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        dialog = open_dialog(qtbot, window)
        fill(qtbot, dialog, seeded, PASSWORD)
        click(qtbot, dialog.connect_button)
        qtbot.waitUntil(lambda: dialog.connect_button.isEnabled(), timeout=20000)
    finally:
        keyring.set_keyring(previous)
    assert "PGPASSWORD" in dialog.message.text()
    assert "office_database" not in settings_of(data_dir)
    assert getattr(window, "replacement", None) is None


def answer(qtbot, button_text: str, seen: list[str]) -> None:
    """Click the button of the next message box (a modal question) whose text starts with ``button_text``."""
    def act():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, act)
            return
        seen.append(box.text())
        [button] = [b for b in box.findChildren(QPushButton) if b.text().replace("&", "").startswith(button_text)]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)


def test_disconnecting_goes_back_to_the_local_file_and_forgets_the_password(
        qtbot, window, seeded, data_dir, memory_keyring):
    dialog = open_dialog(qtbot, window)
    fill(qtbot, dialog, seeded, PASSWORD)
    click(qtbot, dialog.connect_button)
    on_server = replacement_of(qtbot, window)
    qtbot.waitUntil(lambda: on_server.records.enterprises.model.rowCount() == 1, timeout=20000)
    file_menu = on_server.menuBar().actions()[0].menu()
    [forget] = [a for a in file_menu.actions() if a.text().replace("&", "").startswith("断开办公室数据库")]
    seen: list[str] = []
    answer(qtbot, "断开", seen)
    forget.trigger()
    local = replacement_of(qtbot, on_server)
    assert seen and safe_url(seeded) in seen[0].replace("\n", "")
    assert local.services.database_url is None and local.services.db.backend == "sqlite"
    qtbot.waitUntil(lambda: "数据文件夹" in local.status.text(), timeout=20000)
    assert settings_of(data_dir)["office_database"] is None and memory_keyring.items == {}
    assert "兴国县宏达冷链物流有限公司" not in [e.name for e in local.records.enterprises.model.rows]


def test_a_saved_connection_opens_the_window_on_the_server(qtbot, seeded, data_dir, memory_keyring, monkeypatch):
    from inspector.cli import main
    from inspector.db import office_link
    from inspector.services import Services
    from inspector.ui.application import open_main_window

    services = Services(data_dir)
    office_link.save(services.settings, seeded, PASSWORD)  # what 连接 (or `inspector office connect`) kept
    services.close()
    opened = []

    def run(chosen):  # instead of the event loop: the window the program would show
        window = open_main_window(chosen)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.records.enterprises.model.rowCount() == 1, timeout=20000)
        opened.append(window)
        window.resize(1366, 768)
        snapshot(window, "office-main-window.png")
        window.close()
        window.tasks.wait()
        return 0

    monkeypatch.setattr("inspector.ui.application.run", run)
    assert main(["--data-dir", str(data_dir)]) == 0
    [window] = opened
    assert window.services.db.backend == "postgresql"
    assert [e.name for e in window.records.enterprises.model.rows] == ["兴国县宏达冷链物流有限公司"]
    assert "办公室数据库" in window.status.text() and PASSWORD not in window.status.text()
    assert not (data_dir / "inspector.db").exists()  # nothing silently fell back to the local file


@pytest.mark.parametrize("change, reason", [
    (lambda url: url.replace("/t_", "/missing_t_"), "该数据库不存在，请检查数据库名"),
    (lambda url: url.replace("clerk@", "nobody@"), "该用户不存在，请检查用户名"),
])
def test_what_the_server_refuses_is_worded_for_the_person(office_url, change, reason):
    from inspector.errors import UserError
    from inspector.ui.setup.office_connection_dialog import probe_office

    with pytest.raises(UserError) as refused:
        probe_office(change(office_url), PASSWORD)
    assert refused.value.message.endswith(f"：{reason}。") and PASSWORD not in refused.value.message


def test_connecting_to_another_server_database_takes_the_old_password_out_of_the_keyring(
        qtbot, window, seeded, pg_cluster, data_dir, memory_keyring):
    import psycopg

    other = pg_cluster.create_database()
    with psycopg.connect(host=str(pg_cluster.socket_dir), port=5432, user="postgres", dbname="postgres",
                         autocommit=True) as connection:
        connection.execute(f'ALTER DATABASE "{parts(other)["database"]}" OWNER TO clerk')
    other = other.replace("postgres@", "clerk@")
    dialog = open_dialog(qtbot, window)
    fill(qtbot, dialog, seeded, PASSWORD)
    click(qtbot, dialog.connect_button)
    first = replacement_of(qtbot, window)
    dialog = open_dialog(qtbot, first)
    assert dialog.database.text() == parts(seeded)["database"]  # the saved connection fills the dialog
    retype(qtbot, dialog.database, parts(other)["database"])
    type_text(qtbot, dialog.password, PASSWORD)
    click(qtbot, dialog.connect_button)
    second = replacement_of(qtbot, first)
    qtbot.waitUntil(lambda: "办公室数据库" in second.status.text(), timeout=20000)
    assert parts(settings_of(data_dir)["office_database"]) == parts(other)
    assert [parts(url)["database"] for _, url in memory_keyring.items] == [parts(other)["database"]]
