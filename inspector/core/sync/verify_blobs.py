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
from inspector.core.sync.rows import CHUNK, TRUSTED_BLOBS, TableSpec, Version

sha256 = hashlib.sha256


def check_blobs(connection: sqlite3.Connection, table: str, listed: dict[str, str], label: str, path: Path,
                refusal: type, cancelled=lambda: False) -> None:
    """Every trusted blob of ``table`` hashed and compared with its row's hash column and the manifest."""
    blob, hash_column = TRUSTED_BLOBS[table]
    seen, refused = 0, mismatch_refusal(path, refusal, label)
    for row_id, data, recorded in connection.execute(f"SELECT id, {blob}, {hash_column} FROM {table}"):
        if cancelled():
            return
        actual = sha256(data).hexdigest() if data.__class__ is bytes else None
        if actual != recorded or listed.get(row_id) != actual:
            raise refused(row_id)
        seen += 1
    if seen != len(listed):
        raise count_refusal(path, refusal, label)


def mismatch_refusal(path: Path, refusal: type, label: str):
    return lambda row_id: refusal(f"{path.name} 中的{label} {row_id} 校验失败（SHA-256 不符，数据已损坏），已拒绝合并。")


def count_refusal(path: Path, refusal: type, label: str):
    return refusal(f"{path.name} 中的{label}数量与导出清单不符，已拒绝合并。")


class BlobCheck:
    """``opener``, ``integrity_check`` and ``refusal``: :mod:`.verify`'s read-only connection, ``quick_check``
    and refusal class (handed in: this module is below :mod:`.verify`)."""

    inline = False  # the row check asks for the thumbnails' hashes (:meth:`aside_hashes`)

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
        check_blobs(connection, table, listed, label, self.path, self.refusal, self.cancelled.is_set)

    def _refusal(self, label: str):
        return mismatch_refusal(self.path, self.refusal, label)

    def _count_refusal(self, label: str):
        return count_refusal(self.path, self.refusal, label)

    def after_rows(self) -> None:
        """Nothing: the thread does it all (see :meth:`InlineBlobs.after_rows`)."""

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


class InlineBlobs:
    """:class:`BlobCheck`'s checks without a thread: the caller's row scan of the photos reads each JPEG and
    thumbnail with the rest of its row and hands them here (:meth:`photo`), so the photos are read once, not
    once for the blobs and again for the rows (the merge, whose writer thread already has a core of its own:
    docs/performance.md, merge "Round 6"); :meth:`after_rows` then runs ``quick_check`` and hashes the PDFs.
    The same refusals in the same order as :class:`BlobCheck`: ``quick_check``'s verdict first, then the first
    photo whose JPEG does not match (or a photo count that disagrees: raised by the photos' row scan, before
    any rule of a photo row, as the row check raises the blobs' thread's refusal), then the PDFs (:meth:`wait`)."""

    inline = True  # the row check reads the photos' blobs and hands the JPEGs to :meth:`photo`

    def __init__(self, path: Path, manifest: Manifest, connection: sqlite3.Connection, integrity_check,
                 refusal: type):
        self.path, self.manifest, self.connection = path, manifest, connection
        self.integrity_check, self.refusal = integrity_check, refusal
        self.listed, self.seen, self.first_bad = manifest.photos, 0, None
        self.integrity: BaseException | None = None
        self.checked = False
        self.integrity_lock = threading.Lock()  # quick_check runs once, on the caller's or the merge writer's thread
        self.error: BaseException | None = None

    def photo(self, row_id, data, recorded) -> None:
        """One photo's JPEG, compared with its row's ``jpeg_sha256`` and the manifest (the first mismatch kept)."""
        actual = sha256(data).hexdigest() if data.__class__ is bytes else None
        if self.first_bad is None and (actual != recorded or self.listed.get(row_id) != actual):
            self.first_bad = row_id
        self.seen += 1

    def refuse_if_damaged(self) -> None:
        """Raise ``quick_check``'s refusal, if it finds the file damaged (run once: here, on the caller's thread,
        unless :meth:`check_integrity_aside` ran or runs it; then its verdict, waited for)."""
        with self.integrity_lock:
            if not self.checked:
                self.checked = True
                try:
                    self.integrity_check(self.connection, self.path, quick=True)
                except BaseException as exc:
                    self.integrity = exc
        if self.integrity is not None:
            raise self.integrity

    def check_integrity_aside(self, connect) -> None:
        """Run ``quick_check`` now, on this thread and a connection of its own (``connect(path)``), unless the
        caller's thread has begun it: the merge's writer, done before the row scan, takes it off the caller's
        path (0.04 s of 1,000 inspections; docs/performance.md, merge "Round 8"). The same check of the same
        (immutable) file: :meth:`refuse_if_damaged` then gives its verdict."""
        if not self.integrity_lock.acquire(blocking=False):
            return  # the caller is running it
        try:
            if self.checked:
                return
            try:
                connection = connect(self.path)
            except sqlite3.Error:
                return  # the caller's own connection is open: it checks, as without this
            try:
                self.integrity_check(connection, self.path, quick=True)
            except BaseException as exc:
                self.integrity = exc
            finally:
                connection.close()
            self.checked = True
        finally:
            self.integrity_lock.release()

    def refuse_photos(self) -> None:
        """After the scan of the photos: the refusal of the first JPEG that did not match, or of a photo count that
        disagrees, ``quick_check``'s first if it finds the file damaged (as :class:`BlobCheck` hands it to the row
        check, which then checks no photo row)."""
        if self.first_bad is not None or self.seen != len(self.listed):
            self.refuse_if_damaged()
            if self.first_bad is not None:
                raise mismatch_refusal(self.path, self.refusal, "照片")(self.first_bad)
            raise count_refusal(self.path, self.refusal, "照片")

    def after_rows(self) -> None:
        """Once every row has passed: ``quick_check``, then the PDFs; a refusal is kept for :meth:`wait` (raised
        after the writing, as the blobs' thread's would be)."""
        try:
            self.refuse_if_damaged()
            check_blobs(self.connection, "notice", self.manifest.notices, "文书 PDF", self.path, self.refusal)
        except Exception as exc:
            self.error = exc

    def wait(self) -> None:
        if self.error is None:
            return
        if isinstance(self.error, sqlite3.DatabaseError):
            raise self.refusal(f"{self.path.name} 已损坏，无法读取（{self.error}），已拒绝合并。") from self.error
        raise self.error

    def cancel(self) -> None:
        """Nothing runs beside the caller."""


