"""Two office PCs merging different laptops' files into one server database at the same moment: both land
completely, and the row both laptops edited ends as it would after merging the files one after the other."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path


from inspector.core.sync.rows import SYNC_ORDER
from inspector.core.sync.server_merge import merge_into_server
from tests.core.sync.test_sync_support import Device
from tests.pg.server_merge_support import file_state, server_state

ROOT = Path(__file__).resolve().parents[2]
WORKER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from inspector.db.database import Database
    from inspector.core.sync.server_merge import merge_into_server
    url, go, export = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    db = Database.open_url(url)
    while not go.exists():
        time.sleep(0.002)
    started = time.time()
    report = merge_into_server(db, [export])
    db.close()
    print(json.dumps({"totals": report.to_json()["totals"], "started": started, "ended": time.time()}))
""")


def busy_laptop(folder: Path, name: str, seed: Path, third: Path, shared: dict, at: int) -> Path:
    """A laptop that merged the office's seed and a third laptop's work the server has not seen yet, edited
    the shared enterprise and finding, and did a day's work."""
    laptop = Device(folder / name, name)
    laptop.merge(seed)
    laptop.merge(third)
    laptop.update("enterprise", shared["enterprise"], at, address=f"{name} 改的地址")
    laptop.update("finding", shared["finding"], at, description=f"{name} 改的描述")
    inspection = laptop.inspection(at, shared["enterprise"])
    for n in range(120):
        finding = laptop.finding(at + n, inspection, f"{name} 的隐患 {n}")
        if n % 4 == 0:
            laptop.photo(at + n, finding, picture=n % 3, caption=f"{name} {n}")
    return laptop.export()


def two_laptops_and_the_office(folder: Path, pg_url: str):
    """The server seeded from an origin laptop; two busy laptops' files; an office file that merged the seed
    and both files one after the other (what the server must end as). Returns (db, files, office, shared)."""
    from inspector.db.database import Database

    origin = Device(folder / "origin", "origin")
    shared = {"enterprise": origin.enterprise(1)}
    shared["finding"] = origin.finding(3, origin.inspection(2, shared["enterprise"]))
    seed = origin.export()
    db = Database.open_url(pg_url)
    merge_into_server(db, [seed])
    colleague = Device(folder / "third", "third")
    colleague.merge(seed)
    colleague.finding(50, colleague.inspection(50, shared["enterprise"]), "第三台笔记本的隐患")
    third = colleague.export()  # both laptops' files carry these new rows: only one merge may insert them
    files = [busy_laptop(folder, name, seed, third, shared, at) for name, at in (("first", 100), ("second", 200))]
    office = Device(folder / "office", "office")  # the same merges, one after the other, into an office file
    for export in [seed, *files]:
        office.merge(export)
    return db, files, office, shared


def assert_both_landed_as_one_after_the_other(results: list[dict], db, office, shared: dict) -> None:
    assert sorted(r["totals"]["added"] for r in results) == [151, 153]  # an inspection, 120 findings, 30 photos (+ the third's 2)
    expected, actual = file_state(office.path), server_state(db)
    for table in SYNC_ORDER:
        assert actual[table] == expected[table], table  # nothing lost, the later edit won, on every row
    assert {e[:3] for e in actual["sync_version"]} == {e[:3] for e in expected["sync_version"]}
    assert sorted(c[:2] for c in actual["sync_conflict"]) == sorted(c[:2] for c in expected["sync_conflict"])
    assert len(actual["sync_conflict"]) == 2  # the enterprise and the finding, edited on both laptops
    assert actual["enterprise"][shared["enterprise"]]["address"] == "second 改的地址"


def test_two_processes_merging_at_once_both_land_completely(folder, pg_url):
    db, files, office, shared = two_laptops_and_the_office(folder, pg_url)
    results = race(pg_url, folder, files)
    assert_both_landed_as_one_after_the_other(results, db, office, shared)
    db.close()


def race(pg_url: str, folder: Path, files: list[Path], worker: str = WORKER) -> list[dict]:
    """Each file merged by a process of its own running ``worker``, all started at one moment."""
    go = folder / "go"
    go.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    workers = [subprocess.Popen([sys.executable, "-c", worker, pg_url, str(go), str(export)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for export in files]
    go.touch()
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        results.append(json.loads(out))
    return results


def test_two_files_carrying_the_same_new_rows_merge_at_once_without_a_clash(folder, pg_url):
    """No row the files share exists on the server yet, so no row lock can order the merges: the office
    database's write lock does (else both would insert the third laptop's rows and one merge would fail)."""
    from inspector.db.database import Database

    colleague = Device(folder / "third", "third")
    enterprise = colleague.enterprise(1)
    inspection = colleague.inspection(2, enterprise)
    for n in range(60):
        colleague.photo(3, colleague.finding(3, inspection, f"第三台的隐患 {n}"), picture=n % 3)
    third = colleague.export()
    files = []
    for name in ("first", "second"):
        laptop = Device(folder / name, name)
        laptop.merge(third)
        for n in range(60):
            laptop.finding(10 + n, inspection, f"{name} 的隐患 {n}")
        files.append(laptop.export())
    Database.open_url(pg_url).close()
    results = race(pg_url, folder, files)
    assert sorted(r["totals"]["added"] for r in results) == [60, 60 + 2 + 120]
    office = Device(folder / "office", "office")
    for export in files:
        office.merge(export)
    db = Database.open_url(pg_url)
    expected, actual = file_state(office.path), server_state(db)
    for table in SYNC_ORDER:
        assert actual[table] == expected[table], table
    db.close()
