"""The 100,000-inspection office database on PostgreSQL, built once from bench_scale.py's SQLite file.

The source (``scale-100000/inspector.db``, shared) is never opened in place: opening a WAL-mode file
even with ``mode=ro`` leaves a ``-wal`` and ``-shm`` next to it (measured). It is copied byte for byte
first, and the copy is kept only if the source's size and mtime did not change while it was copied
(a checkpoint by someone else would change both); the copy is then read with ``immutable=1``.

The server database is made by the app's own migrations (``Database.open_url``), then every table's
rows go in by binary ``COPY`` (:func:`inspector.core.sync.server_copy.copy_rows`, the merge's own
writer) in one transaction, parents first, with the foreign-key triggers off for the load
(``session_replication_role = replica``: the rows come from a consistent database), then
``VACUUM (FREEZE, ANALYZE)`` so the first timed reads do not pay for hint bits or lack statistics.
The stopped cluster's data directory is the cache: ``<cache>/data``, with ``built`` holding the counts.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path

OFFICE = "office"  # the pristine database; every run works on a clone of it (CREATE DATABASE … TEMPLATE)


def snapshot(source: Path, target: Path, attempts: int = 5) -> None:
    """A consistent byte copy of a SQLite file someone else may have open."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(attempts):
        before = source.stat()
        shutil.copyfile(source, target)
        after = source.stat()
        if (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns):
            return
        print("  the source changed while it was copied: copying again", flush=True)
        time.sleep(5)
    raise SystemExit(f"{source} keeps changing; try again when nobody is writing it")


def build(cluster, source: Path, cache: Path, scratch: Path) -> dict:
    """Load ``source`` into a new cluster at ``cache / 'data'``; returns the table counts."""
    copy = scratch / "source.db"
    start = time.perf_counter()
    snapshot(source, copy)
    print(f"  copied the source ({copy.stat().st_size / 1e9:.2f} GB) in {time.perf_counter() - start:.0f} s",
          flush=True)
    try:
        cluster.init().start()
        cluster.admin(f"CREATE DATABASE {OFFICE} TEMPLATE template0 ENCODING 'UTF8'")
        counts = load(copy, cluster.url(OFFICE))
        cluster.admin("VACUUM (FREEZE, ANALYZE)", OFFICE)
        counts["size_gb"] = round(cluster.size_gb(OFFICE), 2)
        cluster.shrink_wal()
    finally:
        copy.unlink(missing_ok=True)
    print(f"  built the office database in {time.perf_counter() - start:.0f} s: {counts}", flush=True)
    return counts


def load(sqlite_file: Path, url: str) -> dict:
    """Every table of the app's metadata, file → server, by binary COPY in one transaction."""
    from sqlalchemy import text
    from sqlmodel import SQLModel

    import inspector.db.models  # noqa: F401  (fills the metadata)
    from inspector.core.sync.server_copy import copy_rows
    from inspector.core.sync.server_rows import ServerTable
    from inspector.db.database import Database

    Database.open_url(url).close()  # the schema by the app's migrations, and its stamp
    source = sqlite3.connect(f"file:{sqlite_file}?immutable=1", uri=True)
    db = Database.open_url(url)
    counts = {}
    try:
        present = {name for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        tables = [t for t in SQLModel.metadata.sorted_tables if t.name in present]
        with db.engine.begin() as connection:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            for table in reversed(tables):
                connection.execute(text(f"DELETE FROM {table.name}"))
            for table in tables:
                started = time.perf_counter()
                wanted = {column.name for column in table.columns}
                columns = [row[1] for row in source.execute(f"PRAGMA table_info({table.name})") if row[1] in wanted]
                names = ", ".join(f'"{c}"' for c in columns)
                cursor = source.execute(f"SELECT {names} FROM {table.name}")
                counter = _Counter(cursor)
                copy_rows(connection, ServerTable(table.name, columns), counter)
                counts[table.name] = counter.count
                print(f"    {table.name}: {counter.count:,} rows in {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        source.close()
        db.close()
    return counts


class _Counter:
    """The cursor's rows, streamed in batches, counted."""

    def __init__(self, cursor):
        self.cursor, self.count = cursor, 0

    def __iter__(self):
        while rows := self.cursor.fetchmany(2000):
            self.count += len(rows)
            yield from rows


def ensure(source: Path, cache: Path, scratch: Path, rebuild: bool = False):
    """A started cluster on the cached office database (built first when missing); returns (cluster, counts)."""
    from pgserver import KeptCluster, bin_dir

    programs = bin_dir()
    if programs is None:
        raise SystemExit("PostgreSQL is not installed (python -m inspector.bootstrap test installs it)")
    marker = cache / "built"
    if not rebuild and not marker.exists():
        upgrade_older(programs, cache)
    if rebuild or not marker.exists():
        shutil.rmtree(cache, ignore_errors=True)
        building = KeptCluster(programs, cache / "data")
        try:
            counts = build(building, source, cache, scratch)
        finally:
            building.stop()
        marker.write_text(json.dumps(counts) + "\n")
    cluster = KeptCluster(programs, cache / "data").start()
    return cluster, json.loads(marker.read_text())


def upgrade_older(programs, cache: Path) -> bool:
    """Take over the newest cache built at an older schema (``…-v<k>`` next to ``cache``) and bring its office
    database to the current schema with the app's own server migrations (``Database.open_url``), as an
    office PC's upgrade does: minutes saved against a rebuild (6 min of COPY for 100,000 inspections).
    The older cache's export files are deleted (an export of an older schema is refused by the merge)."""
    from pgserver import KeptCluster

    from inspector.db.database import Database

    stem, _, _ = cache.name.rpartition("-v")
    older = sorted((p for p in cache.parent.glob(f"{stem}-v*") if p != cache and (p / "built").exists()
                    and p.name.rpartition("-v")[2].isdigit()), key=lambda p: int(p.name.rpartition("-v")[2]))
    if not older:
        return False
    source = older[-1]
    start = time.perf_counter()
    cache.mkdir(parents=True, exist_ok=True)
    (source / "data").rename(cache / "data")
    cluster = KeptCluster(programs, cache / "data").start()
    try:
        Database.open_url(cluster.url(OFFICE)).close()  # the server migrations since the older schema
        cluster.admin("VACUUM (ANALYZE)", OFFICE)
    finally:
        cluster.stop()
    counts = json.loads((source / "built").read_text())
    (cache / "built").write_text(json.dumps(counts) + "\n")
    shutil.rmtree(source, ignore_errors=True)
    print(f"  upgraded the office database of {source.name} to {cache.name} in {time.perf_counter() - start:.0f} s",
          flush=True)
    return True
