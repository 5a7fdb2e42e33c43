"""Shared helpers of the benchmark scripts: timing, the one result line run_all.py reads, data caches.

Every benchmark prints, besides its own table, one line per row of issue 15's table:

    BENCH-RESULT {"path": ..., "figure": 1.23, "baseline": 0.45, "unit": "s", "ratio": 2.7,
                  "target": "<= 1.3x", "met": false}

``ratio`` is figure / baseline (for "faster" targets: baseline / figure, said in ``ratio_kind``).
A script exits 1 when any of its targets is missed. Figures are medians of runs measured in one
process (or interleaved subprocesses) against a same-run baseline, never absolute promises.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MARK = "BENCH-RESULT "
CACHE = Path(os.environ.get("INSPECTOR_BENCH_CACHE", "/var/tmp/inspector-bench"))


def parser(description: str) -> argparse.ArgumentParser:
    """The argument parser every benchmark starts from: ``--quick`` for the small sizes."""
    result = argparse.ArgumentParser(description=description.strip().splitlines()[0])
    result.add_argument("--quick", action="store_true", help="small sizes: the whole set in a few minutes")
    return result


def median_s(function, runs: int, prepare=None) -> float:
    """Median wall time in seconds of ``runs`` calls; ``prepare`` runs untimed before each."""
    times = []
    for _ in range(runs):
        if prepare:
            prepare()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB.

    Linux's VmHWM, which starts afresh at exec; ``ru_maxrss`` would carry the parent's peak into a
    child started by fork + exec (so every child of a 1 GB parent would report 1 GB)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def result(path: str, figure: float, baseline: float | None, *, unit: str = "s", max_ratio: float | None = None,
           min_speedup: float | None = None, max_value: float | None = None, note: str = "") -> bool:
    """Print one BENCH-RESULT line and return whether its target was met.

    One target each: ``max_ratio`` (figure / baseline at most), ``min_speedup`` (baseline / figure
    at least) or ``max_value`` (the figure itself at most, in ``unit``).
    """
    ratio = None
    if baseline:
        ratio = baseline / figure if min_speedup is not None else figure / baseline
    if max_ratio is not None:
        target, met = f"<= {max_ratio:g}x", ratio is not None and ratio <= max_ratio
    elif min_speedup is not None:
        target, met = f">= {min_speedup:g}x faster", ratio is not None and ratio >= min_speedup
    elif max_value is not None:
        target, met = f"<= {max_value:g} {unit}", figure <= max_value
    else:
        target, met = "(information)", True
    line = {"path": path, "figure": round(figure, 4), "baseline": None if baseline is None else round(baseline, 4),
            "unit": unit, "ratio": None if ratio is None else round(ratio, 3),
            "ratio_kind": "speedup" if min_speedup is not None else "figure/baseline",
            "target": target, "met": bool(met), "note": note}
    print(MARK + json.dumps(line, ensure_ascii=False), flush=True)
    return bool(met)


def python_env(**extra: str) -> dict[str, str]:
    """The environment for a subprocess that runs this checkout's code, as installed code runs: with
    .pyc files (PYTHONDONTWRITEBYTECODE, set in some shells here, would add ~0.25 s of compiling to
    every cold process and make the start-up figures meaningless)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update(extra)
    return env


def demo_data_dir(inspections: int, photos_per_hazard: int, seed: int = 7) -> Path:
    """A data directory with a demo batch, built once with ``build_demo`` and cached under CACHE."""
    from datetime import date

    from inspector.db.migrations import latest_version

    # the demo is relative to the day it is built and written at the current schema: a new cache each day
    folder = CACHE / f"demo-{inspections}-p{photos_per_hazard}-s{seed}-v{latest_version()}-{date.today():%Y%m%d}"
    if (folder / "built").exists():
        return folder
    import shutil

    from inspector.core.demo.generate import build_demo
    from inspector.services import Services

    shutil.rmtree(folder, ignore_errors=True)
    services = Services(folder)
    start = time.perf_counter()
    build_demo(services.db, services.checklists.checklists, seed=seed, inspections=inspections,
               photos_per_hazard=photos_per_hazard)
    services.close()
    (folder / "built").write_text("ok\n")
    print(f"built demo data ({inspections} inspections, {photos_per_hazard} photo(s) per hazard) in "
          f"{time.perf_counter() - start:.1f} s: {folder}", flush=True)
    return folder


sys.path.insert(0, str(ROOT))
