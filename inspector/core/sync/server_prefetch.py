"""The server merge's shadow filled while its files are verified, so the server's lookups wait for nothing.

Verification (:mod:`server_verify`, worker processes) needs only the files; filling the shadow
(:meth:`~inspector.core.sync.server_shadow.Shadow.fill`: the office's write lock, the server rows the files
name, locked, and their history) needs only the files' ids, which it reads from the attached files
themselves, as it did after verification. So :class:`Prefetch` does it in a thread of the merge's
process on the merge's own server transaction while the workers verify (on ten big files: ~10 s of
server lookups beside ~12 s of verification), with the laptop merge's rule (``merge_pipeline.py``):
nothing is committed before every file passed, and the plan uses only what verification vouched for:

* :meth:`Prefetch.result` hands the shadow over only after verification passed, and only if every
  file is as it was when the prefetch started (size and modification time, as verification recorded
  them); a file changed meanwhile is refused, nothing written.
* A refusal stops the filling at its next table and rolls the transaction back: the locks the
  prefetch took end with it, the server is unchanged.
* An error of the prefetch itself (the server gone, a file SQLite cannot read) is raised after
  verification, whose refusal of a bad file comes first; on sound files it is the error the filling
  would have met after verification.

The write lock (``local_meta``'s ``device_id`` row, ``FOR UPDATE``) is the thread's first statement, so a
second office PC merging at once verifies its files while it waits for the first one's commit.

Only when the files are verified by worker processes (:func:`~inspector.core.sync.server_verify.uses_workers`:
big calls); a small call, verified in the merge's own thread, fills the shadow after verification, as before
(the two would take turns on the GIL).
"""

from __future__ import annotations

import threading
from pathlib import Path

from inspector.core.sync.verify import ExportRefused, VerifiedExport


class Prefetch:
    """The office's write lock (unless a preview) and the filled shadow, made in a thread on ``server``."""

    def __init__(self, server, files: list[Path], *, lock: bool, background: bool = True):
        """``background``: in a thread now; else in :meth:`result`, after verification (small calls, verified in
        this process: the thread and the verification, both Python, would take turns on the GIL, and each of the
        thread's many small server round trips would wait for it; a week's ten files took 0.5 s longer)."""
        self.files, self.lock = files, lock
        self.stats = [_stat(path) for path in files]
        self.shadow = self.specs = self.tables = None
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(server,), name="inspector-merge-prefetch", daemon=True)
        self._server = None if background else server
        if background:
            self._thread.start()

    def _run(self, server) -> None:
        from sqlalchemy import text

        from inspector.core.sync.rows import SYNC_ORDER, table_specs
        from inspector.core.sync.server_rows import ServerTable
        from inspector.core.sync.server_shadow import Shadow

        try:
            if self.lock:  # the office database's write lock, as numbering.write_session takes it
                server.execute(text("SELECT value FROM local_meta WHERE key = 'device_id' FOR UPDATE"))
            self.shadow = Shadow(self.files)
            self.specs = table_specs(self.shadow.connection)
            self.tables = {table: ServerTable(table, self.specs[table].columns) for table in SYNC_ORDER}
            self.shadow.fill(server, self.specs, self.tables, lock=self.lock, stop=self._stop)
        except BaseException as exc:  # noqa: BLE001  (raised in the merge's thread by result())
            self.error = exc

    def result(self, exports: list[VerifiedExport]):
        """(shadow, specs, tables) once the filling ended, for the verified ``exports`` of the same files."""
        if self._server is not None:  # not in the background: filled now
            self._run(self._server)
        else:
            self._thread.join()
        if self.error is not None:
            raise self.error
        for export, before in zip(exports, self.stats):
            if export.stat != before:
                raise ExportRefused(f"{export.path.name} 在校验时被改动，已停止合并，办公室数据库未改动。")
        return self.shadow, self.specs, self.tables

    def close(self, server) -> None:
        """Stop the filling (at its next table, or its statement cancelled: a refusal came first) and wait for it;
        the shadow is deleted. Called before the transaction ends."""
        if self._thread.is_alive():
            self._stop.set()
            _cancel(server)  # a lock waited for, a lookup running: ended now (the transaction is rolled back)
            self._thread.join()
        if self.shadow is not None:
            self.shadow.close()
            self.shadow = None


def _stat(path: Path) -> tuple[int, int]:
    try:
        status = Path(path).stat()
    except OSError:
        return (-1, -1)  # verification says what is wrong with it
    return (status.st_mtime_ns, status.st_size)


def _cancel(server) -> None:
    """Cancel the statement ``server`` runs (psycopg); a server idle in its transaction ignores it."""
    raw = getattr(server.connection, "driver_connection", None)
    cancel = getattr(raw, "cancel_safe", None) or getattr(raw, "cancel", None)
    if cancel is None:
        return
    try:
        cancel()
    except Exception:  # noqa: BLE001  (the filling then ends at its next table)
        pass
