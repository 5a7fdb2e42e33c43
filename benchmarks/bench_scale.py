"""Scale run: a county over ten years (100,000 inspections): each path a person waits for, timed, with peak RSS.

Run:  .venv/bin/python benchmarks/bench_scale.py [--quick] [--only OP,...] [--rebuild]

The database is built once and cached (the path is printed): ten batches of ``build_demo`` with
10,000 inspections each (``--quick``: ten of 1,000), batch k moved k years into the past by shifting
the year of every date column of its rows, so the data spans ten years. Only the newest year has
photos (one per hazard, as ``inspector demo`` makes them); the nine older years have none, to keep
the file at about 3 GB on this machine (a real county's ten years of photos would be ~12 GB).

Every operation runs in its own subprocess so that its peak RSS (``ru_maxrss``) is its own:

  open        Services + Database open (migration check) + table counts
  dashboard   ``load_dashboard``                         vs count(*) over the hazards' join
  list        summary query + ``InspectionsView.set_inspections`` + one pinyin filter (Qt offscreen)
  ledger      ``ledger_rows`` of the newest full year + ``write_xlsx``
  analysis    ``monthly_analysis`` of the newest complete month
  export      ``export_database`` (full)                 vs copyfile + fsync (target <= 2x)
  merge       ``merge_files`` of a 1,000-inspection export from another laptop into a copy
                                                         vs INSERT ... SELECT of the same rows (target <= 1.4x)
  gui         the real MainWindow offscreen on the database, used as a person uses it
              (benchmarks/scale_gui.py): launch, open the inspection list, type a filter key by key,
              clear it and turn the wheel 80 notches, click every tab, open the ledger and export
              dialogs and a hazard from the dashboard; a 10 ms QTimer heartbeat throughout: the longest
              gap between beats is the longest GUI-thread stall (target <= 100 ms), charged to its step
              (--why: the GUI thread's stacks sampled during late beats)

Targets (issue 15): no GUI-thread stall over 100 ms; every operation under 400 MB peak RSS.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

OPS = ["open", "dashboard", "list", "ledger", "analysis", "export", "merge", "gui"]
MAX_RSS_MB = 400
MAX_STALL_MS = 100
YEARS = 10


def build_parser():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--only", default=",".join(OPS), help="comma-separated operations")
    parser.add_argument("--rebuild", action="store_true", help="build the cached database again")
    parser.add_argument("--why", action="store_true", help="gui: print where the GUI thread was in each step's stalls")
    parser.add_argument("--op", help=__import__("argparse").SUPPRESS)  # one operation, in a child process
    parser.add_argument("--data-dir", type=Path, help=__import__("argparse").SUPPRESS)
    return parser


def scale_dir(per_year: int) -> Path:
    return benchlib.CACHE / f"scale-{per_year * YEARS}"


def build(folder: Path, per_year: int) -> None:
    from inspector.core.demo.generate import build_demo
    from inspector.services import Services

    shutil.rmtree(folder, ignore_errors=True)
    services = Services(folder)
    start = time.perf_counter()
    for years_back in range(YEARS):
        before = _max_rowids(services.db.path)
        build_demo(services.db, services.checklists.checklists, seed=100 + years_back, inspections=per_year,
                   photos_per_hazard=1 if years_back == 0 else 0)
        _shift_years(services.db.path, before, years_back)
        print(f"  year -{years_back}: {per_year:,} inspections, {time.perf_counter() - start:.0f} s", flush=True)
    services.close()
    connection = sqlite3.connect(folder / "inspector.db")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    (folder / "built").write_text("ok\n")
    size = (folder / "inspector.db").stat().st_size / 1e9
    print(f"built {per_year * YEARS:,} inspections in {time.perf_counter() - start:.0f} s, {size:.2f} GB: {folder}")


def _tables(connection) -> list[str]:
    return [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]


def _max_rowids(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    found = {}
    for table in _tables(connection):
        try:
            found[table] = connection.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
        except sqlite3.OperationalError:  # a WITHOUT ROWID table (sync bookkeeping): no dates to move
            pass
    connection.close()
    return found


def _shift_years(path: Path, before: dict[str, int], years: int) -> None:
    """Move the rows added since ``before`` ``years`` years back: every ISO date or timestamp column."""
    if not years:
        return
    connection = sqlite3.connect(path)
    with connection:
        for table in _tables(connection):
            if table in ("local_meta", "sync_log") or table not in before:
                continue
            for column in [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]:
                sample = connection.execute(f"SELECT {column} FROM {table} WHERE rowid > ? AND {column} IS NOT NULL "
                                            f"LIMIT 1", (before.get(table, 0),)).fetchone()
                if sample and isinstance(sample[0], str) and len(sample[0]) >= 10 and sample[0][:4].isdigit() \
                        and sample[0][4] == "-" and sample[0][7] == "-":
                    connection.execute(
                        f"UPDATE {table} SET {column} = printf('%04d', CAST(substr({column}, 1, 4) AS INTEGER) - ?) "
                        f"|| replace(substr({column}, 5), '-02-29', '-02-28') WHERE rowid > ? AND {column} IS NOT NULL",
                        (years, before.get(table, 0)))
    connection.close()


# ---------------------------------------------------------------- operations (each in a child process)

def op_open(folder: Path) -> dict:
    from inspector.db.queries import table_counts
    from inspector.services import Services

    start = time.perf_counter()
    services = Services(folder)
    with services.db.session() as session:
        counts = table_counts(session)
    seconds = time.perf_counter() - start
    services.close()
    return {"seconds": seconds, "detail": f"{counts.get('inspection', 0):,} inspections"}


def op_dashboard(folder: Path) -> dict:
    from sqlalchemy import text

    from inspector.core.loop.dashboard import load_dashboard
    from inspector.services import Services

    services = Services(folder)
    db = services.db
    sql = ("SELECT count(*) FROM finding f JOIN inspection i ON i.id = f.inspection_id "
           "JOIN enterprise e ON e.id = i.enterprise_id WHERE f.result = 'fail' AND f.deleted_at IS NULL")

    def count():
        with db.session() as session:
            return session.execute(text(sql)).scalar_one()

    count()
    baseline = benchlib.median_s(count, 3)
    board = []
    seconds = benchlib.median_s(lambda: board.append(load_dashboard(db)), 3)
    services.close()
    return {"seconds": seconds, "baseline": baseline, "detail": f"counts {board[-1].counts}"}


def op_list(folder: Path) -> dict:
    from inspector.core.common.text_search import initials
    from inspector.db.queries import inspection_summaries
    from inspector.services import Services
    from inspector.ui.application import create_application
    from inspector.ui.records.inspections_view import InspectionsView

    services = Services(folder)
    app = create_application()
    view = InspectionsView()
    view.resize(1200, 700)
    view.show()
    app.processEvents()
    start = time.perf_counter()
    with services.db.session() as session:
        summaries = inspection_summaries(session)
    query = time.perf_counter() - start
    view.set_inspections(summaries)
    loaded = time.perf_counter() - start
    word = initials(summaries[len(summaries) // 2].enterprise)[2:6]
    start = time.perf_counter()
    view.proxy.set_query(word)
    rows = view.proxy.rowCount()
    filtered = time.perf_counter() - start
    services.close()
    return {"seconds": loaded + filtered, "detail": f"query {query:.2f} s, model {loaded - query:.2f} s, "
            f"filter '{word}' {filtered * 1000:.0f} ms -> {rows:,} of {len(summaries):,}"}


def op_ledger(folder: Path) -> dict:
    import tempfile
    from datetime import date

    from inspector.core.reports.ledger import LedgerFilter, ledger_rows
    from inspector.core.reports.ledger_xlsx import write_xlsx
    from inspector.services import Services

    services = Services(folder)
    today = date.today()
    flt = LedgerFilter(date_from=date(today.year - 1, today.month, 1), date_to=today)
    start = time.perf_counter()
    rows = ledger_rows(services.db, flt)
    read = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as out:
        write_xlsx(rows, Path(out) / "ledger.xlsx", flt)
    seconds = time.perf_counter() - start
    services.close()
    return {"seconds": seconds, "detail": f"{len(rows):,} rows of the last 12 months; read {read:.1f} s, "
            f"xlsx {seconds - read:.1f} s"}


def op_analysis(folder: Path) -> dict:
    from datetime import date

    from inspector.core.reports.analysis import add_months, monthly_analysis
    from inspector.services import Services

    services = Services(folder)
    month = add_months(date.today().replace(day=1), -1)
    start = time.perf_counter()
    monthly_analysis(services.db, month)
    seconds = time.perf_counter() - start
    services.close()
    return {"seconds": seconds, "detail": f"month {month:%Y-%m}"}


def op_export(folder: Path) -> dict:
    """The full export against copyfile + fsync, each from the same page-cache state: as the run leaves it
    (the copy reads the file into the cache, so the export that follows finds it there), or, with
    ``INSPECTOR_BENCH_COLD=1``, with the database dropped from the page cache before each (Linux).
    ``INSPECTOR_BENCH_NEVER_HASHED=1``: the first export of a copy that nobody hashed yet
    (:func:`bench_export.never_hashed`; peak RSS is the point, the copy is made outside the timings)."""
    import os

    from bench_export import cached_share as _cached_share
    from bench_export import never_hashed

    from inspector.core.sync.export import export_database

    database = folder / "inspector.db"
    out = benchlib.CACHE / "scale-out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    if os.environ.get("INSPECTOR_BENCH_NEVER_HASHED") == "1":
        never_hashed(database, out / "never-hashed.db")
        database = out / "never-hashed.db"
    cold = os.environ.get("INSPECTOR_BENCH_COLD") == "1"
    cached_copy = _cached_share(database, drop=cold)
    cpu, start = os.times(), time.perf_counter()
    shutil.copyfile(database, out / "copy.db")
    with open(out / "copy.db", "rb+") as handle:
        os.fsync(handle.fileno())
    baseline, copy_cpu = time.perf_counter() - start, _cpu_since(cpu)
    (out / "copy.db").unlink()
    cached_export = _cached_share(database, drop=cold)
    cpu, start = os.times(), time.perf_counter()
    export_database(database, out / "export.db")
    seconds, export_cpu = time.perf_counter() - start, _cpu_since(cpu)
    size = (out / "export.db").stat().st_size / 1e9
    shutil.rmtree(out, ignore_errors=True)
    return {"seconds": seconds, "baseline": baseline,
            "detail": f"export file {size:.2f} GB; CPU export {export_cpu:.1f} s, copy {copy_cpu:.1f} s; "
                      f"database in the page cache before the copy {cached_copy:.0%}, before the export "
                      f"{cached_export:.0%}; load {os.getloadavg()[0]:.1f}"}


def _cpu_since(before) -> float:
    import os

    after = os.times()
    return after.user + after.system - before.user - before.system


def plain_copy(local: Path, export: Path) -> None:
    """The baseline: the export's rows copied with INSERT OR IGNORE … SELECT, one transaction (the
    laptop's checklist snapshots are already in the office database: same ids, ignored)."""
    from inspector.core.sync.rows import SYNC_ORDER

    connection = sqlite3.connect(local, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("ATTACH DATABASE ? AS inc", (str(export),))
    connection.execute("BEGIN IMMEDIATE")
    for table in SYNC_ORDER:
        connection.execute(f"INSERT OR IGNORE INTO main.{table} SELECT * FROM inc.{table}")
    connection.execute("COMMIT")
    connection.close()


def op_merge(folder: Path) -> dict:
    from inspector.core.sync.export import export_database
    from inspector.core.sync.merge import merge_files

    laptop = benchlib.demo_data_dir(1000, 1, seed=999)
    incoming = benchlib.CACHE / "scale-merge-in.db"
    if not incoming.exists():
        export_database(laptop / "inspector.db", incoming)
    work = benchlib.CACHE / "scale-merge-work" / "inspector.db"
    times = {}
    for name, job in (("baseline", lambda: plain_copy(work, incoming)),
                      ("seconds", lambda: merge_files(work, [incoming], backups_dir=work.parent / "backups"))):
        shutil.rmtree(work.parent, ignore_errors=True)
        work.parent.mkdir(parents=True)
        shutil.copyfile(folder / "inspector.db", work)
        start = time.perf_counter()
        job()
        times[name] = time.perf_counter() - start
    shutil.rmtree(work.parent, ignore_errors=True)
    return times | {"detail": "1,000 inspections with photos merged (incl. verify + backup of the local file)"}


def op_gui(folder: Path) -> dict:
    from scale_gui import Scenario

    from inspector.services import Services
    from inspector.ui.application import create_application

    app = create_application()
    services = Services(folder)
    scenario = Scenario(app, services)
    scenario.run()
    outcome = scenario.result()
    scenario.window.close()
    services.close()
    step, (stall, at) = outcome["longest"]
    marks = outcome["marks"]
    steps = "; ".join(f"{name} {gap} ms" for name, (gap, _) in outcome["worst"].items())
    shown = marks.get("list done", marks.get("list", 0))
    cpu, gap, gap_at, gap_step = outcome["busiest"]
    detail = (f"longest stall {stall} ms at {at / 1000:.2f} s in '{step}'; most GUI-thread CPU in one stall "
              f"{cpu} ms ({gap} ms at {gap_at / 1000:.2f} s in '{gap_step}'); data loaded at "
              f"{(outcome['loaded_ms'] or 0) / 1000:.1f} s, list shown by {shown / 1000:.1f} s; per step: {steps}; "
              + "; ".join(outcome["notes"]))
    if WHY:
        for name, stacks in outcome["stacks"].items():
            print(f"--- {name}", file=sys.stderr)
            for stack, count in stacks:
                print(f"  {count * 5} ms  {stack}", file=sys.stderr)
    return {"seconds": shown / 1000, "stall_ms": stall, "stall_cpu_ms": cpu, "detail": detail}


WHY = False


# ---------------------------------------------------------------- driver

def run_op(name: str, folder: Path) -> dict:
    command = [benchlib.PYTHON, __file__, "--op", name, "--data-dir", str(folder)] + (["--why"] if WHY else [])
    done = subprocess.run(command, capture_output=True, text=True, env=benchlib.python_env(), timeout=3600)
    if WHY:
        print(done.stderr, file=sys.stderr)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("OP-RESULT "):
            return json.loads(line[len("OP-RESULT "):])
    return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}


