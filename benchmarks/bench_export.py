"""Benchmark: exporting a database of about 1 GB, against copying the file, in the same run.

Run:  .venv/bin/python benchmarks/bench_export.py [--data-dir DIR] [--inspections N] [--photos K] [--runs R]

Builds (or reuses) a data directory with ``inspector demo --inspections N --photos-per-hazard K``
(defaults 10,000 and 1) under the bench cache, exports once (the first export records every version in
the local history), then times as the median of R runs, the copy and the full export run in turn
(paired: same moment, same page cache; each pair's ratio and the export's CPU seconds are printed):

  baseline     copying the database file (``shutil.copyfile`` + fsync) — not a safe way to export a
               WAL database that is in use, but the least any export of these bytes costs
  VACUUM INTO  SQLite's own consistent snapshot into a new file (reference)
  export       ``export_database``: frozen copy of the file while two readers of that snapshot check it
               (stamps one per row, the local changes' invariant, then quick_check) and digest its
               stamps and history, local tables emptied in the copy, manifest, fsync while the file is
               read back (the b-trees it wrote, counts, manifest, sampled stamps rehashed), the
               snapshot's quick_check waited for, rename into place, record the versions sent
  since-last   the same with ``--since-last`` when nothing changed (stamps staged, writes ~nothing)

``--trace`` instead exports the data's database once and prints when each phase of the export ran, in which
thread and with how many CPU seconds of that thread (``--cold``: the file dropped from the page cache first,
Linux), with the process's CPU and the page-cache share before: where the wall time goes beyond the copy.

The data is opened through ``Services`` first (schema upgrade; after schema v7 the one-time hashing
of every row into the stamps), as the app does before any export.

and prints each against the baseline. Timings jitter by about 15 % on a shared machine: compare
the ratios of one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402


def median_s(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired(baseline, function, runs: int) -> tuple[list[float], list[float]]:
    """Wall times of ``baseline`` and ``function`` run in turn (same moment, same page cache), each pair printed
    with its ratio and the CPU seconds of this process (user + system, both threads) during ``function``."""
    base_times, times = [], []
    for run in range(runs):
        start = time.perf_counter()
        baseline()
        base_times.append(time.perf_counter() - start)
        cpu, start = os.times(), time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
        after = os.times()
        used = after.user + after.system - cpu.user - cpu.system
        print(f"  run {run + 1}: copy {base_times[-1]:.2f} s, export {times[-1]:.2f} s "
              f"({times[-1] / base_times[-1]:.2f}x; export CPU {used:.2f} s)", flush=True)
    return base_times, times


def build(data_dir: Path, inspections: int, photos: int) -> None:
    from inspector.core.demo.generate import build_demo
    from inspector.services import Services

    services = Services(data_dir)
    start = time.perf_counter()
    build_demo(services.db, services.checklists.checklists, seed=7, inspections=inspections, photos_per_hazard=photos)
    services.close()
    print(f"built in {time.perf_counter() - start:.0f} s: {data_dir}")


def upgrade(data_dir: Path) -> None:
    """Open the data as the app does: migrations, and the one-time hashing of stamps after schema v7."""
    from inspector.services import Services

    start = time.perf_counter()
    services = Services(data_dir)
    services.db
    services.close()
    print(f"opened (schema upgrade if any) in {time.perf_counter() - start:.1f} s")


def copy_file(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def vacuum_into(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    connection = sqlite3.connect(source)
    connection.execute("VACUUM INTO ?", (str(target),))
    connection.close()


TARGET = 2.0


def build_parser() -> argparse.ArgumentParser:
    parser = benchlib.parser(__doc__)
    parser.add_argument("--data-dir", type=Path, help="default: the cached demo data (shared with bench_dashboard_ledger)")
    parser.add_argument("--inspections", type=int, default=10_000)
    parser.add_argument("--photos", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)  # pairs swung 1.7-2.7x on a quiet 2-core machine: a median of 3 is one bad pair from the target
    parser.add_argument("--trace", action="store_true", help="one export, its phases timed per thread")
    parser.add_argument("--cold", action="store_true", help="--trace: drop the database from the page cache first")
    return parser


PHASES = [  # (module, function) timed by --trace, in the order they run
    ("export", "_allocate"), ("snapshot", "_Copier.run"), ("full_export", "snapshot_verdict"),
    ("snapshot", "quick_check_problem"), ("full_export", "snapshot_rows_digest"),
    ("full_export", "_merged_history_digest"), ("export", "_build_full"), ("stamps", "refresh"),
    ("snapshot", "Snapshot.first"), ("full_export", "_add_carried_to_history"), ("full_export", "samples"),
    ("export", "_manifest"), ("export", "blob_hashes"), ("export", "_write_manifest"), ("export", "_add_triggers"),
    ("export", "_verify"),
    ("snapshot", "fsync_file"), ("snapshot", "Snapshot.wait_check"), ("export", "_record"),
]


def trace(database: Path, out: Path, cold: bool) -> None:
    """One full export with its phases timed: start and end (seconds from the start), thread, thread CPU."""
    import importlib
    import threading

    log, origin = [], [0.0]

    def timed(owner, name: str, label: str) -> None:
        function = getattr(owner, name)

        def run(*args, **kwargs):
            start, cpu = time.perf_counter(), time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                log.append((start - origin[0], time.perf_counter() - origin[0], time.thread_time() - cpu,
                            threading.current_thread().name, label))

        setattr(owner, name, run)

    for module, name in PHASES:
        owner = importlib.import_module(f"inspector.core.sync.{module}")
        *path, attribute = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        timed(owner, attribute, f"{module}.{name}")
    full_export = importlib.import_module("inspector.core.sync.full_export")
    for name in ("scrub_free_pages", "drop_local_tables"):  # snapshot's, called by the names imported there
        timed(full_export, name, f"snapshot.{name}")
    from inspector.core.sync.export import export_database

    cached = cached_share(database, drop=cold)
    cpu, origin[0] = os.times(), time.perf_counter()
    export_database(database, out)
    wall, after = time.perf_counter() - origin[0], os.times()
    print(f"export {wall:.2f} s; process CPU user {after.user - cpu.user:.2f} s, system {after.system - cpu.system:.2f} s; "
          f"database in the page cache before: {cached:.0%}; load {os.getloadavg()[0]:.1f}")
    print(f"{'start':>8}{'end':>8}{'wall':>8}{'CPU':>7}  {'thread':<15}phase")
    for start, end, used, thread, label in sorted(log):
        if end - start >= 0.005:
            print(f"{start:8.2f}{end:8.2f}{end - start:8.2f}{used:7.2f}  {thread:<15}{label}")


def never_hashed(source: Path, target: Path) -> None:
    """A copy of ``source`` as a database nobody hashed yet (bulk-written, or just upgraded to stamps): every synced
    row listed in ``local_change``, no stamp, no history — the worst first export (``stamps.refresh`` hashes all)."""
    from inspector.core.sync.rows import SYNC_ORDER

    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)  # the WAL's frames included
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        connection.execute("BEGIN")
        connection.execute("DELETE FROM sync_stamp")
        connection.execute("DELETE FROM sync_version")
        for table in SYNC_ORDER:
            connection.execute(f"INSERT OR IGNORE INTO local_change (table_name, row_id) SELECT ?, id FROM {table}",
                               (table,))
        connection.execute("COMMIT")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def cached_share(path: Path, drop: bool = False, probes: int = 2000) -> float:
    """Share of ``path``'s pages in the page cache: reads that must not wait (``RWF_NOWAIT``) at ``probes`` places,
    after dropping the file from the cache first when ``drop`` (``POSIX_FADV_DONTNEED``); 0 where the OS cannot tell."""
    flag, hits = getattr(os, "RWF_NOWAIT", None), 0
    fd = os.open(path, os.O_RDONLY)
    try:
        if drop and hasattr(os, "posix_fadvise"):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        size = os.fstat(fd).st_size
        if flag is None or not size:
            return 0.0
        for k in range(probes):
            try:
                hits += os.preadv(fd, [bytearray(1)], size * k // probes, flag) == 1
            except OSError:
                pass
        return hits / probes
    finally:
        os.close(fd)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.quick:
        args.inspections, args.runs = min(args.inspections, 1_000), 1
    args.data_dir = args.data_dir or benchlib.demo_data_dir(args.inspections, args.photos)
    database = args.data_dir / "inspector.db"
    if not database.exists():
        build(args.data_dir, args.inspections, args.photos)
    upgrade(args.data_dir)
    if args.trace:
        out = benchlib.CACHE / "bench-export-out"
        out.mkdir(exist_ok=True)
        try:
            trace(database, out / "export.db", args.cold)
        finally:
            shutil.rmtree(out, ignore_errors=True)
        return 0
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("inspection", "finding", "photo")}
    connection.close()
    print(f"database {database.stat().st_size / 1e9:.2f} GB: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    from inspector.core.sync.export import ExportOptions, export_database

    out = benchlib.CACHE / "bench-export-out"
    out.mkdir(exist_ok=True)
    export_database(database, out / "export.db")  # the first export records every version: the later ones are steady
    copies, exports = paired(lambda: copy_file(database, out / "copy.db"),
                             lambda: export_database(database, out / "export.db"), args.runs)
    figures = [("baseline: copy the file (copyfile + fsync)", statistics.median(copies))]
    figures.append(("VACUUM INTO (SQLite snapshot, reference)", median_s(lambda: vacuum_into(database, out / "vacuum.db"), args.runs)))
    figures.append(("export_database, full (snapshot + hashes + verify)", statistics.median(exports)))
    figures.append(("export_database, since-last, nothing changed",
                    median_s(lambda: export_database(database, out / "since.db", ExportOptions(since_last=True)), args.runs)))
    size = (out / "export.db").stat().st_size
    print(f"export file {size / 1e9:.2f} GB; since-last file {(out / 'since.db').stat().st_size / 1e6:.1f} MB")
    print(f"\n{'what':<56}{'median s':>10}{'× baseline':>12}")
    for name, value in figures:
        print(f"{name:<56}{value:>10.2f}{value / figures[0][1]:>12.1f}")
    shutil.rmtree(out, ignore_errors=True)
    size_text = f"{database.stat().st_size / 1e9:.2f} GB"
    met = benchlib.result(f"export of a {size_text} database vs a plain file copy", figures[2][1], figures[0][1],
                          max_ratio=TARGET, note=f"VACUUM INTO {figures[1][1] / figures[0][1]:.1f}x")
    benchlib.result("export --since-last, nothing changed, vs a plain file copy", figures[3][1], figures[0][1])
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
