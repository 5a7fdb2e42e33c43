"""Benchmark: the "not yet exported" count on 10,000 inspections, against count(*) of the same tables.

Run:  .venv/bin/python benchmarks/bench_unexported.py [--quick] [--inspections N] [--runs R]

On the cached demo data (10,000 inspections, one photo per hazard; shared with bench_export and
bench_dashboard_ledger; ``--quick``: 1,000) times, as medians of R runs in this process:

  baseline   ``SELECT count(*)`` of every synced table: the least any count over these rows costs
  unchanged  ``unexported_if_changed`` when nothing changed
  after edit ``unexported_if_changed`` after one finding was edited (what the banner runs after each
             save). Since schema v7 both are a GROUP BY over ``local_change``, which triggers keep;
             before, the first was a cached answer behind a fingerprint and the second a full rehash.

The data is opened through ``Services`` first (schema upgrade and, after v7, the one-time seed).

Target (issue 15): the count after an edit within 0.2 s (incremental, not a rehash). The target
is not scaled in quick mode: an incremental count should not grow with the data.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

TARGET_S = 0.2


def build_parser():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--inspections", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    return parser


def edit_one_finding(db_path: Path, n: int) -> None:
    """What a save in the app does to a row: new text, rev + 1, updated_at now."""
    connection = sqlite3.connect(db_path)
    with connection:
        connection.execute("UPDATE finding SET description = description || ?, rev = rev + 1, "
                           "updated_at = strftime('%Y-%m-%dT%H:%M:%f000Z', 'now') "
                           "WHERE id = (SELECT id FROM finding WHERE result = 'fail' LIMIT 1)", (f" {n}",))
    connection.close()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    inspections = min(args.inspections, 1_000) if args.quick else args.inspections
    data_dir = benchlib.demo_data_dir(inspections, 1)
    db_path = data_dir / "inspector.db"
    from inspector.services import Services

    services = Services(data_dir)
    services.db  # schema upgrade, as the app does before counting
    services.close()
    from inspector.core.sync import status
    from inspector.core.sync.rows import table_specs

    connection = sqlite3.connect(db_path)
    tables = list(table_specs(connection))
    connection.close()

    def count_all():
        reader = sqlite3.connect(db_path)
        total = sum(reader.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)
        reader.close()
        return total

    rows = count_all()
    baseline = benchlib.median_s(count_all, args.runs)
    first = status.unexported_if_changed(db_path)
    unchanged = benchlib.median_s(lambda: status.unexported_if_changed(db_path), args.runs)
    edits = iter(range(10**6))
    after_edit = benchlib.median_s(lambda: status.unexported_if_changed(db_path), args.runs,
                                   prepare=lambda: edit_one_finding(db_path, next(edits)))
    print(f"{inspections:,} inspections, {rows:,} synced rows; unexported now: {first.records:,} records, "
          f"{first.photos:,} photos; median of {args.runs}")
    print(f"  baseline count(*) of every synced table   {baseline:8.3f} s")
    print(f"  unexported_if_changed, nothing changed    {unchanged:8.3f} s   {unchanged / baseline:6.1f}x")
    print(f"  unexported_if_changed, after one edit     {after_edit:8.3f} s   {after_edit / baseline:6.1f}x "
          f"(target <= {TARGET_S} s)")
    met = benchlib.result(f"\"not yet exported\" count after an edit, {inspections:,} inspections", after_edit,
                          baseline, max_value=TARGET_S, note=f"unchanged (cached) {unchanged:.3f} s")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