def main(argv: list[str] | None = None) -> int:
    global WHY
    args = build_parser().parse_args(argv)
    WHY = args.why
    if args.op:
        outcome = globals()[f"op_{args.op}"](args.data_dir)
        print("OP-RESULT " + json.dumps(outcome | {"rss_mb": benchlib.peak_rss_mb()}), flush=True)
        return 0
    per_year = 1_000 if args.quick else 10_000
    folder = scale_dir(per_year)
    if args.rebuild or not (folder / "built").exists():
        build(folder, per_year)
    print(f"scale database: {folder / 'inspector.db'} "
          f"({(folder / 'inspector.db').stat().st_size / 1e9:.2f} GB, {per_year * YEARS:,} inspections)\n")
    print(f"{'operation':<10}{'seconds':>9}{'baseline':>10}{'ratio':>7}{'peak RSS':>10}  detail")
    ok = True
    for name in [n for n in args.only.split(",") if n]:
        outcome = run_op(name, folder)
        if "error" in outcome:
            print(f"{name:<10} FAILED: {outcome['error']}")
            ok = False
            continue
        base = outcome.get("baseline")
        ratio = f"{outcome['seconds'] / base:6.1f}x" if base else "      "
        print(f"{name:<10}{outcome['seconds']:>9.2f}{base or 0:>10.2f}{ratio:>7}{outcome['rss_mb']:>8.0f}MB  "
              f"{outcome['detail']}", flush=True)
        label = f"scale {per_year * YEARS // 1000}k: {name}"
        ok &= benchlib.result(f"{label} peak RSS", outcome["rss_mb"], None, unit="MB", max_value=MAX_RSS_MB)
        if name == "export":
            ok &= benchlib.result(f"{label} vs file copy", outcome["seconds"], base, max_ratio=2.0)
        elif name == "merge":
            ok &= benchlib.result(f"{label} vs INSERT…SELECT", outcome["seconds"], base, max_ratio=1.4)
        elif name == "gui":
            ok &= benchlib.result(f"{label} longest GUI-thread stall", outcome["stall_ms"], None, unit="ms",
                                  max_value=MAX_STALL_MS)
            benchlib.result(f"{label} GUI-thread CPU within one stall (most)", outcome["stall_cpu_ms"], None,
                            unit="ms", note="the app's own work; the rest of a stall is waiting (CPU, GIL)")
        else:
            benchlib.result(f"{label} time", outcome["seconds"], base)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
