"""Scale on the office server (issue 16): a year of laptop exports merged into a 100,000-inspection
PostgreSQL database, and the office's reads there, each against a plain baseline in the same run.

Run:  .venv/bin/python benchmarks/bench_server_scale.py [--quick] [--runs R] [--only merge,week,dashboard,...]
      [--rebuild]

The office database is bench_scale.py's SQLite database (``--quick``: the 10,000-inspection one)
loaded once into a kept PostgreSQL cluster (server_scale_build.py: the app's migrations, then binary
COPY; cached in ``<cache>/pg-scale-<N>-v<schema>/``, so a re-run starts in seconds). Every timed write
runs on a fresh file copy of it (``CREATE DATABASE … TEMPLATE … STRATEGY FILE_COPY``), so every run
starts from the same state. Each operation runs in its own child process (its peak RSS is its own):

  merge      10 laptop export files of 1,000 inspections each (``--quick``: 10 of 100), one photo per
             hazard: a year of weekly exports' rows (see server_scale_merge.py), merged in one call as
             ``inspector --database URL merge FILE…`` runs it   vs binary COPY of the rows it adds (<= 2x)
  week       10 files of 10 inspections (one week's exports), one call     vs the same COPY (information)
  dashboard, ledger, xlsx, analysis   on the merged database       vs the simplest SQL (server_scale_ops.py)

The server runs on a Unix socket with ``fsync=off`` (as the tests): figures compare work, not the disk.
Compare the ratios of one run; the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

MERGE_TARGET = 2.0
MAX_RSS_MB = 400  # issue 15's per-operation target, as bench_scale.py
READS = ["dashboard", "ledger", "xlsx", "analysis"]
OPS = ["merge", "week", *READS]
MIN_FREE_GB = 4  # left on the disk after a clone, or the run stops


def build_parser():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--runs", type=int, default=None, help="merge runs (median); default 3, 1 at full size")
    parser.add_argument("--only", default=",".join(OPS), help="comma-separated operations")
    parser.add_argument("--files", type=int, default=10, help="export files merged in one call (at most 10)")
    parser.add_argument("--inspections", type=int, default=None, help="inspections per file (1,000; quick 100)")
    parser.add_argument("--rebuild", action="store_true", help="load the office database into the server again")
    parser.add_argument("--op", help=argparse.SUPPRESS)  # one operation, in a child process
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--held", type=Path, help=argparse.SUPPRESS)
    return parser


# ---------------------------------------------------------------- child process

def child(args) -> dict:
    import time

    import server_scale_merge as merging

    if args.op in ("merge", "copy"):
        start = time.perf_counter()
        if args.op == "merge":
            report = merging.merge(args.url, args.paths)
            detail = (f"added {report.total('added'):,}, updated {report.total('updated'):,}, "
                      f"unchanged {report.total('unchanged'):,}, conflicts {len(report.conflicts)}")
        else:
            held = {table: set(ids) for table, ids in json.loads(args.held.read_text()).items()}
            detail = f"{merging.copy_baseline(args.url, args.paths, held):,} rows"
        return {"seconds": time.perf_counter() - start, "detail": detail}
    import server_scale_ops

    return server_scale_ops.run(args.op, args.url)


def run_child(op: str, url: str, paths: list[Path] = (), held: Path | None = None) -> dict:
    command = [benchlib.PYTHON, __file__, "--op", op, "--url", url]
    command += ["--paths", *map(str, paths)] if paths else []
    command += ["--held", str(held)] if held else []
    done = subprocess.run(command, capture_output=True, text=True, env=benchlib.python_env(), timeout=7200)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("OP-RESULT "):
            return json.loads(line[len("OP-RESULT "):])
    return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}


# ---------------------------------------------------------------- driver

class Clones:
    """Fresh copies of the office database, one at a time (each is as large as the office database)."""

    def __init__(self, cluster, template: str):
        self.cluster, self.template, self.current = cluster, template, None
        self.size_gb = cluster.size_gb(template)

    def fresh(self) -> str:
        self.drop()
        free = shutil.disk_usage(self.cluster.data).free / 1e9
        if free - self.size_gb < MIN_FREE_GB:
            raise SystemExit(f"only {free:.1f} GB free: a {self.size_gb:.1f} GB copy of the office database "
                             f"would leave less than {MIN_FREE_GB} GB")
        self.current = self.cluster.clone(self.template)
        return self.cluster.url(self.current)

    def drop(self) -> None:
        if self.current:
            self.cluster.drop(self.current)
            self.current = None


def timed_pair(clones: Clones, files: list[Path], held: Path, runs: int) -> tuple[dict, dict, str]:
    """Median COPY and merge over ``runs``, interleaved, each on a fresh clone; the last merged clone's URL."""
    copies, merges = [], []
    for _ in range(runs):
        copies.append(run_child("copy", clones.fresh(), files, held))
        url = clones.fresh()
        merges.append(run_child("merge", url, files))
    for outcome in copies + merges:
        if "error" in outcome:
            raise SystemExit(f"merge/COPY failed: {outcome['error']}")
    pick = lambda items: sorted(items, key=lambda o: o["seconds"])[len(items) // 2]  # noqa: E731
    return pick(copies), pick(merges), url


def measure_merge(name: str, clones: Clones, files: list[Path], runs: int, scratch: Path, label: str,
                  target: float | None) -> tuple[bool, str]:
    import server_scale_merge as merging

    held_ids = merging.server_ids(clones.cluster.url(clones.template), files)  # read only
    held = scratch / f"held-{name}.json"
    held.write_text(json.dumps({table: sorted(ids) for table, ids in held_ids.items()}))
    copy, merged, url = timed_pair(clones, files, held, runs)
    rows = merging.rows_in(files)
    size = sum(p.stat().st_size for p in files) / 1e6
    what = (f"{len(files)} files, {rows['inspection']:,} inspections / {rows['finding']:,} findings / "
            f"{rows['photo']:,} photos, {size:,.0f} MB")
    ratio = merged["seconds"] / copy["seconds"]
    print(f"{name:<10}{merged['seconds']:>9.2f}{copy['seconds']:>10.2f}{ratio:>7.2f}x{merged['rss_mb']:>8.0f}MB  "
          f"{what}; merge: {merged['detail']}; COPY: {copy['detail']} (median of {runs})", flush=True)
    ok = benchlib.result(f"{label}: merge {what} vs COPY", merged["seconds"], copy["seconds"],
                         max_ratio=target, note=f"median of {runs}")
    ok &= benchlib.result(f"{label}: merge {name} peak RSS", merged["rss_mb"], None, unit="MB", max_value=MAX_RSS_MB)
    return ok, url


def measure_reads(names: list[str], url: str, label: str) -> bool:
    ok = True
    for name in names:
        outcome = run_child(name, url)
        if "error" in outcome:
            print(f"{name:<10} FAILED: {outcome['error']}", flush=True)
            ok = False
            continue
        ratio = outcome["seconds"] / outcome["baseline"]
        print(f"{name:<10}{outcome['seconds']:>9.2f}{outcome['baseline']:>10.2f}{ratio:>7.2f}x"
              f"{outcome['rss_mb']:>8.0f}MB  {outcome['detail']}", flush=True)
        benchlib.result(f"{label}: {name} vs plain SQL", outcome["seconds"], outcome["baseline"], note="median of 3")
        ok &= benchlib.result(f"{label}: {name} peak RSS", outcome["rss_mb"], None, unit="MB", max_value=MAX_RSS_MB)
    return ok


def source_database(size: int) -> Path:
    import bench_scale

    folder = bench_scale.scale_dir(size // bench_scale.YEARS)
    if not (folder / "built").exists():
        bench_scale.build(folder, size // bench_scale.YEARS)
    return folder / "inspector.db"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.op:
        outcome = child(args)
        print("OP-RESULT " + json.dumps(outcome | {"rss_mb": benchlib.peak_rss_mb()}), flush=True)
        return 0
    import pgserver
    import server_scale_build
    import server_scale_merge as merging
    from inspector.db.migrations import latest_version

    if pgserver.bin_dir() is None:
        print("PostgreSQL is not installed: skipped")
        return 0
    size = 10_000 if args.quick else 100_000
    inspections = args.inspections or (100 if args.quick else 1000)
    runs = args.runs or (3 if args.quick else 1)
    only = [name for name in args.only.split(",") if name]
    cache = benchlib.CACHE / f"pg-scale-{size}-v{latest_version()}"
    scratch = Path(tempfile.mkdtemp(prefix="pgscale-", dir="/var/tmp"))
    cluster, counts = server_scale_build.ensure(source_database(size), cache, scratch, args.rebuild)
    clones = Clones(cluster, server_scale_build.OFFICE)
    label = f"server scale {size // 1000}k"
    try:
        print(f"office database: {counts.get('inspection', 0):,} inspections, {counts.get('finding', 0):,} findings, "
              f"{counts.get('photo', 0):,} photos, {clones.size_gb:.2f} GB on the server (cache {cache})\n")
        print(f"{'operation':<10}{'seconds':>9}{'baseline':>10}{'ratio':>8}{'peak RSS':>10}  detail", flush=True)
        ok, url = True, None
        if "week" in only:
            week = merging.exports(cache, 10, 10, seed=700)
            ok &= measure_merge("week", clones, week, runs, scratch, label, None)[0]
        if "merge" in only:
            files = merging.exports(cache, min(args.files, 10), inspections, seed=500)
            met, url = measure_merge("merge", clones, files, runs, scratch, label, MERGE_TARGET)
            ok &= met
        reads = [name for name in READS if name in only]
        if reads:
            ok &= measure_reads(reads, url or clones.fresh(), label + (" + merge" if url else ""))
    finally:
        clones.drop()
        cluster.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
