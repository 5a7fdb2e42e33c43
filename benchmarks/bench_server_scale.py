"""Scale on the office server (issue 16): a year of laptop exports merged into a 100,000-inspection
PostgreSQL database, and the office's reads there, each against a plain baseline in the same run.

Run:  .venv/bin/python benchmarks/bench_server_scale.py [--quick] [--runs R] [--only merge,week,dashboard,...]
      [--rebuild]

The office database is bench_scale.py's SQLite database (``--quick``: the 10,000-inspection one)
loaded once into a kept PostgreSQL cluster (server_scale_build.py: the app's migrations, then binary
COPY; cached in ``<cache>/pg-scale-<N>-v<schema>/``, so a re-run starts in seconds). Each timed merge
and COPY runs to its very end and is then rolled back instead of committed (then ``VACUUM``,
untimed), so every run starts from the same state without a copy of the database per run; one
merge is then committed for real on a file copy (``CREATE DATABASE … TEMPLATE``) when the disk has
room. Each operation runs in its own child process (its peak RSS is its own):

  merge      10 laptop export files of 1,000 inspections each (``--quick``: 10 of 100), one photo per
             hazard: a year of weekly exports' rows (see server_scale_merge.py), merged in one call as
             ``inspector --database URL merge FILE…`` runs it   vs binary COPY of the rows it adds (<= 2x)
  week       10 files of 10 inspections (one week's exports), one call     vs the same COPY (information)
  committed  the merge once more, committed, on a copy of the office database (information)
  dashboard, ledger, xlsx, analysis   on the office database        vs the simplest SQL (server_scale_ops.py)

The server runs on a Unix socket with ``fsync=off`` (as the tests): figures compare work, not the disk.
Compare the ratios of one run; the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
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
OPS = ["merge", "committed", "week", *READS]
MIN_FREE_GB = 4  # left on the disk after a clone, or the run stops


def build_parser():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--runs", type=int, default=3, help="merge runs (median)")
    parser.add_argument("--only", default=",".join(OPS), help="comma-separated operations")
    parser.add_argument("--files", type=int, default=10, help="export files merged in one call (at most 10)")
    parser.add_argument("--inspections", type=int, default=None, help="inspections per file (1,000; quick 100)")
    parser.add_argument("--rebuild", action="store_true", help="load the office database into the server again")
    parser.add_argument("--op", help=argparse.SUPPRESS)  # one operation, in a child process
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--held", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rollback", action="store_true", help=argparse.SUPPRESS)
    return parser


# ---------------------------------------------------------------- child process

def child(args) -> dict:
    import time

    import server_scale_merge as merging

    if args.op in ("merge", "copy"):
        import resource

        import server_scale_phases

        phases = server_scale_phases.instrument(args.url) if args.op == "merge" else {}
        start = time.perf_counter()
        if args.op == "merge":
            report = merging.merge(args.url, args.paths, commit=not args.rollback)
            detail = (f"added {report.total('added'):,}, updated {report.total('updated'):,}, "
                      f"unchanged {report.total('unchanged'):,}, conflicts {len(report.conflicts)}")
        else:
            held = {table: set(ids) for table, ids in json.loads(args.held.read_text()).items()}
            detail = f"{merging.copy_baseline(args.url, args.paths, held, commit=not args.rollback):,} rows"
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {"seconds": time.perf_counter() - start, "detail": detail, "phases": phases,
                "cpu": time.process_time(), "workers_cpu": workers.ru_utime + workers.ru_stime,
                "workers_rss_mb": workers.ru_maxrss / 1024, "rss_after": server_scale_phases.RSS_AFTER,
                "together_mb": server_scale_phases.TOGETHER["peak_mb"]}
    import server_scale_ops

    return server_scale_ops.run(args.op, args.url)


def run_child(op: str, url: str, paths: list[Path] = (), held: Path | None = None, rollback: bool = False) -> dict:
    command = [benchlib.PYTHON, __file__, "--op", op, "--url", url]
    command += ["--paths", *map(str, paths)] if paths else []
    command += ["--held", str(held)] if held else []
    command += ["--rollback"] if rollback else []
    done = subprocess.run(command, capture_output=True, text=True, env=benchlib.python_env(), timeout=7200)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("OP-RESULT "):
            return json.loads(line[len("OP-RESULT "):])
    return {"error": " | ".join(done.stderr.strip().splitlines()[-4:]) or f"exit {done.returncode}, no output"}


# ---------------------------------------------------------------- driver

def disk_allows_copy(cluster, name: str) -> tuple[bool, str]:
    """Whether a file copy of the database fits, leaving MIN_FREE_GB (plus its growth by the merge)."""
    size, free = cluster.size_gb(name), shutil.disk_usage(cluster.data).free / 1e9
    need = size * 1.6 + MIN_FREE_GB
    return free >= need, f"{free:.1f} GB free, a copy of the {size:.1f} GB office database and its merge need {need:.1f}"


def timed_pair(cluster, files: list[Path], held: Path, runs: int) -> tuple[dict, dict]:
    """Median COPY and merge over ``runs``, interleaved, each rolled back at its end (then VACUUM, untimed)."""
    from server_scale_build import OFFICE

    from server_scale_phases import server_cpu

    url, copies, merges = cluster.url(OFFICE), [], []
    for _ in range(runs):
        for op, results in (("copy", copies), ("merge", merges)):
            before, load = server_cpu(cluster.data), os.getloadavg()[0]
            results.append(run_child(op, url, files, held if op == "copy" else None, rollback=True))
            after = server_cpu(cluster.data)
            results[-1]["server_cpu"] = None if before is None or after is None else after - before
            results[-1]["load"] = (load + os.getloadavg()[0]) / 2
            print_cpu(op, results[-1])
            cluster.admin("VACUUM", OFFICE)  # the rolled-back rows' space, so every run starts alike
    for outcome in copies + merges:
        if "error" in outcome:
            raise SystemExit(f"merge/COPY failed: {outcome['error']}")
    pick = lambda items: sorted(items, key=lambda o: o["seconds"])[len(items) // 2]  # noqa: E731
    return pick(copies), pick(merges)


def describe(files: list[Path]) -> str:
    import server_scale_merge as merging

    rows = merging.rows_in(files)
    size = sum(p.stat().st_size for p in files) / 1e6
    return (f"{len(files)} files, {rows['inspection']:,} inspections / {rows['finding']:,} findings / "
            f"{rows['photo']:,} photos, {size:,.0f} MB")


def measure_merge(name: str, cluster, files: list[Path], runs: int, scratch: Path, label: str,
                  target: float | None) -> tuple[bool, dict]:
    import server_scale_merge as merging
    from server_scale_build import OFFICE

    held_ids = merging.server_ids(cluster.url(OFFICE), files)
    held = scratch / f"held-{name}.json"
    held.write_text(json.dumps({table: sorted(ids) for table, ids in held_ids.items()}))
    copy, merged = timed_pair(cluster, files, held, runs)
    what = describe(files)
    print_row(name, merged, copy["seconds"], f"{what}; merge: {merged['detail']}; COPY: {copy['detail']} "
                                             f"(median of {runs}, each rolled back)")
    ok = benchlib.result(f"{label}: merge {what} vs COPY", merged["seconds"], copy["seconds"],
                         max_ratio=target, note=f"median of {runs}, rolled back before COMMIT")
    ok &= benchlib.result(f"{label}: merge {name} peak RSS", merged["rss_mb"], None, unit="MB", max_value=MAX_RSS_MB)
    return ok, copy


def committed_merge(cluster, files: list[Path], copy: dict, label: str) -> None:
    """One merge as it really ends (COMMIT), on a file copy of the office database, when the disk has room."""
    from server_scale_build import OFFICE

    fits, why = disk_allows_copy(cluster, OFFICE)
    if not fits:
        print(f"committed  skipped: {why}", flush=True)
        return
    name = cluster.clone(OFFICE)
    try:
        merged = run_child("merge", cluster.url(name), files)
    finally:
        cluster.drop(name)
    if "error" in merged:
        raise SystemExit(f"committed merge failed: {merged['error']}")
    print_row("committed", merged, copy["seconds"], f"the same merge with its COMMIT, once, on a copy: {merged['detail']}")
    benchlib.result(f"{label}: merge committed once (on a copy) vs the rolled-back COPY", merged["seconds"],
                    copy["seconds"], note="one run")


def print_cpu(op: str, outcome: dict) -> None:
    """One run's CPU seconds: the client process, its verifying workers, the server; and the merge's phases."""
    if "error" in outcome:
        return
    server = outcome.get("server_cpu")
    print(f"  {op}: {outcome['seconds']:.1f} s wall, load ~{outcome['load']:.1f}; CPU s: client {outcome['cpu']:.1f}, "
          f"workers {outcome['workers_cpu']:.1f} (peak {outcome['workers_rss_mb']:.0f} MB each at most), "
          f"server {'?' if server is None else f'{server:.1f}'}; peak RSS {outcome['rss_mb']:.0f} MB", flush=True)
    if outcome.get("phases"):
        print("    phases (wall / client CPU / workers' CPU / server CPU, s): " + ", ".join(
            f"{name} {wall:.1f}/{cpu:.1f}/{kids:.1f}/{server:.1f}"
            for name, (wall, cpu, kids, server) in outcome["phases"].items()), flush=True)
        print("    the merge process's RSS after each phase (MB): " + ", ".join(
            f"{name} {mb:.0f}" for name, mb in outcome.get("rss_after", {}).items())
              + f"; with its workers, summed, at most {outcome.get('together_mb', 0):.0f} MB", flush=True)


def print_row(name: str, outcome: dict, baseline: float, detail: str) -> None:
    print(f"{name:<10}{outcome['seconds']:>9.2f}{baseline:>10.2f}{outcome['seconds'] / baseline:>7.2f}x"
          f"{outcome['rss_mb']:>8.0f}MB  {detail}", flush=True)


def measure_reads(names: list[str], url: str, label: str) -> bool:
    ok = True
    for name in names:
        outcome = run_child(name, url)
        if "error" in outcome:
            print(f"{name:<10} FAILED: {outcome['error']}", flush=True)
            ok = False
            continue
        print_row(name, outcome, outcome["baseline"], outcome["detail"])
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
    runs = args.runs
    only = [name for name in args.only.split(",") if name]
    cache = benchlib.CACHE / f"pg-scale-{size}-v{latest_version()}"
    scratch = Path(tempfile.mkdtemp(prefix="pgscale-", dir="/var/tmp"))
    cluster, counts = server_scale_build.ensure(source_database(size), cache, scratch, args.rebuild)
    label = f"server scale {size // 1000}k"
    try:
        office = server_scale_build.OFFICE
        print(f"office database: {counts.get('inspection', 0):,} inspections, {counts.get('finding', 0):,} findings, "
              f"{counts.get('photo', 0):,} photos, {cluster.size_gb(office):.2f} GB on the server (cache {cache})\n")
        print(f"{'operation':<10}{'seconds':>9}{'baseline':>10}{'ratio':>8}{'peak RSS':>10}  detail", flush=True)
        cluster.admin("VACUUM", office)  # what an interrupted earlier run left
        ok = True
        if "week" in only:
            week = merging.exports(cache, 10, 10, seed=700)
            ok &= measure_merge("week", cluster, week, runs, scratch, label, None)[0]
        if "merge" in only:
            files = merging.exports(cache, min(args.files, 10), inspections, seed=500)
            met, copy = measure_merge("merge", cluster, files, runs, scratch, label, MERGE_TARGET)
            ok &= met
            if "committed" in only:
                committed_merge(cluster, files, copy, label)
        reads = [name for name in READS if name in only]
        if reads:
            ok &= measure_reads(reads, cluster.url(office), label)
    finally:
        cluster.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
