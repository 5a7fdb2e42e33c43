"""Laptop export files for the scale merge, the merge as ``inspector --database URL merge`` runs it, and
its baseline: a binary COPY of the same rows into the same database state.

Shape: a county's office takes one export a week from each of its ~20 inspectors, ~10 inspections
each (the scale database holds 10,000 inspections a year): 1,000 weekly exports are a year, ~10,000
inspections. Building and exporting 1,000 separate laptop histories would take longer than the
benchmark itself, so the same rows come as ``files`` laptops of ``inspections`` each (default 10 ×
1,000, every file ~100 weeks' exports of one laptop), each a full export of a demo laptop
(``build_demo`` with one photo per hazard, as the newest year of the scale database), merged in
one call of 10 files (the most the CLI takes). A second, small shape (10 laptops × 10 inspections:
one week's exports, one call) shows what each call costs on a 100,000-inspection server whatever
its size; 1,000 separate weekly files would be 100 such calls.

Each timed run ends where the merge would commit and rolls back (the COPY as well): the office database
is the same before every run without a 4.5 GB copy of it per run (COMMIT itself is a WAL flush, with
``fsync=off`` next to nothing; no constraint is deferred to it). One committed merge runs at the end.

The baseline COPYs, table by table in one transaction, every synced row of the files that the merge
adds: a row whose id the office already holds (the content-addressed checklist snapshots every
laptop shares) or that an earlier file brought is left out, as the merge leaves it. The merge also
writes each row's version history and a log entry; the baseline writes data rows only.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import timedelta
from pathlib import Path


def exports(folder: Path, files: int, inspections: int, seed: int) -> list[Path]:
    """``files`` export files of demo laptops of ``inspections`` each, built once into ``folder``."""
    from inspector.db.migrations import latest_version

    shape = folder / f"exports-{files}x{inspections}-v{latest_version()}"
    paths = [shape / f"laptop-{n:02d}.db" for n in range(files)]
    if (shape / "built").exists():
        return paths
    from inspector.core.demo.generate import build_demo
    from inspector.core.sync.export import export_database
    from inspector.db.types import utcnow
    from inspector.services import Services

    shutil.rmtree(shape, ignore_errors=True)
    shape.mkdir(parents=True)
    start = time.perf_counter()
    for n, path in enumerate(paths):
        laptop = shape / f"laptop-{n:02d}"
        services = Services(laptop)
        # the demo's clock a day back: its newest inspections fall on today's China date at times that can
        # lie ahead of UTC now (checked at 01:30 China time), and the merge refuses rows later than the export
        build_demo(services.db, services.checklists.checklists, seed=seed + n, inspections=inspections,
                   photos_per_hazard=1, now=utcnow() - timedelta(days=1))
        services.close()
        export_database(laptop / "inspector.db", path)
        shutil.rmtree(laptop)
    (shape / "built").write_text("ok\n")
    size = sum(p.stat().st_size for p in paths) / 1e6
    print(f"  built {files} laptop exports of {inspections:,} inspections ({size:,.0f} MB) in "
          f"{time.perf_counter() - start:.0f} s: {shape}", flush=True)
    return paths


def server_ids(url: str, files: list[Path]) -> dict[str, set[str]]:
    """The ids of the files' synced rows that the server already holds (untimed preparation)."""
    from sqlalchemy import text

    from inspector.core.sync.rows import SYNC_ORDER
    from inspector.core.sync.server_rows import batches, in_list
    from inspector.db.database import Database

    db = Database.open_url(url)
    held: dict[str, set[str]] = {table: set() for table in SYNC_ORDER}
    try:
        with db.engine.connect() as connection:
            for path in files:
                source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                for table in SYNC_ORDER:
                    ids = [row[0] for row in source.execute(f"SELECT id FROM {table}")]
                    for batch in batches(ids):
                        marks, names = in_list("i", len(batch))
                        held[table].update(row[0] for row in connection.execute(
                            text(f"SELECT id FROM {table} WHERE id IN {marks}"), dict(zip(names, batch))))
                source.close()
    finally:
        db.close()
    return held


def copy_baseline(url: str, files: list[Path], held: dict[str, set[str]], *, commit: bool = True) -> int:
    """Binary COPY of every row the merge adds, all files, one transaction (rolled back at its end
    unless ``commit``); returns the row count."""
    from inspector.core.sync.rows import SYNC_ORDER
    from inspector.core.sync.server_copy import copy_rows
    from inspector.core.sync.server_rows import ServerTable
    from inspector.db.database import Database

    db = Database.open_url(url)
    sources = [sqlite3.connect(f"file:{path}?mode=ro", uri=True) for path in files]
    count = 0
    try:
        with db.engine.connect() as connection:
            transaction = connection.begin()
            for table in SYNC_ORDER:
                seen = set(held[table])
                for source in sources:
                    columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
                    cursor = source.execute(f"SELECT * FROM {table}")
                    rows = _new_rows(cursor, seen)
                    copy_rows(connection, ServerTable(table, columns), rows)
                    count += rows.count
            transaction.commit() if commit else transaction.rollback()
    finally:
        for source in sources:
            source.close()
        db.close()
    return count


class _new_rows:  # noqa: N801 - used like a generator function
    """The cursor's rows whose id (first column) is not in ``seen``, streamed; ``seen`` grows."""

    def __init__(self, cursor, seen: set):
        self.cursor, self.seen, self.count = cursor, seen, 0

    def __iter__(self):
        while rows := self.cursor.fetchmany(500):
            for row in rows:
                if row[0] not in self.seen:
                    self.seen.add(row[0])
                    self.count += 1
                    yield row


class _RolledBack(Exception):
    pass


def merge(url: str, files: list[Path], *, commit: bool = True):
    """``inspector --database URL merge FILE…`` without the process start: open, merge, close.

    Without ``commit`` every step runs, then the transaction is rolled back where it would commit
    (the merge's own hook for the tests that kill it there): the office database is left as it was."""
    from inspector.core.sync import server_merge
    from inspector.db.database import Database

    reports, hook, plan = [], server_merge._test_hook, server_merge._merge

    def stop_before_commit(point: str) -> None:
        if point == "before_commit":
            raise _RolledBack

    def keep_report(*args, **kwargs):
        reports.append(plan(*args, **kwargs))
        return reports[-1]

    db = Database.open_url(url)
    if not commit:
        server_merge._test_hook, server_merge._merge = stop_before_commit, keep_report
    try:
        return server_merge.merge_into_server(db, files)
    except _RolledBack:
        return reports[-1]
    finally:
        server_merge._test_hook, server_merge._merge = hook, plan
        db.close()


def rows_in(files: list[Path]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in files:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        for table in ("inspection", "finding", "photo"):
            counts[table] = counts.get(table, 0) + source.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        source.close()
    return counts
