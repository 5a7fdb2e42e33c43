"""Number blocks on both backends: the database itself refuses overlapping blocks, even from two
processes at the same moment, and no allocation is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from inspector.core.documents import numbering
from inspector.errors import UserError

ROOT = Path(__file__).resolve().parents[2]


def claims(db) -> list[tuple]:
    with db.session() as session:
        return [tuple(r) for r in session.execute(text("SELECT seq, block_id FROM number_claim ORDER BY seq"))]


def test_a_block_claims_its_numbers_and_withdrawing_releases_them(any_db):
    block = numbering.add_block(any_db, kind="order", prefix="P", year=2026, first=3, last=5)
    assert claims(any_db) == [(3, block.id), (4, block.id), (5, block.id)]
    numbering.remove_block(any_db, block.id)
    assert claims(any_db) == []
    again = numbering.add_block(any_db, kind="order", prefix="P", year=2026, first=1, last=4)
    assert [seq for seq, _ in claims(any_db)] == [1, 2, 3, 4] and again.first == 1


def test_the_database_refuses_an_overlap_even_without_the_check_in_python(any_db, monkeypatch):
    numbering.add_block(any_db, kind="order", prefix="P", year=2026, first=1, last=10)
    monkeypatch.setattr(numbering, "_refuse_overlap", lambda *args: None)
    with pytest.raises(UserError, match="重叠"):
        numbering.add_block(any_db, kind="order", prefix="P", year=2026, first=10, last=20, device_id="laptop-2")
    blocks = numbering.list_blocks(any_db)
    assert [(b.first, b.last) for b in blocks] == [(1, 10)] and len(claims(any_db)) == 10
    other_series = numbering.add_block(any_db, kind="order", prefix="P", year=2027, first=1, last=10)
    assert other_series.year == 2027  # another year is another series


def test_allocate_takes_the_lowest_free_run_and_skips_drawn_numbers(any_db):
    numbering.add_block(any_db, kind="park", prefix="Q", year=2026, first=4, last=6)
    with numbering.write_session(any_db) as session:  # a number drawn from a block since withdrawn
        from inspector.db.models import DocumentNumber

        session.add(DocumentNumber(kind="park", prefix="Q", year=2026, seq=9))
    first = numbering.allocate_block(any_db, kind="park", prefix="Q", year=2026, count=3, device_id="laptop-1")
    second = numbering.allocate_block(any_db, kind="park", prefix="Q", year=2026, count=3, device_id="laptop-2")
    assert (first.first, first.last) == (1, 3)
    assert (second.first, second.last) == (10, 12)  # 7-8 too short, 9 drawn
    assert first.assigned_device_id == "laptop-1"


WORKER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from inspector.db.database import Database
    from inspector.core.documents import numbering
    url, go, name, rounds = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    db = Database.open_url(url)
    while not go.exists():
        time.sleep(0.005)
    got = [], []
    for i in range(rounds):
        block = numbering.allocate_block(db, kind="order", prefix="P", year=2026, count=5, device_id=name)
        got[0].append([block.id, block.first, block.last])
        try:  # both workers try the same explicit ranges: the database lets exactly one have each
            fixed = numbering.add_block(db, kind="order", prefix="P", year=2027, first=10 * i + 1, last=10 * i + 10)
            got[1].append([fixed.id, fixed.first, fixed.last])
        except numbering.UserError as exc:
            assert "重叠" in exc.message, exc.message
    db.close()
    print(json.dumps(got))
""")


def test_two_processes_allocating_at_once_never_overlap_and_lose_nothing(any_url, tmp_path):
    from inspector.db.database import Database

    Database.open_url(any_url).close()  # schema in place before the race
    go, rounds = tmp_path / "go", 40
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, any_url, str(go), name, str(rounds)], cwd=ROOT,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for name in ("office-pc-1", "office-pc-2")]
    go.touch()
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        results.append(json.loads(out))
    allocated = [tuple(b) for result in results for b in result[0]]
    fixed = [tuple(b) for result in results for b in result[1]]
    assert len(allocated) == 2 * rounds  # every allocation succeeded...
    numbers = sorted(seq for _, first, last in allocated for seq in range(first, last + 1))
    assert numbers == list(range(1, 5 * 2 * rounds + 1))  # ...with no overlap and no hole
    assert sorted(first for _, first, _ in fixed) == [10 * i + 1 for i in range(rounds)]  # each range once
    db = Database.open_url(any_url)
    stored = {(b.id, b.first, b.last) for b in numbering.list_blocks(db)}
    assert stored == set(allocated) | set(fixed)  # nothing a worker was told it got is missing
    assert len(claims(db)) == 5 * 2 * rounds + 10 * rounds
    assert all(report.clean for report in numbering.number_report(db))
    db.close()


@pytest.mark.parametrize("fixture", ["schema_v2.db", "schema_v3.db"])
def test_released_laptop_databases_get_their_blocks_claimed_on_upgrade(fixture, tmp_path):
    import shutil
    import sqlite3

    from inspector.db.database import Database
    from tests.helpers import FIXTURES

    path = tmp_path / fixture
    shutil.copy(FIXTURES / fixture, path)
    before = sqlite3.connect(path)
    blocks = before.execute("SELECT id, kind, prefix, year, first, last FROM number_block WHERE deleted_at IS NULL").fetchall()
    before.close()
    db = Database.open(path, tmp_path / "backups")
    expected = sorted((seq, block_id) for block_id, *_, first, last in blocks for seq in range(first, last + 1))
    assert blocks and claims(db) == expected
    kind, prefix, year, first = blocks[0][1:5]
    with pytest.raises(UserError, match="重叠"):  # the upgraded file refuses an overlapping block at once
        numbering.add_block(db, kind=kind, prefix=prefix, year=year, first=first, last=first)
    db.close()


DRAWER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from inspector.db.database import Database
    from inspector.core.documents import numbering
    url, go = sys.argv[1], Path(sys.argv[2])
    db = Database.open_url(url)
    while not go.exists():
        time.sleep(0.005)
    seqs = []
    for _ in range(20):
        with numbering.write_session(db) as session:
            number = numbering.draw_number(session, kind="order", prefix="P", year=2026, device_id=db.device_id)
            seqs.append(number.seq)
    db.close()
    print(json.dumps(seqs))
""")


def test_two_office_pcs_drawing_numbers_at_once_get_distinct_numbers(any_url, tmp_path):
    """Office PCs share the office database's device id and blocks: drawing must not hand out a number twice."""
    from inspector.db.database import Database

    db = Database.open_url(any_url)
    numbering.add_block(db, kind="order", prefix="P", year=2026, first=1, last=100)
    db.close()
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    workers = [subprocess.Popen([sys.executable, "-c", DRAWER, any_url, str(go)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    go.touch()
    drawn = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        drawn += json.loads(out)
    assert sorted(drawn) == list(range(1, 41))
