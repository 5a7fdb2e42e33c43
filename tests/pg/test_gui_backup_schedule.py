"""同步 → 备份…: office staff type how often the scheduled backup runs and how many automatic backups are kept,
press 保存计划, and the schedule is kept where it is read — in the office database (so every office PC and the
server's timer run it) or, on a laptop, in this computer's settings. Bad input: one sentence, nothing saved."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from inspector.core.sync.backup_schedule import INTERVAL_SENTENCE, KEEP_SENTENCE, KEY, read_schedule
from inspector.core.sync.server_backups import list_server_backups
from inspector.ui.sync import server_schedule
from tests.pg.office_cli import run
from tests.pg.test_gui_office_connection import shown_errors  # noqa: F401 - autouse: error boxes recorded, checked
from tests.pg.test_gui_server_backups import open_backups_from_the_menu
from tests.pg.test_gui_server_window import FakeDialogs
from tests.pg.test_server_scheduled_backups import backdate
from tests.ui.walkthrough.person import click, open_loaded_window, press, retype


@pytest.fixture
def office(any_url, data_dir):
    """Services on a laptop's file (the data folder's) or on a server database."""
    from inspector.services import Services

    services = Services(data_dir, database_url=None if any_url.startswith("sqlite") else any_url)
    yield services
    services.close()


@pytest.fixture
def window(qtbot, office):
    window = open_loaded_window(qtbot, office)
    window.sync.dialogs = FakeDialogs()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30000)  # the check on opening (a first backup)
    yield window
    window.tasks.wait()


def schedule_row(qtbot, window):
    dialog = open_backups_from_the_menu(qtbot, window)
    row = dialog.schedule
    qtbot.waitUntil(row.button.isEnabled, timeout=10000)  # the stored schedule is shown
    return row


def stored(office, data_dir) -> dict:
    """What is kept, read straight from where it lives (the server's row, or settings.json on disk)."""
    if office.database_url:
        with office.db.engine.connect() as connection:
            value = connection.execute(text("SELECT value FROM local_meta WHERE key = :k"), {"k": KEY}).scalar()
        return {} if value is None else {k: v for k, v in json.loads(value).items() if k != "host"}
    path = data_dir / "settings.json"
    settings = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {k: settings[s] for k, s in (("interval_hours", "backup_interval_hours"), ("keep", "backups_keep"))
            if s in settings}


def cli_options(office, data_dir) -> list[str]:
    return ["--data-dir", str(data_dir)] + (["--database", office.database_url] if office.database_url else [])


def test_typed_schedule_is_kept_where_the_scheduled_backup_reads_it(qtbot, window, office, data_dir, tmp_path,
                                                                    capsys):
    row = schedule_row(qtbot, window)
    assert (row.interval.text(), row.keep.text()) == ("24", "10")  # the defaults, nothing saved yet
    assert stored(office, data_dir) == {}
    retype(qtbot, row.interval, "12")
    retype(qtbot, row.keep, "14")
    click(qtbot, row.button)
    qtbot.waitUntil(lambda: row.status.text().startswith("已保存"), timeout=10000)
    assert stored(office, data_dir) == {"interval_hours": 12.0, "keep": 14}
    assert (row.interval.text(), row.keep.text()) == ("12", "14")
    # the scheduled backup run by the CLI (the server's timer, or the laptop's task) follows it
    code, out, _ = run(capsys, *cli_options(office, data_dir), "backup", "scheduled")
    assert code == 0 and "间隔 12 小时" in out
    if office.database_url:  # another office PC (its own data folder, no settings of its own) runs the same
        from inspector.services import Services

        other = Services(tmp_path / "other-pc", database_url=office.database_url)
        try:
            schedule = read_schedule(other.db, other.settings)
        finally:
            other.close()
        assert (schedule.interval_hours, schedule.keep, schedule.shared) == (12.0, 14, True)
        assert "所有办公室电脑" in row.status.text() or "every office PC" in row.status.text()


@pytest.mark.parametrize("any_url", ["postgresql"], indirect=True)  # the office database's schedule
def test_the_window_backs_up_after_the_interval_typed_in_the_dialog(qtbot, window, office, data_dir, monkeypatch):
    [first] = list_server_backups(data_dir / "backups")  # made on opening: no backup existed
    row = schedule_row(qtbot, window)
    retype(qtbot, row.interval, "6")
    press(qtbot, row.keep, Qt.Key.Key_Return)  # Return in the keep field saves too
    qtbot.waitUntil(lambda: row.status.text().startswith("已保存"), timeout=10000)
    backdate(office.db, 7)  # 7 hours ago: due under 6 hours, not under the default 24
    runs = []  # what the window's scheduled check decided (the real task, its result noted)
    real_task = server_schedule.scheduled_server_backup_task
    monkeypatch.setattr(server_schedule, "scheduled_server_backup_task",
                        lambda services: runs.append(real_task(services)) or runs[-1])
    window.sync.timer.timeout.emit()  # the half-hourly check
    # pg_dump of the office database: under a busy disk (other jobs' fsyncs) it can take a while
    qtbot.waitUntil(lambda: bool(runs), timeout=120000)
    assert runs[0].status == "made", runs[0]
    window.tasks.wait()
    backups = list_server_backups(data_dir / "backups")
    # Return in the field saved the schedule only: it did not also press the dialog's 立即备份 (a manual backup)
    assert [b.reason for b in backups] == ["scheduled", "scheduled"] and first in backups


def test_keys_typed_before_the_stored_schedule_arrives_are_kept_and_saved(qtbot, window, office, data_dir,
                                                                         monkeypatch):
    import threading

    release = threading.Event()
    real_read = server_schedule.read_schedule_task
    monkeypatch.setattr(server_schedule, "read_schedule_task",
                        lambda services: release.wait(30) and real_read(services))  # the server answers late
    dialog = open_backups_from_the_menu(qtbot, window)
    row = dialog.schedule
    retype(qtbot, row.interval, "8")  # a person types at once, before the stored schedule is shown
    release.set()
    qtbot.waitUntil(row.button.isEnabled, timeout=10000)
    assert row.interval.text() == "8"  # not replaced by the stored 24
    click(qtbot, row.button)
    qtbot.waitUntil(lambda: row.status.text().startswith("已保存"), timeout=10000)
    assert stored(office, data_dir) == {"interval_hours": 8.0, "keep": 10}


@pytest.mark.parametrize("interval, keep, sentence", [
    ("abc", "10", INTERVAL_SENTENCE), ("-1", "10", INTERVAL_SENTENCE), ("十二", "10", INTERVAL_SENTENCE),
    ("721", "10", INTERVAL_SENTENCE), ("nan", "10", INTERVAL_SENTENCE), ("", "10", INTERVAL_SENTENCE),
    ("24", "0", KEEP_SENTENCE), ("24", "2.5", KEEP_SENTENCE), ("24", "", KEEP_SENTENCE),
])
def test_bad_input_is_one_sentence_and_nothing_is_saved(qtbot, window, office, data_dir, interval, keep, sentence):
    row = schedule_row(qtbot, window)
    retype(qtbot, row.interval, interval)
    retype(qtbot, row.keep, keep)
    click(qtbot, row.button)
    assert row.status.text() == sentence
    window.tasks.wait()
    assert stored(office, data_dir) == {}
    assert row.button.isEnabled()


def test_the_cli_shows_and_sets_the_same_schedule(office, data_dir, capsys):
    options = cli_options(office, data_dir)
    code, out, _ = run(capsys, *options, "backup", "schedule")
    assert code == 0 and "每 24 小时备份一次，自动备份保留最新 10 份" in out
    code, out, _ = run(capsys, *options, "backup", "schedule", "--interval-hours", "8", "--keep", "5")
    assert code == 0 and out.startswith("已保存。") and "每 8 小时" in out
    assert stored(office, data_dir) == {"interval_hours": 8.0, "keep": 5}
    code, out, err = run(capsys, *options, "backup", "schedule", "--keep", "0")
    assert code == 1 and out == "" and err.strip() == f"错误：{KEEP_SENTENCE}"
    assert stored(office, data_dir) == {"interval_hours": 8.0, "keep": 5}
    code, out, _ = run(capsys, *options, "backup", "schedule", "--interval-hours", "0")  # off, keep unchanged
    assert code == 0 and "不定时备份" in out and stored(office, data_dir) == {"interval_hours": 0.0, "keep": 5}
