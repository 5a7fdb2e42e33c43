"""The office connection without a server: start-up when the server does not answer (one sentence, the
choice of the local file, never a silent switch), the dialog's encryption fields, the URL it builds.
The tests against a real server are in tests/pg/test_gui_office_connection.py."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from inspector.ui.application import create_application
from inspector.ui.setup.office_text import OfficeFields
from tests.ui.walkthrough.person import click, press, type_text, window  # noqa: F401 - fixture

NOBODY = "postgresql+psycopg://clerk@127.0.0.1:1/inspector_office"  # port 1: refused at once


def answer(qtbot, button_text: str, seen: list[str], then: str | None = None) -> None:
    """Click ``button_text`` in the next question box (then ``then`` in the one after it)."""
    def act():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.property("answered"):
            QTimer.singleShot(20, act)
            return
        seen.append(box.text())
        box.setProperty("answered", True)
        [button] = [b for b in box.findChildren(QPushButton) if b.text().replace("&", "") == button_text]
        if then:
            answer(qtbot, then, seen)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)


@pytest.fixture
def saved_unreachable(data_dir):
    (data_dir / "settings.json").write_text(json.dumps({"office_database": NOBODY}), encoding="utf-8")
    return data_dir


def run_main(monkeypatch, data_dir) -> tuple[int, list]:
    """``inspector --data-dir DIR`` up to the window (the window's own event loop replaced by a record)."""
    from inspector.cli import main

    opened = []
    monkeypatch.setattr("inspector.ui.application.run", lambda services: opened.append(services) or 0)
    return main(["--data-dir", str(data_dir)]), opened


def test_an_unreachable_server_at_start_offers_the_local_file(qtbot, saved_unreachable, monkeypatch):
    create_application()
    seen: list[str] = []
    answer(qtbot, "打开本机数据库", seen)
    code, opened = run_main(monkeypatch, saved_unreachable)
    assert code == 0 and len(seen) == 1
    sentence = seen[0].split("\n")[0]
    assert sentence.startswith("无法连接办公室数据库 postgresql+psycopg://clerk@127.0.0.1:1/inspector_office：")
    assert "拒绝连接" in sentence and "Traceback" not in seen[0]
    assert "本机的数据库文件" in seen[0]
    [services] = opened
    assert services.database_url is None  # the person chose the local file; the window opens on it
    assert json.loads((saved_unreachable / "settings.json").read_text(encoding="utf-8"))["office_database"] == NOBODY


def test_quitting_at_the_unreachable_question_opens_nothing(qtbot, saved_unreachable, monkeypatch):
    create_application()
    seen: list[str] = []
    answer(qtbot, "退出", seen)
    code, opened = run_main(monkeypatch, saved_unreachable)
    assert code == 3 and seen and opened == []
    assert not (saved_unreachable / "inspector.db").exists()  # never a silent switch to the local file


def test_the_ca_file_is_chosen_only_for_verify_full_and_goes_into_the_url(qtbot, window, tmp_path):
    ca = tmp_path / "office-ca.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
    dialog = window.office_database()
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.ca_button.isEnabled()
    dialog.pick_ca_file = lambda: str(ca)  # the system's file chooser
    dialog.sslmode.setFocus()
    press(qtbot, dialog.sslmode, Qt.Key.Key_End)  # verify-full: the last choice
    assert dialog.ca_button.isEnabled()
    click(qtbot, dialog.ca_button)
    type_text(qtbot, dialog.host, "db-server")
    type_text(qtbot, dialog.database, "inspector_office")
    type_text(qtbot, dialog.user, "clerk")
    url = dialog.fields().url()
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    assert (parsed.host, parsed.port, parsed.database, parsed.username) == ("db-server", 5432, "inspector_office", "clerk")
    assert dict(parsed.query) == {"sslmode": "verify-full", "sslrootcert": str(ca)}
    assert OfficeFields.from_url(url) == dialog.fields()


def test_the_connection_is_typed_field_after_field_with_tab(qtbot, window):
    """服务器, 端口, 数据库, 用户, 密码 typed in the order shown, moving on with Tab alone."""
    dialog = window.office_database()
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.host.setFocus()
    for text in ("db-server", "6543", "inspector_office", "clerk", "secret"):
        focused = QApplication.focusWidget()
        if text.isdigit():  # the port box: replace its 5432
            qtbot.keyClick(focused, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(qtbot, focused, text)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.sslmode
    fields = dialog.fields()
    assert (fields.host, fields.port, fields.database, fields.user) == ("db-server", 6543, "inspector_office", "clerk")
    assert dialog.password.text() == "secret"


def test_an_empty_field_is_named_before_anything_is_tried(qtbot, window):
    dialog = window.office_database()
    qtbot.waitUntil(dialog.isVisible)
    type_text(qtbot, dialog.host, "db-server")
    click(qtbot, dialog.test_button)
    assert dialog.message.text() == "请填写数据库名。"
    assert dialog.test_button.isEnabled()


def test_disconnecting_without_a_connection_says_so(qtbot, window, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda parent, title, text: told.append(text)))
    window.office_database(forget=True)
    assert told == ["未连接办公室数据库，本机使用自己的数据库文件。"]


def test_the_url_for_a_socket_folder_and_the_default_encryption():
    fields = OfficeFields("/run/postgresql", 5433, "inspector_office", "clerk")
    assert fields.url() == "postgresql+psycopg://clerk@/inspector_office?host=%2Frun%2Fpostgresql&port=5433"
    assert OfficeFields.from_url(fields.url()) == fields



def test_trying_again_asks_again_when_the_server_still_does_not_answer(qtbot, saved_unreachable, monkeypatch):
    create_application()
    seen: list[str] = []
    answer(qtbot, "重试", seen, then="打开本机数据库")
    code, opened = run_main(monkeypatch, saved_unreachable)
    assert code == 0 and len(seen) == 2 and seen[0] == seen[1]
    assert opened[0].database_url is None
