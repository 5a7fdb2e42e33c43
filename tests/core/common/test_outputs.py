"""The one output helper: what it refuses, how it writes, what it cleans up after a killed run."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

from inspector.core.common import outputs
from inspector.core.common.outputs import (
    OutputFile,
    check_output,
    output_path,
    remove_leftovers,
    write_output,
)
from inspector.errors import OutputRefused, UserError


@pytest.fixture
def foreign_data_dir(tmp_path, services):
    """Another data directory (not the one in use): a real database, settings and a backup."""
    assert services.db.path.exists()  # creates the database
    other = tmp_path / "elsewhere"
    shutil.copytree(services.paths.root, other)
    (other / "settings.json").write_text("{}", encoding="utf-8")
    (other / "backups" / "backup-x.db").write_bytes((other / "inspector.db").read_bytes())
    return other


@pytest.mark.parametrize("name", ["inspector.db", "inspector.db-wal", "inspector.db-shm", "inspector.db-journal",
                                  "settings.json", "backups/backup-x.db", "backups/new.pdf", "backups"])
def test_any_data_directorys_files_are_refused_even_with_force(foreign_data_dir, name):
    with pytest.raises(OutputRefused, match="不能写入"):
        check_output(foreign_data_dir / name, force=True)


def test_a_data_directory_is_recognised_by_its_files_not_its_name(tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "inspector.db").write_bytes(b"not a database")  # someone's file of the same name: no data dir
    assert check_output(plain / "settings.json") == plain / "settings.json"
    assert outputs.is_data_dir(plain) is False


def test_our_database_under_any_name_is_refused_but_an_export_may_be_replaced(services, tmp_path):
    assert services.db.device_id
    copy = tmp_path / "report.pdf"
    shutil.copy(services.paths.database, copy)
    with pytest.raises(OutputRefused, match="数据库"):
        check_output(copy, force=True)
    connection = sqlite3.connect(copy)
    connection.execute("CREATE TABLE export_manifest (key TEXT, value TEXT)")
    connection.close()
    assert check_output(copy, force=True) == copy


def test_existing_files_need_consent_and_suffixes_must_match(tmp_path):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"mine")
    with pytest.raises(OutputRefused, match="已存在"):
        write_output(target, b"%PDF", "pdf")
    assert target.read_bytes() == b"mine"
    write_output(target, b"%PDF", "pdf", force=True)
    assert target.read_bytes() == b"%PDF"
    with pytest.raises(OutputRefused, match=r"\.xlsx 或 \.csv"):
        check_output(tmp_path / "l.txt", "ledger")


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with OutputFile(target, "pdf", force=True) as out:
            out.write(b"half")
            raise RuntimeError("renderer failed")
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]
    with pytest.raises(UserError, match="磁盘空间已满"):
        with output_path(tmp_path / "b.csv", "csv") as temporary:
            temporary.write_bytes(b"x")
            raise OSError(28, "No space left on device")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]


def test_writes_are_fsynced_and_renamed(tmp_path, monkeypatch):
    synced, renamed = [], []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    monkeypatch.setattr(os, "replace", lambda a, b: renamed.append((a, b)) or real_replace(a, b))
    write_output(tmp_path / "a.pdf", b"%PDF", "pdf")
    assert len(synced) == (2 if os.name == "posix" else 1)  # the file, then the folder
    [(temp, final)] = renamed
    assert str(final).endswith("a.pdf") and ".inspector-tmp" in str(temp)


def test_leftovers_of_killed_runs_are_removed_but_not_those_of_a_live_run(tmp_path):
    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    dead = tmp_path / f".a.pdf.{killed.pid}.0123abcd.inspector-tmp"
    live = tmp_path / f".b.pdf.{os.getpid()}.0123abcd.inspector-tmp"
    old_partial = tmp_path / ".x.db.89abcdef.partial"  # an export killed before this version
    young_partial = tmp_path / ".y.db.89abcdef.partial"
    mine = tmp_path / "notes.partial"
    for path in (dead, live, old_partial, young_partial, mine):
        path.write_bytes(b"x")
    day_ago = time.time() - 2 * outputs.OLD_TEMP_AGE
    os.utime(old_partial, (day_ago, day_ago))
    assert sorted(p.name for p in remove_leftovers(tmp_path)) == sorted([dead.name, old_partial.name])
    assert live.exists() and young_partial.exists() and mine.exists()


def test_start_up_removes_leftovers_in_the_data_directory_backups_and_export_folders(tmp_path, capsys):
    from inspector.cli import main

    data, usb = tmp_path / "data", tmp_path / "usb"
    usb.mkdir()
    assert main(["--data-dir", str(data), "export", "--out", str(usb / "sync.db")]) == 0
    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    leftovers = [folder / f".f.db.{killed.pid}.0123abcd.inspector-tmp" for folder in (data, data / "backups", usb)]
    for path in leftovers:
        path.write_bytes(b"\0" * 1000)
    assert main(["--data-dir", str(data), "inspections"]) == 0
    assert not any(path.exists() for path in leftovers)
