"""Two office PCs merging at once as big calls do: the files verified by worker processes while each merge's
prefetch waits for the office's write lock and fills its shadow only once it holds it. Both land completely,
and the rows both laptops edited end as after merging the files one after the other."""

from __future__ import annotations

import textwrap

from tests.pg.test_server_merge_concurrency import assert_both_landed_as_one_after_the_other, race, two_laptops_and_the_office

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
    db, files, office, shared = two_laptops_and_the_office(folder, pg_url)
    results = race(pg_url, folder, files, WORKER)
    assert_both_landed_as_one_after_the_other(results, db, office, shared)
    db.close()
