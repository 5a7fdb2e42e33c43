"""Verify the files of a server merge side by side, in worker processes, with the laptop's checks unchanged.

:func:`verify_all` is :func:`inspector.core.sync.merge.verify_all` (every file through
:func:`~inspector.core.sync.verify.verify_export`; any refusal refuses them all, naming each bad file,
before the server is contacted) with the files spread over worker processes when they are big enough
to pay for starting them. Checking and hashing the rows is Python work that holds the GIL, so threads
would take turns on one core; processes verify one file each at a time, on every core.

A worker is this module run by the same Python (``python -m inspector.core.sync.server_verify FILE
OUT``), not a ``multiprocessing`` child: ``spawn`` runs the parent's main module again in every child
(``python -m inspector``'s ``__main__`` would start the command again) and ``fork`` copies Qt's and the
database driver's threads. The worker writes every row's version into a small SQLite store
(:mod:`~inspector.core.sync.server_versions`) and pickles the rest of the
:class:`~inspector.core.sync.verify.VerifiedExport` (the manifest, the counts) or the refusal's sentence,
both into a private temporary folder that :func:`verified` keeps until the merge ends: the merge streams
the versions from the stores instead of holding them (~1 KB each in Python; ten files of 1,000
inspections were ~740 MB). A worker that ends without a result (killed, out of memory) has its file
verified here instead, so the outcome never depends on the workers. :func:`verify_all` returns the
versions in memory, as :func:`inspector.core.sync.merge.verify_all` does.

Small calls (a week's exports: a few MB) stay in this process: starting a worker costs about as
much as verifying a small file. So does a frozen (PyInstaller) build, whose executable is the
application itself.
"""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from inspector.core.sync.merge import Progress, verify_all as verify_here
from inspector.core.sync.server_versions import StoredVersions, close_store, open_store, write_store
from inspector.core.sync.verify import ExportRefused, VerifiedExport, verify_export

PARALLEL_BYTES = 64 * 2**20  # files' total size from which workers pay for their start (~0.5 s each)


def verify_all(files: list[Path], progress: Progress | None = None, workers: int | None = None) -> list[VerifiedExport]:
    """Every file verified (workers: processes, default one per core); refuses them all if any is bad."""
    with verified(files, progress, workers) as exports:
        for export in exports:
            if any(isinstance(rows, StoredVersions) for rows in export.versions.values()):
                stored, export.versions = export.versions, {table: dict(rows.items()) for table, rows in export.versions.items()}
                close_store(stored)
        return exports


@contextmanager
def verified(files: list[Path], progress: Progress | None = None, workers: int | None = None):
    """:func:`verify_all` for the server merge: a file verified by a worker keeps its row versions on disk
    (:class:`~inspector.core.sync.server_versions.StoredVersions`, read on demand) until the block ends."""
    workers = min(len(files), workers or _cores())
    if workers < 2 or getattr(sys, "frozen", False) or _size(files) < PARALLEL_BYTES:
        yield verify_here(files, progress)
        return
    folder = tempfile.TemporaryDirectory(prefix="inspector-verify-")
    exports: list[VerifiedExport] = []
    try:
        exports = _in_workers(files, progress, workers, Path(folder.name))
        yield exports
    finally:
        for export in exports:
            close_store(export.versions)
        folder.cleanup()


def _in_workers(files: list[Path], progress: Progress | None, workers: int, folder: Path) -> list[VerifiedExport]:
    from concurrent.futures import ThreadPoolExecutor, as_completed

    outcomes: dict[int, tuple[str, object]] = {}
    with ThreadPoolExecutor(workers) as pool:
        # biggest first, so the last file to finish is a small one
        order = sorted(range(len(files)), key=lambda i: -_size([files[i]]))
        futures = {pool.submit(_in_worker, Path(files[i]), folder / f"{i}.pickle"): i for i in order}
        for done, future in enumerate(as_completed(futures), 1):
            outcomes[futures[future]] = future.result()
            if progress:
                progress(done, len(files))
    refusals = [value for _, (kind, value) in sorted(outcomes.items()) if kind == "refused"]
    if refusals:
        raise ExportRefused("；".join(refusals) + ("" if len(files) == 1 else "（所有文件均未合并）"))
    exports = []
    for i in range(len(files)):
        kind, value = outcomes[i]
        if kind == "stored":  # the versions are in the worker's store: opened here, in the merge's thread
            value.versions = open_store(folder / f"{i}.pickle.versions", value.versions)
        exports.append(value)
    return exports


def _in_worker(path: Path, out: Path) -> tuple[str, object]:
    """(kind, value) of :func:`verify_one` from a worker process; verified here if the worker left no result.
    A worker's export comes back as ("stored", the export with its row counts for versions): the versions
    are in ``out`` + ``.versions``."""
    import pickle
    import subprocess

    import inspector

    env = dict(os.environ)
    root = str(Path(inspector.__file__).resolve().parent.parent)  # where this checkout or install is
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    done = subprocess.run([sys.executable, "-m", __spec__.name, str(path), str(out)], env=env, check=False,
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))  # Windows: no console
    if done.returncode == 0 and out.is_file():
        with open(out, "rb") as handle:  # written just now by our own worker, in our private folder
            return pickle.load(handle)
    return verify_one(str(path))


def verify_one(path: str) -> tuple[str, object]:
    """("ok", the verified export) or ("refused", the sentence saying why)."""
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


def _worker(path: str, out: str) -> None:
    import gc
    import pickle

    gc.disable()  # the versions it builds are all kept until the process ends: collections would only traverse them

    kind, value = verify_one(path)
    if kind == "ok":  # the versions into their store, the rest pickled
        value.versions = write_store(Path(out + ".versions"), value.versions)
        kind = "stored"
    with open(out + ".part", "wb") as handle:
        pickle.dump((kind, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(out + ".part", out)


if __name__ == "__main__":  # a worker: python -m inspector.core.sync.server_verify FILE OUT
    _worker(*sys.argv[1:3])
