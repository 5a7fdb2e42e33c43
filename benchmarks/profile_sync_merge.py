"""Where one merge of ``bench_sync_merge.py``'s data spends its time: a profiling aid, not a benchmark.

Run:  .venv/bin/python benchmarks/profile_sync_merge.py [--folder DIR] [--runs R] [--cprofile]

Uses the data ``bench_sync_merge.py`` cached (``sync-merge-<N>-v<schema>/``; run that script once first).
Merges the export into a fresh copy of the local database R times (after one warm-up merge, so imports and
the page cache are out of the figures) and prints for each run the wall-clock moments (seconds from the
start) at which each phase ended: the writer thread's tables (rows new everywhere), the caller's check of the
rows and photo blobs (one thread since round 6) and of ``quick_check`` and the PDFs (since round 8 the writer
runs ``quick_check`` when it is done first: then inside its own time),
the post phase (plan, upserts, stamps, history, log) and the COMMIT (which includes SQLite's automatic
checkpoint of the WAL), with the CPU seconds of the writer and caller threads and of the process.
``--cprofile`` adds a profile of the caller's thread for the last run. The phases are observed by wrapping
functions of ``merge_pipeline`` in this process only; nothing of the merge changes.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib


def observe(marks: list[tuple[str, float, float]], started: list[float]):
    """Wrap the phases of ``merge_pipeline`` to append (phase, end moment, thread CPU) to ``marks``."""
    from inspector.core.sync import merge_pipeline, verify_blobs

    def note(name: str, cpu: float | None = None) -> None:
        marks.append((name, time.perf_counter() - started[0], time.thread_time() - cpu if cpu is not None else -1))

    def wrapped(owner, name: str, label: str):
        function = getattr(owner, name)

        def call(*args, **kwargs):
            cpu = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                note(label, cpu)
        setattr(owner, name, call)

    wrapped(merge_pipeline._Writer, "_run", "writer thread done (its CPU)")
    wrapped(verify_blobs.InlineBlobs, "after_rows", "caller: quick_check (unless the writer ran it) and PDFs done (their CPU)")
    wrapped(merge_pipeline.Verification, "check_rows", "caller: rows and photo blobs checked (its CPU)")
    wrapped(merge_pipeline, "write", "caller: post phase done (its CPU)")
    wrapped(merge_pipeline, "_refuse", "caller: blobs waited for")
    merge_pipeline._test_hook = lambda point: note(f"writer: {point}")
    original_merge = merge_pipeline._merge

    def merge(connection, *args):
        try:
            return original_merge(connection, *args)
        finally:
            note("caller: COMMIT done")
    merge_pipeline._merge = merge


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args(argv)
    from bench_sync_merge import fresh_copy

    from inspector.core.sync.merge import merge_files
    from inspector.db.migrations import latest_version

    folder = args.folder or benchlib.CACHE / f"sync-merge-{args.inspections}-v{latest_version()}"
    local, export = folder / "a" / "inspector.db", folder / "b-export.db"
    if not (local.exists() and export.exists()):
        print(f"{folder} lacks a/inspector.db or b-export.db: run benchmarks/bench_sync_merge.py first", file=sys.stderr)
        return 1
    work = folder / "profile" / "inspector.db"
    work.parent.mkdir(exist_ok=True)
    merge = lambda: merge_files(work, [export], backups_dir=work.parent / "backups")
    fresh_copy(local, work)
    merge()  # warm-up: imports, page cache
    marks: list[tuple[str, float, float]] = []
    started = [0.0]
    observe(marks, started)
    for run in range(args.runs):
        fresh_copy(local, work)
        marks.clear()
        profile = cProfile.Profile() if args.cprofile and run == args.runs - 1 else None
        started[0], cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        merge()
        if profile:
            profile.disable()
        wall, cpu = time.perf_counter() - started[0], time.process_time() - cpu
        print(f"\nrun {run + 1}: {wall:.3f} s wall, {cpu:.3f} s CPU (all threads)")
        for name, moment, spent in sorted(marks, key=lambda mark: mark[1]):
            print(f"  {moment:7.3f} s  {name}" + (f"  {spent:.3f} s" if spent >= 0 else ""))
        if profile:
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    shutil.rmtree(work.parent)  # the copies merged into: 250 MB each
    return 0


if __name__ == "__main__":
    sys.exit(main())
