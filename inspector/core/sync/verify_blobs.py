"""The half of an incoming file's verification that SQLite and SHA-256 do without Python's lock, in a thread.

:class:`BlobCheck` runs, on a read-only connection of its own: one pass over the photos hashing each JPEG
(compared with its row's ``jpeg_sha256`` and the manifest) and each thumbnail (handed to the row check,
:meth:`BlobCheck.aside_hashes`, which does photos last: the row scan on the caller's thread then never reads
a thumbnail); SQLite's ``quick_check`` of the file (its verdict on a damaged file is the refusal, whatever
else failed first); then every notice PDF. Reading blobs and hashing them release the GIL, so
this runs while the caller checks and hashes the rows, and, in a merge, while it writes (nothing is
committed before :meth:`BlobCheck.wait` has returned).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

from inspector.core.sync.manifest import Manifest
from inspector.core.sync.rows import TRUSTED_BLOBS

sha256 = hashlib.sha256


class BlobCheck:
    """``opener``, ``integrity_check`` and ``refusal``: :mod:`.verify`'s read-only connection, ``quick_check``
    and refusal class (handed in: this module is below :mod:`.verify`)."""

    def __init__(self, path: Path, manifest: Manifest, opener, integrity_check, refusal: type):
        self.path, self.manifest = path, manifest
        self.opener, self.integrity_check, self.refusal = opener, integrity_check, refusal
        self.error: BaseException | None = None
        self.integrity: BaseException | None = None  # quick_check's refusal
        self.thumbnails: dict[str, str] = {}
        self.photos_read = False
        self.checked, self.aside_ready, self.cancelled = threading.Event(), threading.Event(), threading.Event()
        self.connection: sqlite3.Connection | None = None
        self.thread = threading.Thread(target=self._run, name="verify-blobs", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.connection = connection = self.opener(self.path)
            try:
                self._steps(connection)
            finally:
                connection.close()
        except BaseException as exc:  # handed to the caller's thread by wait()
            self.error = exc
        finally:
            self.checked.set()
            self.aside_ready.set()

    def _steps(self, connection: sqlite3.Connection) -> None:
        """Photos first (the row check waits for the thumbnails' hashes), then ``quick_check``, whose verdict on
        a damaged file is the refusal even when reading the photos failed first, then the PDFs."""
        unreadable = None
        try:
            self._photos(connection)
            self.photos_read = not self.cancelled.is_set()
            self.aside_ready.set()
        except Exception as exc:  # the row check waits on until the refusal is known (set by _run)
            unreadable = exc
        try:
            self.integrity_check(connection, self.path, quick=True)
        except BaseException as exc:
            self.integrity = exc
            raise
        finally:
            self.checked.set()
        if unreadable is not None:
            raise unreadable
        self._blobs(connection, "notice", self.manifest.notices, "文书 PDF")

    def _photos(self, connection: sqlite3.Connection) -> None:
        """Every photo's JPEG checked and its thumbnail hashed, in one pass over the rows (a refusal is raised
        after ``quick_check``: see :meth:`_steps`)."""
        listed, seen, thumbnails = self.manifest.photos, 0, self.thumbnails
        refused = self._refusal("照片")
        for row_id, data, recorded, thumbnail in connection.execute(
                "SELECT id, jpeg, jpeg_sha256, thumbnail FROM photo"):
            if self.cancelled.is_set():
                return
            actual = sha256(data).hexdigest() if data.__class__ is bytes else None
            if actual != recorded or listed.get(row_id) != actual:
                raise refused(row_id)
            if thumbnail.__class__ is bytes:
                thumbnails[row_id] = sha256(thumbnail).hexdigest()
            seen += 1
        if seen != len(listed):
            raise self._count_refusal("照片")

    def _blobs(self, connection: sqlite3.Connection, table: str, listed: dict[str, str], label: str) -> None:
        blob, hash_column = TRUSTED_BLOBS[table]
        seen, refused = 0, self._refusal(label)
        for row_id, data, recorded in connection.execute(f"SELECT id, {blob}, {hash_column} FROM {table}"):
            if self.cancelled.is_set():
                return
            actual = sha256(data).hexdigest() if data.__class__ is bytes else None
            if actual != recorded or listed.get(row_id) != actual:
                raise refused(row_id)
            seen += 1
        if seen != len(listed):
            raise self._count_refusal(label)

    def _refusal(self, label: str):
        return lambda row_id: self.refusal(
            f"{self.path.name} 中的{label} {row_id} 校验失败（SHA-256 不符，数据已损坏），已拒绝合并。")

    def _count_refusal(self, label: str):
        return self.refusal(f"{self.path.name} 中的{label}数量与导出清单不符，已拒绝合并。")

    def aside_hashes(self) -> dict[str, str]:
        """Photo id -> SHA-256 of its thumbnail, once the photos are read (raises the thread's refusal)."""
        self.aside_ready.wait()
        if not self.photos_read:
            self._raise()
        return self.thumbnails

    def refuse_if_damaged(self) -> None:
        """Raise ``quick_check``'s refusal, if it found the file damaged (waits for its verdict)."""
        self.checked.wait()
        if self.integrity is not None:
            raise self.integrity

    def wait(self) -> None:
        self.thread.join()
        if self.error is not None:
            self._raise()

    def _raise(self) -> None:
        if self.error is None:  # cancelled: the caller stopped the check
            raise self.refusal(f"{self.path.name} 的校验已中止，已拒绝合并。")
        if isinstance(self.error, sqlite3.DatabaseError):
            raise self.refusal(f"{self.path.name} 已损坏，无法读取（{self.error}），已拒绝合并。") from self.error
        raise self.error

    def cancel(self) -> None:
        """Stop reading (at the next row, or SQLite's current step) and wait for the thread."""
        if self.thread.is_alive():
            self.cancelled.set()
            connection = self.connection
            if connection is not None and not self.checked.is_set():
                try:
                    connection.interrupt()
                except sqlite3.Error:
                    pass
        self.thread.join()
