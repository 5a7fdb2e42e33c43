"""Two office PCs merging at once as big calls do: the files verified by worker processes while each merge's
prefetch waits for the office's write lock and fills its shadow only once it holds it. Both land completely,
and the rows both laptops edited end as after merging the files one after the other."""

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
from tests.pg.test_server_merge_concurrency import ROOT, busy_laptop

WORKER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from inspector.core.sync import server_verify
    from inspector.db.database import Database
    from inspector.core.sync.server_merge import merge_into_server
    server_verify.uses_workers = lambda files, workers=None: True  # as for big files: prefetch while workers verify
    url, go, export = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    db = Database.open_url(url)
    while not go.exists():
        time.sleep(0.002)
    report = merge_into_server(db, [export])
    db.close()
    print(json.dumps({"totals": report.to_json()["totals"]}))
""")


def test_two_processes_prefetching_at_once_both_land_completely(folder, pg_url):
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
    go = folder / "go"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, pg_url, str(go), str(export)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for export in files]
    go.touch()
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        results.append(json.loads(out))
    assert sorted(r["totals"]["added"] for r in results) == [151, 153]
    expected, actual = file_state(office.path), server_state(db)
    for table in SYNC_ORDER:
        assert actual[table] == expected[table], table  # nothing lost, the later edit won, on every row
    assert {e[:3] for e in actual["sync_version"]} == {e[:3] for e in expected["sync_version"]}
    assert sorted(c[:2] for c in actual["sync_conflict"]) == sorted(c[:2] for c in expected["sync_conflict"])
    assert actual["enterprise"][shared["enterprise"]]["address"] == "second 改的地址"
    db.close()
