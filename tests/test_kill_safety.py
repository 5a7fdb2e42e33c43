"""Killing the app in the middle of saving loses nothing it reported as saved, and leaves a sound database.

A child process saves findings, edits and photos in a tight loop through the core API and
prints each id only after the call (and so its commit) returned. The test SIGKILLs it at
random moments, several rounds on the same database, then checks every printed record.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inspector.core.sync.integrity import check_database

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 5

CHILD = r"""
import io, random, sys
from inspector.services import Services
from inspector.core.records.enterprises import create_enterprise, list_enterprises
from inspector.core.records.inspectors import add_inspector, list_inspectors
from inspector.core.records.inspections import add_free_finding, start_inspection, update_finding
from inspector.core.photos.store import attach_photos
from PIL import Image

services = Services(sys.argv[1])
db, seed = services.db, int(sys.argv[2])
rng = random.Random(seed)
if not list_enterprises(db):
    create_enterprise(db, name="断电测试冷链有限公司")
    add_inspector(db, name="王伟"); add_inspector(db, name="李芳")
enterprise = list_enterprises(db)[0]
team = [p.id for p in list_inspectors(db)]
inspection = start_inspection(db, enterprise_id=enterprise.id, checklists=[services.checklists.by_id("cold-storage")],
                              inspector_ids=team, place="round %d" % seed)
print("ready", flush=True)
for n in range(100000):
    finding = add_free_finding(db, inspection_id=inspection.id, description="kill-test-%d-%d" % (seed, n))
    print("free", finding.id, finding.description, flush=True)
    for version in range(3):
        update_finding(db, finding.id, requirement="version %d" % version)
        print("edit", finding.id, version, flush=True)
    image = Image.effect_noise((480, 360), 40 + n % 20).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    result = attach_photos(db, finding_id=finding.id, sources=[("kill-%d.jpg" % n, buffer.getvalue())])
    for photo in result.added:
        print("photo", photo.id, finding.id, flush=True)
"""


def run_round(data_dir: Path, seed: int, rng: random.Random) -> list[list[str]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir), str(seed)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        first = child.stdout.readline()
        assert first.strip() == "ready", child.stderr.read()
        time.sleep(rng.uniform(0.3, 1.5))  # somewhere inside the save loop: mid-commit, mid-ingest...
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    # A line cut by the kill was never completely reported: only whole lines count.
    lines = out.split("\n")
    return [line.split(" ") for line in lines[:-1] if line]


@pytest.mark.slow
def test_killed_while_saving_loses_nothing_reported_as_saved(tmp_path):
    data_dir = tmp_path / "data"
    rng = random.Random(2025)
    reported: list[list[str]] = []
    for seed in range(ROUNDS):
        lines = run_round(data_dir, seed, rng)
        assert len(lines) >= 1, "the child saved nothing before it was killed; give it more time"
        reported += lines
        database = data_dir / "inspector.db"
        connection = sqlite3.connect(database)
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        connection.close()
        assert check_database(database) == []
        check_reported(database, reported)
    assert sum(line[0] == "photo" for line in reported) >= 1


def check_reported(database: Path, reported: list[list[str]]) -> None:
    connection = sqlite3.connect(database)
    last_edit: dict[str, int] = {}
    for kind, *rest in reported:
        if kind == "free":
            finding_id, description = rest
            row = connection.execute("SELECT description, result FROM finding WHERE id = ?", (finding_id,)).fetchone()
            assert row == (description, "fail"), f"finding {finding_id} reported saved but missing"
        elif kind == "edit":
            last_edit[rest[0]] = int(rest[1])
        elif kind == "photo":
            photo_id, finding_id = rest
            row = connection.execute("SELECT finding_id, jpeg, jpeg_sha256 FROM photo WHERE id = ? AND deleted_at IS NULL",
                                     (photo_id,)).fetchone()
            assert row is not None, f"photo {photo_id} reported saved but missing"
            assert row[0] == finding_id and hashlib.sha256(row[1]).hexdigest() == row[2]
    for finding_id, version in last_edit.items():
        stored = connection.execute("SELECT requirement FROM finding WHERE id = ?", (finding_id,)).fetchone()[0]
        assert int(stored.split()[-1]) >= version, f"edit {version} of {finding_id} reported saved but lost"
    connection.close()
