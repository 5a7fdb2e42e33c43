"""Run every benchmark in benchmarks/ and print one table of figures, baselines, ratios and targets.

Run:  .venv/bin/python benchmarks/run_all.py [--quick] [--only NAME,...] [--verbose] [--dry-run]

Each ``bench_*.py`` runs as its own subprocess with a time limit; it prints its own table (kept in
the log folder, or echoed with ``--verbose``) and one ``BENCH-RESULT {json}`` line per row of issue
15's table (see benchlib.result). This script collects those lines into one table and exits 1
when any target is missed or any script fails or times out.

``--quick`` passes ``--quick`` to every script (smaller sizes, a few minutes in all; absolute
targets of size-proportional paths are scaled with the size, see each script). ``--dry-run``
imports every script and parses its arguments without running anything (the test suite uses it).

Figures are medians measured against a baseline in the same run; on a shared machine compare the
ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import benchlib  # noqa: E402

# time limits in seconds (quick, full); a script not listed gets DEFAULT_LIMITS
LIMITS = {
    "bench_scale": (900, 7200),
    "bench_export": (600, 3600),
    "bench_demo": (300, 1800),
    "bench_dashboard_ledger": (300, 1800),
    "bench_unexported": (300, 1800),
    "bench_pg_merge": (600, 2400),  # starts its own PostgreSQL cluster
    "bench_server_scale": (900, 7200),  # like bench_scale: builds and keeps a 100k office database on a server
}
DEFAULT_LIMITS = (300, 1200)


def scripts(only: set[str] | None = None) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    return [path for path in found if not only or path.stem in only or path.stem.removeprefix("bench_") in only]


def dry_run(paths: list[Path], quick: bool) -> int:
    """Import each script as a module and parse its arguments; run nothing."""
    failed = 0
    for path in paths:
        try:
            spec = importlib.util.spec_from_file_location(f"_bench_{path.stem}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            module.build_parser().parse_args(["--quick"] if quick else [])
            print(f"ok      {path.name}")
        except BaseException as exc:  # noqa: BLE001 - report every script, then fail
            failed += 1
            print(f"FAILED  {path.name}: {type(exc).__name__}: {exc}")
    return 1 if failed else 0


def run_script(path: Path, quick: bool, verbose: bool, logs: Path) -> tuple[list[dict], str | None, float]:
    """Run one script; its result lines, an error (exit code / time-out) or None, and its wall time."""
    limit = LIMITS.get(path.stem, DEFAULT_LIMITS)[0 if quick else 1]
    command = [benchlib.PYTHON, str(path)] + (["--quick"] if quick else [])
    start = time.perf_counter()
    log = logs / f"{path.stem}.log"
    error = None
    with open(log, "w") as out:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   env=benchlib.python_env(), cwd=benchlib.ROOT, bufsize=1)
        lines: list[str] = []
        try:
            _pump(process, lines, out, verbose, start + limit)
        except TimeoutError:
            process.kill()
            error = f"timed out after {limit} s"
        code = process.wait()
    if error is None and code not in (0, 1):
        error = f"exit {code}"
    results = [json.loads(line[len(benchlib.MARK):]) for line in lines if line.startswith(benchlib.MARK)]
    if error is None and not results:
        error = f"exit {code}, no results"
    if error is None and code == 1 and all(r["met"] for r in results):
        error = "exit 1 (a check other than a target failed, see the log)"
    return results, error, time.perf_counter() - start


def _pump(process, lines: list[str], out, verbose: bool, deadline: float) -> None:
    import selectors

    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise TimeoutError
        if not selector.select(timeout=min(remaining, 5)):
            continue
        line = process.stdout.readline()
        if not line:
            return
        lines.append(line.rstrip("\n"))
        out.write(line)
        if verbose:
            print("    " + line, end="", flush=True)


def fmt(value, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"


def print_table(rows: list[tuple[str, dict | None, str | None]]) -> None:
    print(f"\n{'path':<58} {'figure':>11} {'baseline':>11} {'ratio':>8}  {'target':<16} met?")
    print("-" * 115)
    for script, item, error in rows:
        if item is None:
            print(f"{script:<58} {'':>11} {'':>11} {'':>8}  {'':<16} FAILED: {error}")
            continue
        ratio = "-" if item["ratio"] is None else f"{item['ratio']:.2f}x"
        met = "yes" if item["met"] else "NO"
        print(f"{item['path'][:58]:<58} {fmt(item['figure'], item['unit']):>11} "
              f"{fmt(item['baseline'], item['unit']):>11} {ratio:>8}  {item['target']:<16} {met}")


def print_markdown(rows: list[tuple[str, dict | None, str | None]]) -> None:
    print("| path | figure | baseline | ratio | target | met? |\n|---|---:|---:|---:|---|---|")
    for script, item, error in rows:
        if item is None:
            print(f"| {script} | | | | | FAILED: {error} |")
            continue
        ratio = "-" if item["ratio"] is None else f"{item['ratio']:.2f}×"
        print(f"| {item['path']} | {fmt(item['figure'], item['unit'])} | {fmt(item['baseline'], item['unit'])} | "
              f"{ratio} | {item['target']} | {'yes' if item['met'] else '**no**'} |")


def rows_from_logs(paths: list[Path], logs: Path) -> list[tuple[str, dict | None, str | None]]:
    """The result lines of the last run of each script, from its log (no benchmark is run)."""
    rows = []
    for path in paths:
        log = logs / f"{path.stem}.log"
        if not log.exists():
            rows.append((path.stem, None, "no log"))
            continue
        lines = [line for line in log.read_text().splitlines() if line.startswith(benchlib.MARK)]
        rows += [(path.stem, json.loads(line[len(benchlib.MARK):]), None) for line in lines] or \
            [(path.stem, None, "no results in the log")]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a few minutes in all)")
    parser.add_argument("--only", help="comma-separated script names (bench_x or x)")
    parser.add_argument("--verbose", "-v", action="store_true", help="echo every script's own output")
    parser.add_argument("--dry-run", action="store_true", help="import and parse arguments only")
    parser.add_argument("--from-logs", action="store_true", help="print the table of the last run's logs, run nothing")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)
    paths = scripts(set(args.only.split(",")) if args.only else None)
    if args.dry_run:
        return dry_run(paths, args.quick)
    logs = benchlib.CACHE / "logs"
    if args.from_logs:
        rows = rows_from_logs(paths, logs)
        (print_markdown if args.markdown else print_table)(rows)
        return 0 if all(item is not None and item["met"] for _, item, _ in rows) else 1
    logs.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, dict | None, str | None]] = []
    failed = False
    for path in paths:
        print(f"running {path.name} ...", flush=True)
        results, error, seconds = run_script(path, args.quick, args.verbose, logs)
        print(f"  {len(results)} result(s) in {seconds:.0f} s" + (f"; {error}" if error else ""), flush=True)
        rows += [(path.stem, item, None) for item in results]
        if error:
            rows.append((path.stem, None, error))
            failed = True
        failed |= not all(item["met"] for item in results)
    (print_markdown if args.markdown else print_table)(rows)
    print(f"\n{'quick' if args.quick else 'full'} mode; each script's own output: {logs}/")
    missed = sum(1 for _, item, _ in rows if item is not None and not item["met"])
    print(f"{missed} target(s) missed" + ("; some scripts failed" if any(i is None for _, i, _ in rows) else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
