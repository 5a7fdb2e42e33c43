"""A killed merge leaves the database as it was or fully merged, and sound; a killed or starved
export leaves no file that looks finished."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inspector.core.sync.integrity import check_database
from inspector.core.sync.merge import merge_files
from inspector.core.sync.status import content_fingerprint
from inspector.core.sync.verify import verify_export

MERGE = "import sys\nfrom inspector.core.sync.merge import merge_files\nmerge_files(sys.argv[1], [sys.argv[2]])\n"
EXPORT = "import sys\nfrom inspector.core.sync.export import export_database\nexport_database(sys.argv[1], sys.argv[2])\n"


def start(code: str, *args, **env: str) -> subprocess.Popen:
    environment = dict(os.environ) | env
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def scene(tmp_path_factory, demo_template):
    """The local demo database, an export of a different demo, and the fingerprints before and after merging it."""
    from inspector.core.demo.generate import build_demo
    from inspector.core.sync.export import export_database
    from inspector.services import Services

    folder = tmp_path_factory.mktemp("kill")
    services = Services(folder / "peer")
    build_demo(services.db, services.checklists.checklists, seed=21, inspections=6)
    services.close()
    incoming = folder / "peer-export.db"
    export_database(folder / "peer" / "inspector.db", incoming)
    merged = folder / "merged"
    shutil.copytree(demo_template, merged)
    before = content_fingerprint(merged / "inspector.db")
    merge_files(merged / "inspector.db", [incoming])
    return incoming, before, content_fingerprint(merged / "inspector.db")


def assert_sound(database: Path) -> None:
    assert check_database(database) == []
    connection = sqlite3.connect(database)
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.close()


@pytest.mark.parametrize("point", ["after_enterprise", "after_photo", "before_commit"])
def test_a_merge_killed_inside_its_transaction_leaves_the_database_as_it_was(point, demo_dir, scene):
    incoming, before, after = scene
    database = demo_dir / "inspector.db"
    process = start(MERGE, database, incoming, INSPECTOR_TEST_KILL_MERGE=point)
    process.communicate(timeout=120)
    assert process.returncode == 86  # the hook really fired inside the transaction
    assert content_fingerprint(database) == before
    assert_sound(database)
    merge_files(database, [incoming])
    assert content_fingerprint(database) == after


@pytest.mark.parametrize("delay", [0.1, 0.25, 0.4])
def test_a_merge_killed_at_any_moment_leaves_it_as_it_was_or_fully_merged(delay, demo_dir, scene):
    incoming, before, after = scene
    database = demo_dir / "inspector.db"
    process = start(MERGE, database, incoming)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=120)
    assert content_fingerprint(database) in (before, after)
    assert_sound(database)


@pytest.mark.parametrize("delay", [0.1, 0.5])
def test_a_killed_export_leaves_no_file_that_looks_finished(delay, demo_dir, tmp_path):
    out = tmp_path / "out" / "export.db"
    out.parent.mkdir()
    process = start(EXPORT, demo_dir / "inspector.db", out)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=120)
    if out.exists():
        verify_export(out)  # whatever carries the final name is complete and verified
    assert all(p == out or p.name.endswith((".inspector-tmp", ".inspector-tmp-journal")) for p in out.parent.iterdir())
    assert_sound(demo_dir / "inspector.db")
    from inspector.core.common.outputs import remove_leftovers

    remove_leftovers(out.parent)  # what the next start does beside recent exports: the killed run's files go
    assert [p for p in out.parent.iterdir() if p != out] == []


def test_a_full_disk_during_export_fails_cleanly(demo_dir, tmp_path):
    out = tmp_path / "out" / "export.db"
    out.parent.mkdir()
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))\n"
        "from inspector.cli import main\n"
        f"sys.exit(main(['--data-dir', r'{demo_dir}', 'export', '--out', r'{out}']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert result.stderr.startswith("错误：") and "Traceback" not in result.stderr, result.stderr
    assert list(out.parent.iterdir()) == []  # neither a finished-looking file nor a leftover
    assert_sound(demo_dir / "inspector.db")
