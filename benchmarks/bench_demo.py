"""Benchmark: ``inspector demo --inspections 10000`` as a cold process, against executemany of the same rows.

Run:  .venv/bin/python benchmarks/bench_demo.py [--quick] [--inspections N] [--runs R]

Each run creates a new data folder and times the whole command as a person runs it (interpreter
start, imports, database creation through the migrations, generation, photos: one per hazard, the
CLI default, write, commit). The baseline, in this process: every row the command wrote, read
back into memory as tuples, inserted into a new database made by the project's own migrations with
one ``executemany`` per table in one transaction, with the stamp triggers on, in WAL mode (what writing
those rows into a database in use costs; creating the empty database is not timed). Median of R runs each.

Also printed, for information: the same rows loaded the way the demo now loads a new data directory
(``inspector.core.demo.new_file``: a new file built to the side, no journal, the stamp triggers skipped
and the rows listed in ``local_change`` set-based, indexes created after the load, fsync, link into
place; creating the file by the migrations is timed here). The demo's figure minus this one is what the
generator itself costs beyond writing its rows.

Target (issue 15): 10,000 inspections within 10 s (``--quick``: 1,000 within 1 s, scaled).
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

TARGET_S_PER_10K = 10.0
SKIP = {"local_meta", "sync_version", "sync_log",  # a new database's own bookkeeping
        "local_change", "sync_stamp"}  # written by schema v7's triggers as the baseline's rows go in, as for the demo


def build_parser():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--inspections", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    return parser


def run_demo(folder: Path, inspections: int) -> float:
    start = time.perf_counter()
    subprocess.run([benchlib.PYTHON, "-m", "inspector", "--data-dir", str(folder), "demo", "--inspections",
                    str(inspections)], check=True, capture_output=True, env=benchlib.python_env(), timeout=1800)
    return time.perf_counter() - start


def read_rows(db_path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    connection = sqlite3.connect(db_path)
    tables = [n for (n,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                               "AND name NOT LIKE 'sqlite_%'") if n not in SKIP]
    rows = {}
    for table in tables:
        cursor = connection.execute(f"SELECT * FROM {table}")
        rows[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    connection.close()
    return rows


def executemany_copy(rows: dict[str, tuple[list[str], list[tuple]]], folder: Path) -> float:
    from inspector.db.database import Database

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db_path = folder / "inspector.db"
    Database.open(db_path, folder / "backups").close()
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA foreign_keys=OFF")  # rows go in table order, not dependency order
    start = time.perf_counter()
    with connection:
        for table, (columns, items) in rows.items():
            if items:
                connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                       f"({', '.join('?' * len(columns))})", items)
    seconds = time.perf_counter() - start
    connection.close()
    return seconds


def new_file_copy(rows: dict[str, tuple[list[str], list[tuple]]], folder: Path) -> float:
    """The rows through the demo's own new-file path (see the module docstring)."""
    from inspector.core.demo.changes import TriggerlessBatch
    from inspector.core.demo.new_file import new_database

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    start = time.perf_counter()
    with new_database(folder / "inspector.db", folder / "backups") as new:
        connection = new.connection
        changes = TriggerlessBatch(connection)
        connection.execute("BEGIN")
        changes.begin()
        for table, (columns, items) in rows.items():
            if items:
                connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                       f"({', '.join('?' * len(columns))})", items)
        changes.finish()
        connection.execute("COMMIT")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    inspections = min(args.inspections, 1_000) if args.quick else args.inspections
    runs = min(args.runs, 2) if args.quick else args.runs
    target = TARGET_S_PER_10K * inspections / 10_000
    root = Path(tempfile.mkdtemp(prefix="bench-demo-", dir=benchlib.CACHE if benchlib.CACHE.exists() else None))
    demo, plain, loaded = [], [], []
    try:
        for n in range(runs):
            folder = root / f"demo{n}"
            demo.append(run_demo(folder, inspections))
            rows = read_rows(folder / "inspector.db")
            plain.append(executemany_copy(rows, root / "plain"))
            loaded.append(new_file_copy(rows, root / "loaded"))
            shutil.rmtree(root / "loaded", ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)
        counts = {t: len(items) for t, (_, items) in rows.items() if items}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    figure, baseline = statistics.median(demo), statistics.median(plain)
    print(f"`inspector demo --inspections {inspections}`, median of {runs}; rows: "
          + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    print(f"  executemany of the same rows (baseline)  {baseline:7.2f} s")
    print(f"  the same rows the demo's new-file way    {statistics.median(loaded):7.2f} s   (information)")
    print(f"  inspector demo (cold process)            {figure:7.2f} s   {figure / baseline:5.1f}x "
          f"(target <= {target:g} s)")
    met = benchlib.result(f"`inspector demo --inspections {inspections}` vs executemany of its rows", figure, baseline,
                          max_value=target)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
