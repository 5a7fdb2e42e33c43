"""Verify the files of a server merge side by side, in worker processes, with the laptop's checks unchanged.

:func:`verify_all` is :func:`inspector.core.sync.merge.verify_all` (every file through
:func:`~inspector.core.sync.verify.verify_export`; any refusal refuses them all, naming each bad file,
before the server is contacted) with the files spread over worker processes when they are big enough
to pay for starting them. Checking and hashing the rows is Python work that holds the GIL, so threads
would take turns on one core; processes verify one file each at a time, on every core. The workers
are started by ``spawn`` (safe beside Qt's and the database driver's threads, and the only way
Windows has), send back each :class:`~inspector.core.sync.verify.VerifiedExport` (the manifest and
every row's version: the parent holds them as it did before) or the refusal's sentence, and are gone
when the call returns.

Small calls (a week's exports: a few MB) stay in this process: starting a worker costs about as
much as verifying a small file. A frozen (PyInstaller) build verifies in this process too: its
workers would start the application again unless ``main`` calls ``multiprocessing.freeze_support()``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from inspector.core.sync.merge import Progress, verify_all as verify_here
from inspector.core.sync.verify import ExportRefused, VerifiedExport, verify_export

PARALLEL_BYTES = 64 * 2**20  # files' total size from which workers pay for their start (~0.5 s each)


def verify_all(files: list[Path], progress: Progress | None = None, workers: int | None = None) -> list[VerifiedExport]:
    """Every file verified (workers: processes, default one per core); refuses them all if any is bad."""
    workers = min(len(files), workers or _cores())
    if workers < 2 or getattr(sys, "frozen", False) or _size(files) < PARALLEL_BYTES:
        return verify_here(files, progress)
    return _in_workers(files, progress, workers)


def _in_workers(files: list[Path], progress: Progress | None, workers: int) -> list[VerifiedExport]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    outcomes: dict[int, tuple[str, object]] = {}
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        # biggest first, so the last file to finish is a small one
        order = sorted(range(len(files)), key=lambda i: -_size([files[i]]))
        futures = {pool.submit(verify_one, str(files[i])): i for i in order}
        for done, future in enumerate(as_completed(futures), 1):
            outcomes[futures[future]] = future.result()
            if progress:
                progress(done, len(files))
    refusals = [value for _, (kind, value) in sorted(outcomes.items()) if kind == "refused"]
    if refusals:
        raise ExportRefused("；".join(refusals) + ("" if len(files) == 1 else "（所有文件均未合并）"))
    return [outcomes[i][1] for i in range(len(files))]


def verify_one(path: str) -> tuple[str, object]:
    """In a worker: ("ok", the verified export) or ("refused", the sentence saying why)."""
    try:
        return "ok", verify_export(Path(path))
    except ExportRefused as exc:
        return "refused", exc.message


def _size(files: list[Path]) -> int:
    return sum(Path(f).stat().st_size for f in files if Path(f).is_file())


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
