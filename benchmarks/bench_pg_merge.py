"""Benchmark (issue 16 "Scale"): merging a laptop export into the office PostgreSQL database, against a
plain COPY (and an executemany INSERT) of the same rows into the same server in the same run.

Run:  .venv/bin/python benchmarks/bench_pg_merge.py [--inspections N] [--runs R] [--quick]

Starts a throwaway PostgreSQL cluster (tests/pg/cluster.py: initdb in a temp dir, Unix socket only;
``fsync=off`` as in the tests, so the figures compare work, not the disk). Builds the two databases
of bench_sync_merge.py (N inspections, 10 findings each, a ~30 KB photo on every other finding),
loads the first into a server database used as a template, exports the second, and times as the
median of R runs, each on a fresh copy of the template (``CREATE DATABASE … TEMPLATE``):

  COPY        ``COPY table FROM STDIN`` of every row of the export, all tables, one transaction: the
              least any load of these rows into the server costs (the rows read from the file too)
  INSERT      the same rows through SQLAlchemy ``executemany`` (psycopg pipelines it)
  merge       ``merge_into_server`` as ``inspector --database URL merge FILE`` runs it: verify the file,
              lock, shadow, plan, guard, write winners, history, dedup, claims, log, commit
  parts       verification alone; merging the same file a second time (nothing changes)

Target: merge ≤ 2× COPY. Timings jitter on a shared machine: compare the ratios of one run.
"""

from __future__ import annotations

import sqlite3
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

TARGET = 2.0


def build_parser():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--inspections", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    return parser


class Server:
    """A throwaway cluster and fresh databases cloned from a loaded template."""

    def __init__(self):
        from tests.pg.cluster import Cluster, find_bin_dir

        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise SystemExit("PostgreSQL is not installed (python -m inspector.bootstrap test installs it)")
        self.cluster = Cluster(bin_dir).start()

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.cluster.socket_dir), port=self.cluster_port, user="postgres",
                             dbname="postgres", autocommit=True) as connection:
            connection.execute(sql)

    @property
    def cluster_port(self) -> int:
        from tests.pg.cluster import PORT

        return PORT

    def clone(self, template: str) -> str:
        name = f"run_{uuid.uuid4().hex[:10]}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.cluster.url(name)

    def stop(self) -> None:
        self.cluster.stop()


def copy_rows(url: str, export: Path, *, use_copy: bool) -> None:
    """Every synced row of the export into the server, one transaction (COPY or executemany INSERT)."""
    from sqlalchemy import text

    from inspector.core.sync.rows import SYNC_ORDER
    from inspector.core.sync.server_copy import copy_rows
    from inspector.core.sync.server_rows import ServerTable
    from inspector.db.database import Database

    db = Database.open_url(url)
    source = sqlite3.connect(export)
    try:
        with db.engine.begin() as connection:
            for table in SYNC_ORDER:
                columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
                server = ServerTable(table, columns)
                cursor = source.execute(f"SELECT * FROM {table}")
                while rows := cursor.fetchmany(500):
                    if use_copy:
                        copy_rows(connection, server, rows)  # binary COPY, as the merge sends new rows
                    else:
                        connection.execute(text(server.insert_sql()), [server.to_server(r) for r in rows])
    finally:
        source.close()
        db.close()


def merge(url: str, export: Path):
    from inspector.core.sync.server_merge import merge_into_server
    from inspector.db.database import Database

    db = Database.open_url(url)
    try:
        return merge_into_server(db, [export])
    finally:
        db.close()


def timed(function, runs: int, prepare) -> float:
    times = []
    for _ in range(runs):
        argument = prepare()
        start = time.perf_counter()
        function(argument)
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.quick:
        args.inspections, args.runs = min(args.inspections, 200), 3
    import bench_sync_merge

    folder = benchlib.CACHE / f"pg-merge-{args.inspections}"
    local, other, export = folder / "a" / "inspector.db", folder / "b" / "inspector.db", folder / "pg-b-export.db"
    for path, seed in ((local, 1), (other, 2)):
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            counts = bench_sync_merge.build(path, seed, args.inspections)
            print(f"built {path}: {counts}")
    from inspector.core.sync.export import export_database
    from inspector.core.sync.verify import verify_export
    from inspector.db.database import Database

    for path in (local, other):  # a cached database from an older version: bring it up to date
        Database.open(path, path.parent / "backups").close()

    seed_export = folder / "pg-a-export.db"
    for source, target in ((local, seed_export), (other, export)):
        target.unlink(missing_ok=True)
        export_database(source, target)
    server = Server()
    try:
        from sqlalchemy.engine import make_url

        template = make_url(server.cluster.create_database("template")).database
        merge(server.cluster.url(template), seed_export)  # the office database before the laptop's file
        prepare = lambda: server.clone(template)  # noqa: E731
        runs = args.runs
        with_copy = timed(lambda url: copy_rows(url, export, use_copy=True), runs, prepare)
        with_insert = timed(lambda url: copy_rows(url, export, use_copy=False), runs, prepare)
        merged = timed(lambda url: merge(url, export), runs, prepare)
        verify = timed(lambda _: verify_export(export), runs, lambda: None)
        url = prepare()
        report = merge(url, export)
        again = timed(lambda _: merge(url, export), runs, lambda: None)
    finally:
        server.stop()
    print(f"merge report: added {report.total('added'):,}, updated {report.total('updated'):,}, "
          f"conflicts {len(report.conflicts)}")
    print(f"\n{'what':<62}{'median s':>10}{'× COPY':>10}")
    for name, value in (("baseline: COPY of the same rows, one transaction", with_copy),
                        ("executemany INSERT of the same rows", with_insert),
                        ("merge_into_server (verify + lock + plan + write + history)", merged),
                        ("  of which: verify the export file", verify),
                        ("merging the same file again (no changes)", again)):
        print(f"{name:<62}{value:>10.2f}{value / with_copy:>10.2f}")
    size = f"{args.inspections:,} inspections / {args.inspections * 10:,} findings / {args.inspections * 5:,} photos"
    met = benchlib.result(f"server merge {size} vs COPY", merged, with_copy, max_ratio=TARGET)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
