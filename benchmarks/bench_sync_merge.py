"""Benchmark: merging an export of 1,000 inspections / 10,000 findings / 5,000 photos into a database
of the same size, against a plain ``INSERT … SELECT`` copy of the same rows in the same run.

Run:  .venv/bin/python benchmarks/bench_sync_merge.py [--inspections N] [--runs R] [--folder DIR]

Writes two databases of the app's schema with different data (N inspections, 10 findings each, a
photo on every other finding: stand-in JPEGs of about 30 KB from the demo pool, each made unique)
under a temporary folder (or ``--folder``, reused if present), exports the second one, then times
as the median of R runs, each on a fresh copy of the first database:

  baseline   ATTACH the export and ``INSERT INTO main.t SELECT * FROM inc.t`` for every synced table,
             one transaction: the least any merge of these rows costs (with the merge's flag row set,
             so the stamp triggers of schema v7 skip the rows, as they do for the merge)
  merge      ``merge_files`` as the app runs it: verify the file (quick check, content hash,
             SHA-256 of every photo) while its rows new everywhere are written, plan the rest, journal
             (schema v8: the undo journal replaces the whole-file backup made before each merge up to v7)
             and upsert in one transaction, committed once every check passed
  parts      the baseline again with the merge's page cache (``merge_write.CACHE_KIB``: information, the part
             of the ratio that is the cache), and with the stamp triggers' INSERT half set aside in its
             transaction as the merge does (information: the part of the ratio that is that); verification alone; a whole-file backup of the local database (information: what the
             merge no longer does); undoing the merge from its journal
  again      merging the same file a second time (nothing changes)

and prints each against the baseline, and the CPU seconds (every thread of the process) of the baseline and
merge runs: the merge verifies and writes on several threads at once, which helps the wall-clock only as far
as cores are free. Baseline and merge runs alternate (the load of a shared machine drifts over minutes). Timings jitter by about 15 % on a shared machine, far more when its
disk is busy: compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sqlite3
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402


def median_s(function, runs: int, prepare=None) -> float:
    times = []
    for _ in range(runs):
        if prepare:
            prepare()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(first, second, runs: int, prepare) -> tuple[float, float, float, float]:
    """Medians of ``first`` and ``second`` run alternately (each on a fresh copy), so that a shared machine's
    load, which drifts over minutes, weighs on both alike: wall-clock seconds of each, then CPU seconds of
    each (every thread of this process: the merge verifies and writes at once)."""
    times: tuple[list[float], ...] = ([], [], [], [])
    for _ in range(runs):
        for function, spent, cpu in ((first, times[0], times[2]), (second, times[1], times[3])):
            prepare()
            start, start_cpu = time.perf_counter(), time.process_time()
            function()
            spent.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    return tuple(statistics.median(t) for t in times)  # type: ignore[return-value]


def unique_copy(jpeg: bytes, tag: str) -> bytes:
    """The same picture with a COM segment carrying ``tag`` right after the SOI marker (a distinct file)."""
    payload = tag.encode("utf-8")[:60000]
    return jpeg[:2] + b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload + jpeg[2:]


def build(path: Path, seed: int, inspections: int) -> dict[str, int]:
    """A database of the app's schema with ``inspections`` inspections, 10 findings each, a photo on every other."""
    from inspector.core.demo.photos import make_pool
    from inspector.db.database import Database

    Database.open(path, path.parent / "backups").close()
    rng, pool = random.Random(seed), make_pool(seed)
    device = str(uuid.UUID(int=rng.getrandbits(128)))
    new_id = lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))  # noqa: E731
    stamp = lambda day, n=0: f"2025-{1 + day % 12:02d}-{1 + day % 28:02d}T0{n % 10}:00:00.000000Z"  # noqa: E731
    base = lambda when: {"id": new_id(), "created_at": when, "updated_at": when, "device_id": device, "rev": 1,  # noqa: E731
                         "deleted_at": None}
    rows: dict[str, list[dict]] = {"enterprise": [], "inspection": [], "finding": [], "photo": []}
    for n in range(max(10, inspections // 20)):
        rows["enterprise"].append(base(stamp(n)) | {
            "name": f"兴国县基准测试{seed}-{n}有限公司", "credit_code": None, "address": f"工业园{n}号", "industry": "制造业",
            "legal_representative": "张三", "contact_phone": "13800000000", "liaison": "李四", "name_initials": "xgx"})
    for n in range(inspections):
        enterprise = rng.choice(rows["enterprise"])["id"]
        inspection = base(stamp(n, n)) | {"enterprise_id": enterprise, "started_at": stamp(n, n), "ended_at": None,
                                          "inspector_ids": "[]", "place": "生产车间", "snapshot_ids": "[]",
                                          "status": "completed", "notes": ""}
        rows["inspection"].append(inspection)
        for seq in range(10):
            finding = base(inspection["created_at"]) | {
                "inspection_id": inspection["id"], "snapshot_id": None, "item_id": f"item-{seq}",
                "item_text": "灭火器是否定期检查", "seq": seq, "result": "fail", "description": "灭火器压力不足",
                "location": "车间东侧", "level": "general", "major_clause": "", "requirement": "立即更换",
                "deadline": "2026-12-31", "basis": "《消防法》", "status": "pending", "responsible_person": "",
                "closed_at": None}
            rows["finding"].append(finding)
            if seq % 2 == 0:
                picture = rng.choice(pool)
                jpeg = unique_copy(picture.jpeg, finding["id"])
                digest = hashlib.sha256(jpeg).hexdigest()
                rows["photo"].append(base(finding["created_at"]) | {
                    "finding_id": finding["id"], "seq": 0, "caption": "现场照片", "jpeg": jpeg,
                    "thumbnail": picture.thumbnail, "original_sha256": digest, "jpeg_sha256": digest,
                    "original_size": len(jpeg), "width": picture.width, "height": picture.height, "captured_at": None,
                    "original_name": "IMG_0001.jpg", "kind": "before", "reinspection_id": None})
    connection = sqlite3.connect(path)
    with connection:
        for table, items in rows.items():
            names = list(items[0])
            connection.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                                   [tuple(item[name] for name in names) for item in items])
    connection.close()
    return {table: len(items) for table, items in rows.items()}


def settle_stamps(path: Path) -> None:
    """Hash the rows written by :func:`build` into their stamps, as the app's first export or merge would
    (schema v7): a database in use has stamps for everything but the latest edits."""
    from inspector.core.sync import stamps
    from inspector.core.sync.rows import table_specs

    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    stamps.settle(connection, table_specs(connection))
    connection.execute("COMMIT")
    connection.close()


def fresh_copy(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)
    shutil.rmtree(target.parent / "backups", ignore_errors=True)


def plain_copy(local: Path, export: Path, cache_kib: int = 0, triggers_aside: bool = False) -> None:
    """The baseline; ``cache_kib``: a page cache of that size instead of SQLite's default (2 MB);
    ``triggers_aside``: the stamp triggers' INSERT half dropped and created again in the transaction, as the merge
    does since round 8 (:mod:`inspector.core.sync.merge_triggers`; information: the part of the ratio that is that)."""
    from inspector.core.sync import merge_triggers
    from inspector.core.sync.rows import SYNC_ORDER

    connection = sqlite3.connect(local, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    if cache_kib:
        connection.execute(f"PRAGMA cache_size=-{cache_kib}")
    connection.execute("ATTACH DATABASE ? AS inc", (str(export),))
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO local_meta (key, value) VALUES ('sync_applying', '1')")  # as the merge: no stamp triggers
    aside = merge_triggers.set_aside(connection, SYNC_ORDER, merge_triggers.snapshot(connection)) if triggers_aside else []
    for table in SYNC_ORDER:
        connection.execute(f"INSERT INTO main.{table} SELECT * FROM inc.{table}")
    merge_triggers.put_back(connection, aside)
    connection.execute("DELETE FROM local_meta WHERE key = 'sync_applying'")
    connection.execute("COMMIT")
    connection.close()


TARGET = 1.4


def build_parser() -> argparse.ArgumentParser:
    parser = benchlib.parser(__doc__)
    parser.add_argument("--inspections", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="default: a cached folder under " + str(benchlib.CACHE))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.quick:
        args.inspections, args.runs = min(args.inspections, 200), 3
    from inspector.db.migrations import latest_version

    folder = args.folder or benchlib.CACHE / f"sync-merge-{args.inspections}-v{latest_version()}"
    folder.mkdir(parents=True, exist_ok=True)
    local, other, export = folder / "a" / "inspector.db", folder / "b" / "inspector.db", folder / "b-export.db"
    for path, seed in ((local, 1), (other, 2)):
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            start = time.perf_counter()
            counts = build(path, seed, args.inspections)
            print(f"built {path} in {time.perf_counter() - start:.1f} s: {counts}, {path.stat().st_size / 1e6:.0f} MB")
            settle_stamps(path)
    from inspector.core.sync.backups import create_backup
    from inspector.core.sync.export import export_database
    from inspector.core.sync.merge import merge_files
    from inspector.core.sync.undo import undo_merge
    from inspector.core.sync.verify import verify_export

    start = time.perf_counter()
    result = export_database(other, export)
    print(f"exported {other.name} in {time.perf_counter() - start:.1f} s: {result.size / 1e6:.0f} MB, "
          f"{result.records:,} records, {result.photos:,} photos")
    work = folder / "work" / "inspector.db"
    work.parent.mkdir(exist_ok=True)
    prepare = lambda: fresh_copy(local, work)  # noqa: E731
    runs = args.runs
    baseline, merge, baseline_cpu, merge_cpu = interleaved(
        lambda: plain_copy(work, export), lambda: merge_files(work, [export], backups_dir=work.parent / "backups"),
        runs, prepare)
    from inspector.core.sync.merge_write import CACHE_KIB

    cached = median_s(lambda: plain_copy(work, export, CACHE_KIB), runs, prepare)
    untriggered = median_s(lambda: plain_copy(work, export, triggers_aside=True), runs, prepare)
    verify = median_s(lambda: verify_export(export), runs)
    backup = median_s(lambda: create_backup(work, work.parent / "backups", "merge"), runs, prepare)
    undone = median_s(lambda: undo_merge(work), runs,
                      lambda: (prepare(), merge_files(work, [export], backups_dir=work.parent / "backups")))
    fresh_copy(local, work)
    report = merge_files(work, [export], backups_dir=work.parent / "backups")
    again = median_s(lambda: merge_files(work, [export], backups_dir=work.parent / "backups", keep_backups=1), runs)
    print(f"merge report: added {report.total('added'):,}, updated {report.total('updated'):,}, "
          f"conflicts {len(report.conflicts)}")
    print(f"\n{'what':<62}{'median s':>10}{'× baseline':>12}")
    for name, value in (("baseline: INSERT … SELECT of the same rows, one transaction", baseline),
                        ("merge_files (verify + plan + journal + upsert + history)", merge),
                        ("  of which: verify the export file", verify),
                        (f"baseline with the merge's {CACHE_KIB // 1024} MB page cache (information)", cached),
                        ("baseline with the stamp triggers set aside (information)", untriggered),
                        ("whole-file backup of the local database (not part of the merge)", backup),
                        ("undo the merge from its journal", undone),
                        ("merging the same file again (no changes)", again)):
        print(f"{name:<62}{value:>10.2f}{value / baseline:>12.2f}")
    print(f"{'CPU seconds (all threads): baseline / merge':<62}{baseline_cpu:>10.2f}{merge_cpu / baseline_cpu:>12.2f}"
          f"   (merge {merge_cpu:.2f} s)")
    size = f"{args.inspections:,} inspections / {args.inspections * 10:,} findings / {args.inspections * 5:,} photos"
    met = benchlib.result(f"merge {size} vs INSERT…SELECT", merge, baseline, max_ratio=TARGET,
                          note=f"CPU {merge_cpu:.2f} s vs {baseline_cpu:.2f} s = {merge_cpu / baseline_cpu:.2f}×")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
