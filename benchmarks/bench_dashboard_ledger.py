"""Benchmark: dashboard and hazard ledger on 10,000 inspections, against plain SQL counts.

Run:  .venv/bin/python benchmarks/bench_dashboard_ledger.py [--inspections N] [--photos K] [--data-dir DIR]

Builds N inspections with ``inspector.core.demo.generate.build_demo`` (K photos per hazard, default 1,
plus the closed-loop history: statuses, events, re-inspections, after photos) in a temporary
data directory, or reuses ``--data-dir`` from an earlier run (its path is printed). Then times,
as the median of several runs in this one process:

  baseline  ``SELECT count(*)`` over finding ⋈ inspection ⋈ enterprise (hazards), and over
            photo and hazard_event: the least any query over the same tables costs
  dashboard ``load_dashboard`` (one SQL query + grouping in Python)
  ledger    ``ledger_rows`` without and with the photo list, then the .csv and .xlsx exports

and prints each against the baseline. Timings jitter by about 15 % on a shared machine:
compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402


def median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def build(data_dir: Path, inspections: int, photos: int) -> None:
    from inspector.core.demo.generate import build_demo
    from inspector.services import Services

    services = Services(data_dir)
    start = time.perf_counter()
    result = build_demo(services.db, services.checklists.checklists, seed=7, inspections=inspections,
                        photos_per_hazard=photos)
    print(f"built {result.inspections} inspections, {result.hazards} hazards, photos per hazard {photos} "
          f"in {time.perf_counter() - start:.1f} s: {data_dir}")
    services.close()


def build_parser() -> argparse.ArgumentParser:
    parser = benchlib.parser(__doc__)
    parser.add_argument("--inspections", type=int, default=10_000)
    parser.add_argument("--photos", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, help="default: the cached demo data (shared with bench_export)")
    parser.add_argument("--runs", type=int, default=5)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.quick:
        args.inspections, args.runs = min(args.inspections, 1_000), 3
    data_dir = args.data_dir or benchlib.demo_data_dir(args.inspections, args.photos)
    if not (data_dir / "inspector.db").exists():
        build(data_dir, args.inspections, args.photos)
    run(data_dir, args.runs)
    return 0


def run(data_dir: Path, runs: int) -> None:
    from sqlalchemy import text

    from inspector.core.loop.dashboard import load_dashboard
    from inspector.core.reports.ledger import ledger_rows
    from inspector.core.reports.ledger_export import write_csv
    from inspector.core.reports.ledger_xlsx import write_xlsx
    from inspector.core.reports.ledger import LedgerFilter
    from inspector.services import Services

    services = Services(data_dir)
    db = services.db

    def count(sql: str):
        with db.session() as session:
            return session.execute(text(sql)).scalar_one()

    hazards_sql = ("SELECT count(*) FROM finding f JOIN inspection i ON i.id = f.inspection_id "
                   "JOIN enterprise e ON e.id = i.enterprise_id WHERE f.result = 'fail' AND f.deleted_at IS NULL")
    counts = {name: count(sql) for name, sql in (
        ("inspections", "SELECT count(*) FROM inspection"), ("hazards", hazards_sql),
        ("photos", "SELECT count(*) FROM photo"), ("events", "SELECT count(*) FROM hazard_event"))}
    print("data: " + ", ".join(f"{name} {value:,}" for name, value in counts.items()))
    board = load_dashboard(db)
    print("dashboard counts: " + ", ".join(f"{k} {v:,}" for k, v in board.counts.items()))

    baseline = median_ms(lambda: count(hazards_sql), runs)
    baseline_all = median_ms(lambda: (count(hazards_sql), count("SELECT count(*) FROM photo"),
                                      count("SELECT count(*) FROM hazard_event")), runs)
    rows = ledger_rows(db)
    figures = [
        ("baseline: count(*) hazards (finding ⋈ inspection ⋈ enterprise)", baseline, baseline),
        ("baseline: + count(*) photo + count(*) hazard_event", baseline_all, baseline),
        ("dashboard: load_dashboard", median_ms(lambda: load_dashboard(db), runs), baseline),
        ("ledger rows without photo list", median_ms(lambda: ledger_rows(db, with_photos=False), runs), baseline_all),
        ("ledger rows with photo list", median_ms(lambda: ledger_rows(db), runs), baseline_all),
    ]
    with tempfile.TemporaryDirectory() as folder:
        csv_path, xlsx_path = Path(folder) / "ledger.csv", Path(folder) / "ledger.xlsx"
        export_runs = max(1, min(runs, 3))
        figures.append(("write .csv (rows already read)", median_ms(lambda: write_csv(rows, csv_path), export_runs),
                        baseline_all))
        figures.append(("write .xlsx (rows already read)",
                        median_ms(lambda: write_xlsx(rows, xlsx_path, LedgerFilter()), export_runs), baseline_all))
        sizes = f"csv {csv_path.stat().st_size / 1e6:.1f} MB, xlsx {xlsx_path.stat().st_size / 1e6:.1f} MB"
    print(f"\n{'what':<66}{'median ms':>11}{'× baseline':>12}")
    for name, value, base in figures:
        print(f"{name:<66}{value:>11.1f}{value / base:>12.1f}")
    for name, value, base in figures[2:]:
        benchlib.result(f"{name} ({counts['inspections']:,} inspections)", value / 1000, base / 1000,
                        note="not in the issue's table (information)")
    print(f"\nledger: {len(rows):,} rows, {sum(len(r.photos) for r in rows):,} photos listed; {sizes}")
    services.close()


if __name__ == "__main__":
    sys.exit(main())
