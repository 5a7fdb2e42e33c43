"""The set-up explains itself: one line per step, its own sentence when it must stop, no display for commands."""

from __future__ import annotations

import configparser
import subprocess
import sys

import pytest

from inspector import bootstrap
from inspector.paths import resources_dir


@pytest.fixture
def no_setup(monkeypatch):
    """Stand-ins for the slow steps; records the commands bootstrap would hand over to."""
    ran: list[list[str]] = []
    monkeypatch.setattr(bootstrap, "missing_system_packages", lambda: [])
    monkeypatch.setattr(bootstrap, "create_venv", lambda: None)
    monkeypatch.setattr(bootstrap, "install_project", lambda extras="test": False)
    monkeypatch.setattr(bootstrap.os, "chdir", lambda path: None)
    monkeypatch.setattr(bootstrap.subprocess, "run",
                        lambda cmd, **kw: ran.append(list(cmd)) or subprocess.CompletedProcess(cmd, 0))
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(bootstrap.sys, "platform", "linux")
    return ran


def test_a_command_needs_no_display(no_setup, capsys, tmp_path):
    assert bootstrap.main(["run", "--data-dir", str(tmp_path), "demo"]) == 0
    assert no_setup[-1][-4:] == ["inspector", "--data-dir", str(tmp_path), "demo"]
    assert "display" not in capsys.readouterr().out.lower()


def test_the_window_without_a_display_stops_with_one_sentence(no_setup, capsys, tmp_path):
    assert bootstrap.main(["run", "--data-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert not no_setup, "Qt must not be started only to fail"
    assert out.count("\n") == 1 and "No display found" in out and "xvfb-run -a python3 -m inspector.bootstrap run" in out
    assert "libxcb" not in out


def test_missing_libraries_without_root_name_the_exact_command(no_setup, monkeypatch, capsys):
    monkeypatch.setattr(bootstrap, "missing_system_packages", lambda: ["libcups2", "libxcb-icccm4"])
    monkeypatch.setattr(bootstrap, "root_prefix", lambda: None)
    monkeypatch.setattr(bootstrap.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setenv("DISPLAY", ":0")
    assert bootstrap.main(["run"]) == 1
    out = capsys.readouterr().out
    assert "sudo apt-get install libcups2 libxcb-icccm4" in out and out.count("\n") == 1
    assert not no_setup
    # a command that needs no Qt goes on, with a note
    assert bootstrap.main(["run", "verify", "x.pdf"]) == 0
    assert no_setup[-1][-2:] == ["verify", "x.pdf"]


def test_apt_runs_quietly_one_line_per_step(monkeypatch, capsys, tmp_path):
    logged: list[list[str]] = []
    monkeypatch.setattr(bootstrap, "LOG", tmp_path / "bootstrap.log")
    monkeypatch.setattr(bootstrap, "root_prefix", lambda: [])
    monkeypatch.setattr(bootstrap.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(bootstrap, "log_step",
                        lambda title, cmd, env=None: logged.append(cmd) or subprocess.CompletedProcess(cmd, 0))
    bootstrap.apt_install(["libcups2", "libwayland-cursor0"])
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "2 Debian packages" in out and "done" in out
    assert logged[-1][:3] == ["apt-get", "install", "-y"] and logged[-1][-2:] == ["libcups2", "libwayland-cursor0"]


def test_log_step_sends_the_output_to_the_log(monkeypatch, capfd, tmp_path):
    monkeypatch.setattr(bootstrap, "LOG", tmp_path / "build" / "bootstrap.log")
    bootstrap.log_step("echo", [sys.executable, "-c", "print('x' * 5 + ' 280 dpkg lines')"])
    assert capfd.readouterr().out == ""
    assert "xxxxx 280 dpkg lines" in (tmp_path / "build" / "bootstrap.log").read_text()


def test_print_and_wayland_libraries_are_installed():
    assert bootstrap.QT_SYSTEM_LIBS["libcups.so.2"] == "libcups2"
    assert bootstrap.QT_SYSTEM_LIBS["libwayland-cursor.so.0"] == "libwayland-cursor0"
    assert {"libxcb-icccm4", "libxcb-keysyms1"} <= set(bootstrap.QT_SYSTEM_LIBS.values())


@pytest.mark.parametrize("args, window", [
    ([], True), (["--data-dir", "demo"], True), (["--data-dir=/x"], True), (["demo"], False),
    (["--data-dir", "/x", "export", "-o", "a"], False), (["--version"], False), (["-h"], False),
])
def test_which_arguments_open_the_window(args, window):
    assert bootstrap.opens_window(args) is window


def test_version_prints_program_and_schema_version():
    from inspector import __version__
    from inspector.db.migrations import latest_version

    done = subprocess.run([sys.executable, "-m", "inspector", "--version"], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.strip() == f"inspector {__version__} (database schema {latest_version()})"


def test_desktop_entry_and_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(resources_dir() / "inspector.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Name[zh_CN]"] == "安全生产检查" and desktop["Exec"] == "inspector"
    assert (resources_dir() / "icons" / f"{desktop['Icon']}.png").is_file()
    assert desktop["StartupWMClass"] == "Inspector"


def test_the_application_names_its_desktop_file(qapp):
    from inspector.ui.application import create_application

    app = create_application()
    assert app.desktopFileName() == "inspector"
    assert not app.windowIcon().isNull()