def checked_photos(connection: sqlite3.Connection, spec: TableSpec, blobs: InlineBlobs, refuse_bad_rows) -> dict[str, Version]:
    """:func:`.verify._checked_versions` of the photos for a check without a blobs' thread: one scan reads each row
    with its JPEG, which ``blobs`` hashes, and its thumbnail, hashed here; the rules (``refuse_bad_rows``, raising
    the refusal of the first bad row of a batch) see the thumbnail as ``_checked_versions`` shows it (an empty
    blob for a blob), the version hash its SHA-256. Row by row (one JPEG held at a time), in batches of
    :data:`~.rows.CHUNK` for the rules. The verdict is the threaded check's: a JPEG that does not match (or a
    photo count that disagrees) refuses the file before any rule of a photo row (:meth:`InlineBlobs.refuse_photos`),
    ``quick_check``'s verdict before both."""
    columns = spec.digest_columns
    slot, id_slot, sha_slot = (columns.index(name) for name in ("thumbnail", "id", "jpeg_sha256"))
    blob, _ = TRUSTED_BLOBS[spec.table]
    select = ", ".join(f't."{name}"' for name in (blob, *columns))
    photo, batches, refused = blobs.photo, _PhotoBatches(spec, refuse_bad_rows, blobs.refusal), None
    for row in connection.execute(f"SELECT {select} FROM main.{spec.table} AS t"):
        values = row[1:]
        photo(values[id_slot], row[0], values[sha_slot])
        if refused is not None:
            continue  # the rest of the JPEGs still to hash: a mismatch among them comes first
        thumbnail = values[slot]
        if thumbnail.__class__ is bytes:
            batches.add(values[:slot] + (b"",) + values[slot + 1:],
                        values[:slot] + (["b", sha256(thumbnail).hexdigest()],) + values[slot + 1:])
        else:
            batches.add(values, values)
        if batches.full():
            refused = batches.flush()
    blobs.refuse_photos()
    if refused is None:
        refused = batches.flush()
    if refused is not None:
        raise refused
    return batches.result


class _PhotoBatches:
    """Rows of :func:`checked_photos` as the rules see them and as they are hashed, a batch at a time."""

    def __init__(self, spec: TableSpec, refuse_bad_rows, refusal: type):
        self.spec, self.refuse_bad_rows, self.refusal = spec, refuse_bad_rows, refusal
        self.checked: list[tuple] = []
        self.hashed: list[tuple] = []
        self.result: dict[str, Version] = {}

    def add(self, checked: tuple, hashed: tuple) -> None:
        self.checked.append(checked)
        self.hashed.append(hashed)

    def full(self) -> bool:
        return len(self.checked) == CHUNK

    def flush(self):
        """Check and hash the batch; the refusal of a bad row (returned, not raised: the JPEGs decide first)."""
        checked, hashed, self.checked, self.hashed = self.checked, self.hashed, [], []
        if checked:
            try:
                self.refuse_bad_rows(checked)
            except self.refusal as exc:
                return exc
        version_of, result = self.spec.version_of, self.result
        for values in hashed:
            version = version_of(values)
            result[version.id] = version
        return None
