"""Where a benchmarked server merge spends its time and CPU, phase by phase, without changing the merge.

The shadow's phases (``shadow rows``, ``shadow history``) run in the prefetch's thread while the files are verified
(``verify``), so their wall seconds overlap and each phase's CPU of the merge's process counts the other thread's
too; ``prefetch wait`` is how long the merge waited for the shadow after verification ended.

With six sessions on two cores, wall seconds say little: :func:`instrument` wraps the merge's steps (in
the benchmark's child process only) and records each one's wall seconds and CPU seconds: the merge's own
process (every thread), plus its worker processes for verification (``RUSAGE_CHILDREN``, which also
gives the largest worker's peak RSS). :func:`server_cpu` is the PostgreSQL cluster's CPU so far (the
postmaster's ended children and its live ones, from ``/proc``), read before and after an operation.
"""

from __future__ import annotations

import functools
import resource
import time
from pathlib import Path


RSS_AFTER: dict[str, float] = {}  # phase -> the merge process's RSS (MB) when it last ended


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


TOGETHER = {"peak_mb": 0.0}  # the merge process and its live children (the verifying workers), RSS summed


def _sample_together(interval: float = 0.25) -> None:
    """Sample, in a daemon thread, the RSS of this process plus its child processes; keep the peak sum."""
    import os
    import threading

    me = os.getpid()

    def rss_kb(pid: str) -> int:
        for line in (Path("/proc") / pid / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def sample() -> None:  # children from /proc/self/task/*/children: no scan of every process
        while True:
            total = rss_kb(str(me))
            for task in (Path("/proc") / str(me) / "task").iterdir():
                try:
                    children = (task / "children").read_text().split()
                except OSError:
                    continue
                for child in children:
                    try:
                        total += rss_kb(child)
                    except OSError:
                        continue
            TOGETHER["peak_mb"] = max(TOGETHER["peak_mb"], total / 1024)
            time.sleep(interval)

    threading.Thread(target=sample, daemon=True).start()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def instrument(url: str) -> dict[str, list[float]]:
    """Wrap the server merge's phases; returns name -> [wall s, own CPU s, workers' CPU s, server CPU s], filled
    as they run (the server's CPU: every backend of the cluster at ``url``, so other sessions' work on the same
    cluster would count too; the benchmark's cluster has none)."""
    from inspector.core.sync import server_apply, server_claims, server_merge, server_prefetch, server_shadow, server_verify

    phases: dict[str, list[float]] = {}
    data = _data_directory(url)
    _sample_together()

    def now() -> tuple[float, ...]:
        return time.perf_counter(), time.process_time(), _children_cpu(), (server_cpu(data) or 0.0) if data else 0.0

    def timed(owner, attribute: str, name: str) -> None:
        real = getattr(owner, attribute)

        @functools.wraps(real)
        def wrapper(*args, **kwargs):
            start = now()
            try:
                return real(*args, **kwargs)
            finally:
                spent = phases.setdefault(name, [0.0, 0.0, 0.0, 0.0])
                for i, value in enumerate(now()):
                    spent[i] += value - start[i]
                RSS_AFTER[name] = _rss_mb()
        setattr(owner, attribute, wrapper)

    for owner, attribute, name in (
            (server_verify, "_in_workers", "verify"), (server_verify, "verify_here", "verify"),
            (server_shadow.Shadow, "_copy", "shadow rows"), (server_shadow.Shadow, "_copy_history", "shadow history"),
            (server_prefetch.Prefetch, "result", "prefetch wait"),  # the shadow's filling beyond verification
            (server_merge, "plan_files", "plan"),
            (server_merge, "_refuse_unsound", "guards"), (server_merge, "conflict_items", "conflicts"),
            (server_apply, "apply_winners", "winners"), (server_apply, "record_history", "history"),
            (server_apply, "flush_history", "history"),
            (server_apply, "deduplicate_photos", "photos"), (server_claims, "claim_blocks", "claims")):
        timed(owner, attribute, name)
    return phases


def _data_directory(url: str) -> Path | None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return Path(connection.execute(text("SHOW data_directory")).scalar())
    except Exception:  # noqa: BLE001  (not allowed to read it: the phases go without the server's CPU)
        return None
    finally:
        engine.dispose()


def server_cpu(data: Path) -> float | None:
    """CPU seconds the cluster of data directory ``data`` has used (its ended and live backends), or None."""
    import os

    try:
        postmaster = int((Path(data) / "postmaster.pid").read_text().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = (Path("/proc") / entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, parent = int(entry), int(fields[1])
            if pid == postmaster:
                total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])  # own + reaped children
            elif parent == postmaster:
                total += int(fields[11]) + int(fields[12])
        return total / ticks
    except (OSError, ValueError, IndexError):
        return None
