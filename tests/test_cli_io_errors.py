"""Issue 11 case 5: a full disk, a read-only medium or a failing device gives one Chinese sentence,
a non-zero exit, no English errno text and no "Exception ignored ... Traceback" output.

The real-disk tests mount a small tmpfs (root on Linux; skipped elsewhere); the others inject the
operating system's error in-process, so they run everywhere.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inspector.cli import main

ENGLISH = re.compile(r"[A-Za-z]{4,}")  # words of the OS or SQLite ("space", "device", "disk", "readonly")


def chinese_only(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), err
    assert "Traceback" not in err and "Exception ignored" not in err
    names = re.sub(r"(/|[A-Za-z]:\\)[^\s：（）]*|[\w.-]+\.(db|pdf|xlsx|csv)\b", "", lines[0])
    assert ENGLISH.findall(names) == [], err  # paths and file names removed, no English left


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KB tmpfs, filled to the last byte, unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root on Linux)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder: Path) -> None:
    handle = open(folder / "filler", "wb", buffering=0)
    try:
        while handle.write(b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        handle.close()


def run_process(*argv, env=None) -> subprocess.CompletedProcess:
    environment = dict(os.environ, **(env or {}))
    environment.pop("INSPECTOR_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "inspector", *map(str, argv)], capture_output=True, text=True,
                          env=environment, cwd=Path(__file__).resolve().parent.parent)


def first_inspection(data_dir) -> str:
    done = run_process("--data-dir", data_dir, "inspections", "--json")
    return json.loads(done.stdout)[0]["id"]


def test_ledger_on_a_full_disk_says_one_chinese_sentence(demo_dir, small_disk):
    first_inspection(demo_dir)  # the copied demo gets its own device id (one notice) before the test
    fill(small_disk)
    done = run_process("--data-dir", demo_dir, "ledger", "--out", small_disk / "l.xlsx",
                       env={"TMPDIR": str(small_disk)})  # openpyxl's own temporary files fail too
    assert done.returncode != 0
    chinese_only(done.stderr)
    assert "磁盘空间已满" in done.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_notice_on_a_full_disk_says_one_chinese_sentence(demo_dir, small_disk):
    inspection = first_inspection(demo_dir)
    fill(small_disk)
    done = run_process("--data-dir", demo_dir, "notice", inspection, "--kind", "record", "--out", small_disk / "n.pdf")
    assert done.returncode != 0 and "磁盘空间已满" in done.stderr
    chinese_only(done.stderr)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_demo_on_a_full_disk_says_one_chinese_sentence(small_disk):
    for size in (0, 1):  # full before the database exists, and full in the middle of the demo
        data = small_disk / f"data{size}"
        if size:
            (small_disk / "filler").unlink()
        done = run_process("--data-dir", data, "demo", "--inspections", "40")
        assert done.returncode != 0, done.stdout
        chinese_only(done.stderr)
        assert "内部错误" not in done.stderr and "磁盘空间已满" in done.stderr
        if not size:
            fill(small_disk)


def test_read_only_medium(demo_dir, tmp_path):
    medium = tmp_path / "usb"
    medium.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(medium)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root on Linux)")
    try:
        inspection = first_inspection(demo_dir)
        for command in (["notice", inspection, "--kind", "record", "--out", medium / "n.pdf"],
                        ["export", "--out", medium / "x.db"], ["ledger", "--out", medium / "l.csv"]):
            result = run_process("--data-dir", demo_dir, *command)
            assert result.returncode != 0
            chinese_only(result.stderr)
            assert "只读" in result.stderr or "无法打开" in result.stderr
        result = run_process("--data-dir", medium / "data", "inspections")
        assert result.returncode != 0 and "只读" in result.stderr
        chinese_only(result.stderr)
    finally:
        subprocess.run(["umount", "-l", str(medium)], capture_output=True)


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "磁盘空间已满"), (errno.EIO, "U 盘"),
                                         (errno.EACCES, "没有权限"), (errno.EROFS, "只读")])
def test_an_os_error_while_writing_is_one_chinese_sentence(capsys, demo_dir, tmp_path, monkeypatch, code, words):
    """The USB stick pulled (EIO), a permission problem, a full disk: injected at fsync, in-process."""
    capsys.readouterr()
    assert main(["--data-dir", str(demo_dir), "inspections", "--json"]) == 0
    inspection = json.loads(capsys.readouterr().out)[0]["id"]

    def failing_fsync(descriptor):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", failing_fsync)
    for command in (["notice", inspection, "--kind", "record", "--out", tmp_path / "n.pdf"],
                    ["ledger", "--out", tmp_path / "l.csv"], ["ledger", "--out", tmp_path / "l.xlsx"]):
        assert main(["--data-dir", str(demo_dir), *map(str, command)]) != 0
        err = capsys.readouterr().err
        chinese_only(err)
        assert words in err
    assert list(tmp_path.glob(".*")) == [] and not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("l.*"))


def test_an_unknown_os_error_names_its_code_not_english_text(capsys, tmp_path):
    from inspector.errors import describe_io_error

    text = describe_io_error(OSError(errno.ENOLINK, "Link has been severed"), tmp_path / "x.pdf", "写入")
    assert "Link" not in text and "ENOLINK" in text and text.startswith("无法写入")


def test_export_on_a_full_disk_leaves_local_meta_unchanged(demo_dir, small_disk):
    import sqlite3

    def meta():
        connection = sqlite3.connect(demo_dir / "inspector.db")
        try:
            return connection.execute("SELECT key, value FROM local_meta ORDER BY key").fetchall()
        finally:
            connection.close()

    assert run_process("--data-dir", demo_dir, "check").returncode == 0  # binds the device once
    before = meta()
    done = run_process("--data-dir", demo_dir, "export", "--out", small_disk / "x.db")
    assert done.returncode != 0 and "磁盘空间已满" in done.stderr
    chinese_only(done.stderr)
    assert meta() == before
    assert sorted(p.name for p in small_disk.iterdir()) == []
    shutil.rmtree(small_disk / "nothing", ignore_errors=True)
