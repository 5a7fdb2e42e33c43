"""Document numbers after a merge: duplicates (one number, several records) and gaps per series.

A series is (kind, prefix, year). A number is a gap when it is missing between the start of the
series (the first number of its blocks, else 1) and the highest number used, unless it lies in a
number block whose device has not yet used any number at or above it (reserved, not skipped).
Voided numbers count as used: they are logged, never reused.
"""

from __future__ import annotations

import sqlite3
from typing import Iterable

from inspector.core.sync.report import NumberingReport

NUMBER_COLUMNS = ("id", "kind", "prefix", "year", "seq", "deleted_at")
BLOCK_COLUMNS = ("id", "kind", "prefix", "year", "first", "last", "deleted_at")
MAX_GAPS_PER_SERIES = 500


def read_rows(connection: sqlite3.Connection, table: str, columns: tuple[str, ...], schema: str = "main") -> dict[str, dict]:
    names = ", ".join(f'"{c}"' for c in columns)
    return {row[0]: dict(zip(columns, row)) for row in connection.execute(f"SELECT {names} FROM {schema}.{table}")}


def check_numbers(numbers: Iterable[dict], blocks: Iterable[dict]) -> NumberingReport:
    series: dict[tuple, dict[int, list[str]]] = {}
    for row in numbers:
        if not row["deleted_at"]:
            series.setdefault((row["kind"], row["prefix"], row["year"]), {}).setdefault(row["seq"], []).append(row["id"])
    ranges: dict[tuple, list[tuple[int, int]]] = {}
    for block in blocks:
        if not block["deleted_at"]:
            ranges.setdefault((block["kind"], block["prefix"], block["year"]), []).append((block["first"], block["last"]))
    report = NumberingReport()
    for key in sorted(series, key=str):
        used = series[key]
        kind, prefix, year = key
        for seq in sorted(used):
            if len(used[seq]) > 1:
                report.duplicates.append({"kind": kind, "prefix": prefix, "year": year, "seq": seq, "ids": sorted(used[seq])})
        missing = _gaps(set(used), ranges.get(key, []))
        if missing:
            report.gaps.append({"kind": kind, "prefix": prefix, "year": year, "missing": missing[:MAX_GAPS_PER_SERIES]})
    return report


def _gaps(used: set[int], blocks: list[tuple[int, int]]) -> list[int]:
    start = min([first for first, _ in blocks] or [1])
    missing = []
    for n in range(min(start, min(used)), max(used)):
        if n in used:
            continue
        block = next(((first, last) for first, last in blocks if first <= n <= last), None)
        if block and not any(n < m <= block[1] for m in used):
            continue  # reserved in a block nobody has reached yet
        missing.append(n)
    return missing
