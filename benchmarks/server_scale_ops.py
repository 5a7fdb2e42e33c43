"""The office's reads on the scale server database, each against the simplest direct SQL that gives the
same counts or rows, in the same process (bench_server_scale.py runs each in its own child process, so
the peak RSS it reports is that operation's own).

  dashboard  ``load_dashboard``                 vs one ``count(CASE WHEN …)`` query of the four categories
  ledger     ``ledger_rows`` of the last 12 months (with notices, re-inspections, process, photos)
                                               vs one SELECT of the same hazards' own columns
  xlsx       ``write_xlsx`` of those rows       vs XlsxWriter (constant memory) writing the same values, no styles
  analysis   ``monthly_analysis`` of the last complete month
                                               vs one aggregate query of its found/closed/cumulative counts

Each operation returns seconds, baseline seconds and a detail line; a count that differs from its
baseline's is an error (the baseline would not be doing the same work).
"""

from __future__ import annotations

import dataclasses
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

RUNS = 3


def _median(function, runs: int = RUNS):
    times, value = [], None
    for _ in range(runs):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def _fetch(db, sql: str, params: dict) -> list[tuple]:
    from sqlalchemy import text

    with db.engine.connect() as connection:
        result = connection.execute(text(sql), params)
        try:
            return result.cursor.fetchall()
        finally:
            result.close()


_DASHBOARD = """SELECT count(CASE WHEN f.deadline < :today THEN 1 END),
       count(CASE WHEN f.deadline >= :today AND f.deadline <= :soon THEN 1 END),
       count(CASE WHEN f.deadline < :today OR f.status = 'awaiting_review' THEN 1 END),
       count(CASE WHEN f.level = 'major' THEN 1 END)
FROM finding f JOIN inspection i ON i.id = f.inspection_id JOIN enterprise e ON e.id = i.enterprise_id
WHERE f.result = 'fail' AND f.status IN ('pending', 'rectifying', 'awaiting_review')
  AND f.deleted_at IS NULL AND i.deleted_at IS NULL AND e.deleted_at IS NULL"""


def op_dashboard(db) -> dict:
    from inspector.core.common.clock import local_today
    from inspector.core.loop.dashboard import CATEGORIES, load_dashboard

    today = local_today()
    params = {"today": today, "soon": today + timedelta(days=3)}
    baseline, counts = _median(lambda: _fetch(db, _DASHBOARD, params)[0])
    seconds, board = _median(lambda: load_dashboard(db))
    expected = dict(zip(CATEGORIES, counts))
    if board.counts != expected:
        raise AssertionError(f"dashboard counts {board.counts} != plain SQL {expected}")
    return {"seconds": seconds, "baseline": baseline, "detail": f"counts {board.counts}"}


_LEDGER = """SELECT f.id, e.name, e.credit_code, e.industry, i.started_at, i.inspector_ids, f.location, f.item_id,
       f.description, f.item_text, f.level, f.basis, f.requirement, f.deadline, f.responsible_person, f.status,
       f.closed_at, e.address, i.method
FROM finding f JOIN inspection i ON i.id = f.inspection_id JOIN enterprise e ON e.id = i.enterprise_id
WHERE f.result = 'fail' AND f.deleted_at IS NULL AND i.deleted_at IS NULL
  AND i.started_at >= :t0 AND i.started_at < :t1
ORDER BY i.started_at, e.name, f.seq, f.id"""


def _ledger_filter():
    from inspector.core.common.clock import local_today
    from inspector.core.reports.ledger import LedgerFilter

    today = local_today()
    return LedgerFilter(date_from=date(today.year - 1, today.month, 1), date_to=today)


def op_ledger(db) -> dict:
    from inspector.core.reports.china_time import utc_bound
    from inspector.core.reports.ledger import ledger_rows

    flt = _ledger_filter()
    params = {"t0": utc_bound(flt.date_from), "t1": utc_bound(flt.date_to + timedelta(days=1))}
    baseline, plain = _median(lambda: _fetch(db, _LEDGER, params))
    seconds, rows = _median(lambda: ledger_rows(db, flt))
    if len(rows) != len(plain):
        raise AssertionError(f"ledger rows {len(rows):,} != plain SQL {len(plain):,}")
    photos = sum(len(row.photos) for row in rows)
    return {"seconds": seconds, "baseline": baseline,
            "detail": f"{len(rows):,} rows ({photos:,} photos listed) of {flt.date_from} to {flt.date_to}"}


def plain_xlsx(rows, path: Path) -> None:
    """The baseline: every scalar field of every row as a plain cell, constant-memory XlsxWriter."""
    import xlsxwriter

    names = [f.name for f in dataclasses.fields(rows[0]) if f.name not in ("process", "photos")] if rows else []
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, names)
    for n, row in enumerate(rows, start=1):
        sheet.write_row(n, 0, ["" if (v := getattr(row, name)) is None else str(v) for name in names])
    workbook.close()


def op_xlsx(db) -> dict:
    from inspector.core.reports.ledger import ledger_rows
    from inspector.core.reports.ledger_xlsx import write_xlsx

    flt = _ledger_filter()
    rows = ledger_rows(db, flt)
    with tempfile.TemporaryDirectory(prefix="pgscale-xlsx-") as out:
        baseline, _ = _median(lambda: plain_xlsx(rows, Path(out) / "plain.xlsx"))
        seconds, _ = _median(lambda: write_xlsx(rows, Path(out) / "ledger.xlsx", flt))
        size = (Path(out) / "ledger.xlsx").stat().st_size / 1e6
    return {"seconds": seconds, "baseline": baseline, "detail": f"{len(rows):,} rows, {size:.1f} MB"}


_ANALYSIS = """SELECT count(CASE WHEN i.started_at >= :start THEN 1 END),
       count(CASE WHEN i.started_at >= :start AND f.level = 'major' THEN 1 END),
       count(CASE WHEN f.closed_at >= :start AND f.closed_at < :end THEN 1 END),
       count(*), count(CASE WHEN f.closed_at < :end THEN 1 END)
FROM finding f JOIN inspection i ON i.id = f.inspection_id JOIN enterprise e ON e.id = i.enterprise_id
WHERE f.result = 'fail' AND f.deleted_at IS NULL AND i.deleted_at IS NULL AND i.started_at < :end"""


def op_analysis(db) -> dict:
    from inspector.core.common.clock import local_today
    from inspector.core.reports.analysis import add_months, monthly_analysis
    from inspector.core.reports.china_time import utc_bound

    month = add_months(local_today().replace(day=1), -1)
    params = {"start": utc_bound(month), "end": utc_bound(add_months(month, 1))}
    baseline, counts = _median(lambda: _fetch(db, _ANALYSIS, params)[0])
    seconds, result = _median(lambda: monthly_analysis(db, month))
    figures = (result.found, result.found_major, result.closed, result.cumulative_found, result.cumulative_closed)
    if tuple(figures) != tuple(counts):
        raise AssertionError(f"analysis (found, major, closed, cumulative found, closed) {figures} != plain SQL "
                             f"{tuple(counts)}")
    return {"seconds": seconds, "baseline": baseline,
            "detail": f"month {month:%Y-%m}: {result.found:,} found, {result.closed:,} closed"}


OPS = {"dashboard": op_dashboard, "ledger": op_ledger, "xlsx": op_xlsx, "analysis": op_analysis}


def run(name: str, url: str) -> dict:
    from inspector.db.database import Database

    db = Database.open_url(url)
    try:
        return OPS[name](db)
    finally:
        db.close()
