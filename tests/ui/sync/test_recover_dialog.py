"""A database that cannot be opened: the window offers its backups, and a click restores one.

The unusable file is kept in the backups folder byte for byte; nothing is restored without the click;
a file from a newer release is not offered a restore (the app must be upgraded instead).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from inspector.ui.application import create_application, open_main_window

LEFT = Qt.MouseButton.LeftButton


def _damage(path: Path) -> bytes:
    data = bytearray(path.read_bytes())
    for offset in range(40960, len(data), 8192):  # every page after the first few: the schema's among them
        data[offset:offset + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))
    return bytes(data)


def _count(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM inspection").fetchone()[0]
    finally:
        connection.close()


@pytest.fixture
def damaged(demo_dir):
    from inspector.core.sync.backups import create_backup

    database = demo_dir / "inspector.db"
    inspections = _count(database)
    create_backup(database, demo_dir / "backups", "manual")
    for companion in ("-wal", "-shm"):
        database.with_name(database.name + companion).unlink(missing_ok=True)
    return demo_dir, _damage(database), inspections


def _open(qtbot, data_dir: Path):
    from inspector.services import Services

    create_application()
    services = Services(data_dir)
    window = open_main_window(services)
    qtbot.addWidget(window)
    window.show()
    return window, services


def _dialog(qtbot, window):
    qtbot.waitUntil(lambda: getattr(window, "recover_dialog", None) is not None
                    and window.recover_dialog.model.rowCount() > 0, timeout=10000)
    return window.recover_dialog


def test_a_click_restores_the_newest_backup_and_keeps_the_damaged_file(qtbot, damaged, monkeypatch):
    data_dir, damaged_bytes, inspections = damaged
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: pytest.fail(f"no dead end expected: {a[1:]}"))
    window, services = _open(qtbot, data_dir)
    dialog = _dialog(qtbot, window)
    assert dialog.isVisible() and "已损坏" in dialog.message.text()
    assert dialog.table.currentIndex().row() == 0  # the newest backup, chosen already
    with qtbot.waitSignal(window.data_loaded, timeout=20000):
        qtbot.mouseClick(dialog.restore_button, LEFT)
    qtbot.waitUntil(lambda: window.inspections.model.rowCount() == inspections, timeout=10000)
    assert window.isVisible() and not dialog.isVisible()
    kept = [p for p in (data_dir / "backups").iterdir() if p.name.startswith("unusable-") and p.suffix == ".db"]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes
    assert str(kept[0].name) in window.status.text() or kept[0].name in window.recover_note
    services.close()
    assert _count(data_dir / "inspector.db") == inspections


def test_quit_restores_nothing_and_closes_the_window(qtbot, damaged):
    data_dir, damaged_bytes, _ = damaged
    window, services = _open(qtbot, data_dir)
    dialog = _dialog(qtbot, window)
    with qtbot.waitSignal(window.data_unavailable, timeout=5000):
        qtbot.mouseClick(dialog.quit_button, LEFT)
    assert not window.isVisible()
    assert (data_dir / "inspector.db").read_bytes() == damaged_bytes
    assert not [p for p in (data_dir / "backups").iterdir() if p.name.startswith("unusable-")]
    services.close()


def test_a_file_of_a_newer_release_is_not_offered_a_restore(qtbot, damaged, monkeypatch):
    from inspector.db import migrations

    data_dir, _, _ = damaged
    database = data_dir / "inspector.db"
    database.unlink()
    connection = sqlite3.connect(database)
    connection.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    connection.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    connection.execute("CREATE TABLE future (id TEXT)")
    connection.close()
    before = database.read_bytes()
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    window, services = _open(qtbot, data_dir)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "更新版本" in shown[0] and getattr(window, "recover_dialog", None) is None
    assert database.read_bytes() == before
    services.close()
