"""Benchmark: the office server's export, check and backup against the laptop's own, on the same data.

Run:  .venv/bin/python benchmarks/bench_server_sync.py [--quick] [--inspections N] [--runs R]

Builds (or reuses) a demo data directory (``--inspections``, default 2,000; 200 with ``--quick``),
starts a throwaway PostgreSQL cluster (tests/pg/cluster.py; skipped when PostgreSQL is not
installed), copies the laptop's rows into a server database as a merge would, then times, as
the median of R runs, each server operation against the laptop's operation on the same rows:

  export       export_from_server (full)       vs export_database (full) of the laptop file
  since-last   the same, nothing changed       vs the laptop's since-last, nothing changed
  check        check_server_database           vs check_database (the laptop file)
  backup       create_server_backup (pg_dump)  vs create_backup (SQLite backup API)
  restore      restore_server_backup           vs restore_backup

Ratios are what to compare (the machine is shared); the server runs locally on a Unix socket.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402


def build_parser():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--inspections", type=int, default=None)
    parser.add_argument("--runs", type=int, default=3)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    inspections = args.inspections or (200 if args.quick else 2000)
    from tests.pg.cluster import Cluster, find_bin_dir

    bin_dir = find_bin_dir()
    if bin_dir is None:
        print("PostgreSQL is not installed: skipped")
        return 0
    laptop = benchlib.demo_data_dir(inspections, 1) / "inspector.db"
    cluster = Cluster(bin_dir).start()
    work = Path(tempfile.mkdtemp(prefix="bench-server-"))
    try:
        return _measure(cluster, laptop, work, args.runs, inspections)
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


def _measure(cluster, laptop: Path, work: Path, runs: int, inspections: int) -> int:
    from inspector.core.sync.backups import create_backup, restore_backup
    from inspector.core.sync.export import ExportOptions, export_database
    from inspector.core.sync.integrity import check_database
    from inspector.core.sync.server_backups import create_server_backup, restore_server_backup
    from inspector.core.sync.server_check import check_server_database
    from inspector.core.sync.server_export import export_from_server
    from inspector.db.database import Database
    from tests.pg.test_server_export import seed_server_from

    copy = work / "laptop" / "inspector.db"
    copy.parent.mkdir()
    shutil.copy(laptop, copy)
    db = Database.open_url(cluster.create_database())
    seed_server_from(copy, db)
    counter = iter(range(10**6))

    def out() -> Path:
        return work / f"out-{next(counter)}.db"

    since = ExportOptions(since_last=True, target="bench")
    export_database(copy, out(), since)
    export_from_server(db, out(), since)
    pairs = [
        ("export (full)", lambda: export_database(copy, out()), lambda: export_from_server(db, out())),
        ("export --since-last, nothing changed", lambda: export_database(copy, out(), since),
         lambda: export_from_server(db, out(), since)),
        ("check", lambda: check_database(copy), lambda: check_server_database(db)),
    ]
    laptop_backup = create_backup(copy, work / "b1")
    server_backup = create_server_backup(db, work / "b2")
    pairs += [
        ("backup", lambda: create_backup(copy, work / "b1"), lambda: create_server_backup(db, work / "b2")),
        ("restore", lambda: restore_backup(copy, laptop_backup, work / "b1"),
         lambda: restore_server_backup(db, server_backup, work / "b2")),
    ]
    for name, on_laptop, on_server in pairs:
        baseline = benchlib.median_s(on_laptop, runs)
        figure = benchlib.median_s(on_server, runs)
        benchlib.result(f"server {name} vs the laptop's ({inspections} inspections)", figure, baseline)
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
