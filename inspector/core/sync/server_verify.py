"""Verify the files of a server merge side by side, in worker processes, with the laptop's checks unchanged.

:func:`verify_all` is :func:`inspector.core.sync.merge.verify_all` (every file through
:func:`~inspector.core.sync.verify.verify_export`; any refusal refuses them all, naming each bad file,
before the server is contacted) with the files spread over worker processes when they are big enough
to pay for starting them. Checking and hashing the rows is Python work that holds the GIL, so threads
would take turns on one core; processes verify one file each at a time, on every core.

A worker is this module run by the same Python (``python -m inspector.core.sync.server_verify``, fed
one ``[FILE, OUT]`` line per file on its stdin), not a ``multiprocessing`` child: ``spawn`` runs the parent's main module again in every child
(``python -m inspector``'s ``__main__`` would start the command again) and ``fork`` copies Qt's and the
database driver's threads. One worker per core verifies file after file, so its imports and the rules'
compiled validators are paid once per core, not once per file (~1 s of CPU each). The worker writes every row's version into a small SQLite store
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
    if not uses_workers(files, workers):
        yield verify_here(files, progress)
        return
    workers = min(len(files), workers or _cores())
    folder = tempfile.TemporaryDirectory(prefix="inspector-verify-")
    exports: list[VerifiedExport] = []
    try:
        exports = _in_workers(files, progress, workers, Path(folder.name))
        yield exports
    finally:
        for export in exports:
            close_store(export.versions)
        folder.cleanup()


def uses_workers(files: list[Path], workers: int | None = None) -> bool:
    """Whether :func:`verified` verifies ``files`` in worker processes (else here, in the caller's thread)."""
    workers = min(len(files), workers or _cores())
    return not (workers < 2 or getattr(sys, "frozen", False) or _size(files) < PARALLEL_BYTES)


def _in_workers(files: list[Path], progress: Progress | None, workers: int, folder: Path) -> list[VerifiedExport]:
    import queue
    import threading

    jobs: queue.SimpleQueue = queue.SimpleQueue()
    for i in sorted(range(len(files)), key=lambda i: -_size([files[i]])):  # biggest first: the last to finish is small
        jobs.put(i)
    results: queue.SimpleQueue = queue.SimpleQueue()
    threads = [threading.Thread(target=_serve_jobs, args=(files, jobs, results, folder), daemon=True)
               for _ in range(workers)]
    for thread in threads:
        thread.start()
    outcomes: dict[int, tuple[str, object]] = {}
    try:
        while len(outcomes) < len(files):
            i, outcome = results.get()
            if i is None:  # a feeding thread failed: its exception, here
                raise outcome
            outcomes[i] = outcome
            if progress:
                progress(len(outcomes), len(files))
    finally:
        while True:  # no file left to start if this ended early; the running ones end with their workers
            try:
                jobs.get_nowait()
            except queue.Empty:
                break
        for thread in threads:
            thread.join()
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


def _serve_jobs(files: list[Path], jobs, results, folder: Path) -> None:
    """One feeding thread: takes the next file, has its worker verify it (one worker process verifies file
    after file: its imports and the rules' validators are built once, ~1 s of CPU per file saved), puts
    (index, outcome) on ``results``. A worker that ends without a result has that file verified here and a
    new worker started for the next one."""
    import queue

    worker = None
    try:
        while True:
            try:
                i = jobs.get_nowait()
            except queue.Empty:
                return
            if worker is None:
                worker = _Worker.start()
            outcome = worker.verify(Path(files[i]), folder / f"{i}.pickle") if worker is not None else None
            if outcome is None:
                if worker is not None:
                    worker.close()
                    worker = None
                outcome = verify_one(str(files[i]))
            results.put((i, outcome))
    except BaseException as exc:  # noqa: BLE001  (handed to the merge's thread, which raises it)
        results.put((None, exc))
    finally:
        if worker is not None:
            worker.close()


class _Worker:
    """A worker process (``python -m inspector.core.sync.server_verify``) that verifies the files it is sent,
    one JSON line ``[FILE, OUT]`` at a time on its stdin, answering ``done`` on its stdout when ``OUT`` holds
    the outcome (see :func:`_verify_into`)."""

    def __init__(self, process):
        self.process = process

    @classmethod
    def start(cls) -> "_Worker | None":
        import subprocess

        import inspector

        env = dict(os.environ)
        root = str(Path(inspector.__file__).resolve().parent.parent)  # where this checkout or install is
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        try:
            return cls(subprocess.Popen(
                [sys.executable, "-m", __spec__.name], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, text=True, encoding="utf-8",
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0)))  # Windows: no console
        except OSError:
            return None

    def verify(self, path: Path, out: Path) -> tuple[str, object] | None:
        """The outcome of :func:`verify_one` for ``path`` from this worker, or None if it ended without one.
        A verified export comes back as ("stored", the export with its row counts for versions): the
        versions are in ``out`` + ``.versions``."""
        import json
        import pickle

        try:
            self.process.stdin.write(json.dumps([str(path), str(out)]) + "\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        except (OSError, ValueError):
            return None
        if answer != "done\n" or not out.is_file():
            return None
        with open(out, "rb") as handle:  # written just now by our own worker, in our private folder
            return pickle.load(handle)

    def close(self) -> None:
        import subprocess

        try:
            self.process.stdin.close()  # the worker's loop ends
        except OSError:
            pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


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


def _verify_into(path: str, out: str) -> None:
    """A worker's one file: the versions into their store, the rest (or the refusal's sentence) pickled."""
    import pickle

    kind, value = verify_one(path)
    if kind == "ok":
        value.versions = write_store(Path(out + ".versions"), value.versions)
        kind = "stored"
    with open(out + ".part", "wb") as handle:
        pickle.dump((kind, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(out + ".part", out)


def _serve() -> None:
    """A worker's loop: ``[FILE, OUT]`` lines from stdin until it closes, ``done`` after each."""
    import gc
    import json

    gc.disable()  # the versions a file builds are all kept until it is stored: collections would only traverse them
    for line in sys.stdin:
        _verify_into(*json.loads(line))
        gc.collect()  # once per file, with the file's versions gone: whatever cycles it left
        sys.stdout.write("done\n")
        sys.stdout.flush()


if __name__ == "__main__":  # a worker: python -m inspector.core.sync.server_verify (files on stdin)
    _serve()
