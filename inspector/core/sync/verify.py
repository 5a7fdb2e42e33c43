"""Refuse anything that is not a sound export of this app, before the local database is touched.

Checks: the file exists and has SQLite's header; its length agrees with the page count in the header (a
truncated copy); it is marked as ours (``PRAGMA application_id``, schema version) and its schema is exactly
ours (:mod:`~inspector.core.sync.schema`: no extra table, column, index, view or trigger); it carries a
manifest of a format we know, made no later than a day after this computer's clock; SQLite's
``quick_check`` passes (every page and b-tree; the consistency of indexes with their tables, which only
``integrity_check`` adds, matters to the merge's id lookups, and the merge refuses a file whose writes do not
touch exactly the planned rows); the row counts, the content SHA-256 over every row version and history
entry, and the SHA-256 of every photo JPEG and notice PDF all agree with the manifest; and every row obeys
the rules of its table (:mod:`~inspector.core.sync.rules`, checked in the same pass that hashes the rows),
with no clock stamp later than the export itself. Each refusal is one Chinese sentence naming what is wrong
(for a bad row: table, row id, field); a damaged file is named as damaged first.

The header, identity, schema and manifest are checked first, in the caller's thread; ``quick_check`` and the
blobs (JPEGs, thumbnails, PDFs) in a thread of their own (:mod:`~inspector.core.sync.verify_blobs`) while the
rows are checked and hashed: :func:`start_verification` hands the halves to a caller that works meanwhile (the
merge writes in its transaction and commits only once all has passed), :func:`verify_export` waits for both.

The file is opened read-only and immutable: verifying never writes to it (it may be on a
write-protected USB stick) and never creates ``-wal`` or ``-journal`` files beside it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Callable

from inspector.core.sync.manifest import (FORMAT, FORMAT_VERSION, Manifest, content_digest, manifest_problem,
                                          read_manifest_text)
from inspector.core.sync.rows import (CHUNK, HISTORY_TABLE, SYNC_ORDER, TableSpec, Version, now_text,
                                      table_specs, versions)
from inspector.db import migrations
from inspector.errors import UserError

Progress = Callable[[int, int], None]
EXPORT_CLOCK_SKEW = timedelta(days=1)  # an export made later than this after our clock's "now" is refused
#: Blob columns (besides the trusted ones) hashed in the blobs' thread; the row scan only reads their type.
HASHED_ASIDE = {"photo": "thumbnail"}


class ExportRefused(UserError):
    """An incoming file that is not a sound export of this app; nothing was changed."""


@dataclass
class VerifiedExport:
    path: Path
    manifest: Manifest
    versions: dict[str, dict[str, Version]]  # table -> row id -> version, computed from the file itself
    history_entries: int
    stat: tuple[int, int] = (0, 0)  # (mtime_ns, size) when verified: a file changed since is refused
    #: (table, row id, version) of the rows whose version the file's own history lacks (normally none: an export
    #: records every version it holds); None: not looked at. A merge copies the file's history and records these.
    unlisted: list[tuple[str, str, str]] | None = None


def open_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(read_only_uri(path), uri=True)


def read_only_uri(path: Path) -> str:
    return Path(path).resolve().as_uri() + "?mode=ro&immutable=1"


def verify_export(path: Path, progress: Progress | None = None) -> VerifiedExport:
    verification = start_verification(path)
    try:
        verified = verification.check_rows(progress)
        verification.finish()
        return verified
    finally:
        verification.close()


def start_verification(path: Path, blobs_in_thread: bool = True) -> "Verification":
    """:func:`verify_export` in halves, for a caller that works while the blobs are checked (the merge writes
    in its transaction meanwhile and commits only after :meth:`Verification.finish`; several files can be
    verified at once): the header, identity, schema and manifest are checked now, SQLite's ``quick_check``,
    the thumbnails and the photo and PDF blobs in a thread started here; :meth:`Verification.check_rows`
    checks and hashes the rows on the caller's thread. Refusals are :class:`ExportRefused`, as from
    :func:`verify_export`; call :meth:`Verification.close` in every case.

    ``blobs_in_thread=False`` (the merge, whose writer thread is the other busy one): no thread; the row scan of
    the photos reads each JPEG and thumbnail with its row and hashes them (the photos read once instead of twice),
    and ``quick_check`` and the PDFs follow in :meth:`Verification.check_rows`; their refusals are still raised by
    :meth:`Verification.finish`, the row refusals by :meth:`Verification.check_rows`, the same sentences."""
    return Verification(Path(path), blobs_in_thread)


def verify_written(path: Path, manifest: Manifest, samples: list[tuple[str, str, str]],
                   manifest_text: str | None = None, written: tuple[str, ...] | None = None) -> None:
    """Check an export this process has just written, before it is renamed into place.

    What a bad write or a bug in the export would break, without rehashing every row: the header and
    length, identity and schema, SQLite's ``quick_check`` (every page and b-tree), the manifest read back,
    the row counts, that the manifest lists exactly the photos and PDFs of the file, and ``samples``
    ``(table, row id, stamped version)`` rehashed from the rows (a stamp kept wrong on write shows here;
    the receiving laptop recomputes every version and blob hash anyway, see :func:`verify_export`).
    ``manifest_text`` is the JSON the export wrote (made from ``manifest`` when not given).

    ``written`` (a full export): the file is a byte copy of a snapshot of the live database that passed
    ``quick_check`` (:func:`~.snapshot.snapshot`), changed since only in the b-trees of these tables,
    so ``quick_check`` runs on those (and their indexes) instead of on every page again
    (docs/performance.md, "Export", says what this proves and what it leaves to the receiver).
    """
    from inspector.core.sync.manifest import blob_hashes

    path = Path(path)
    _check_file(path)
    connection = open_readonly(path)
    try:
        _check_identity(connection, path)
        _check_schema(connection, path)
        if written is None:
            _check_integrity(connection, path, quick=True)
        else:
            _check_written_trees(connection, path, written)
        if read_manifest_text(connection) != (manifest_text or manifest_json(manifest)):
            raise ExportRefused(f"{path.name} 的导出清单与写入的不一致。")
        counts = {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in (*SYNC_ORDER, HISTORY_TABLE)}
        if counts != manifest.counts:
            raise ExportRefused(f"{path.name} 的记录数与导出清单不符。")
        for table, hash_column, listed in (("photo", "jpeg_sha256", manifest.photos),
                                           ("notice", "pdf_sha256", manifest.notices)):
            if blob_hashes(connection, table, hash_column) != listed:  # index-only: not past the blob
                raise ExportRefused(f"{path.name} 中的{table}与导出清单不符。")
        _check_samples(connection, path, samples)
    except migrations.UNREADABLE as exc:
        raise ExportRefused(f"{path.name} 写入后无法读取（{migrations.unreadable_reason(exc)}）。") from exc
    finally:
        connection.close()


def _check_written_trees(connection: sqlite3.Connection, path: Path, written: tuple[str, ...]) -> None:
    from inspector.core.sync.snapshot import quick_check_problem

    for table in written:
        problem = quick_check_problem(connection, table)
        if problem:
            raise ExportRefused(f"{path.name} 写入后已损坏（SQLite 完整性检查：{problem}）。")


def manifest_json(manifest: Manifest) -> str:
    """``Manifest.to_json`` without ``dataclasses.asdict``'s deep copy of the photo and PDF maps (1 s per 40,000)."""
    import json
    from dataclasses import fields

    return json.dumps({f.name: getattr(manifest, f.name) for f in fields(manifest)}, ensure_ascii=False, sort_keys=True)


def _check_samples(connection: sqlite3.Connection, path: Path, samples: list[tuple[str, str, str]]) -> None:
    specs = table_specs(connection)
    by_table: dict[str, dict[str, str]] = {}
    for table, row_id, version in samples:
        by_table.setdefault(table, {})[row_id] = version
    for table, stamped in by_table.items():
        marks = ",".join("?" * len(stamped))
        found = versions(connection, specs[table], f"WHERE t.id IN ({marks})", tuple(stamped))
        for row_id, version in stamped.items():
            if row_id not in found or found[row_id].digest != version:
                raise ExportRefused(f"{path.name} 中{table}表的记录 {row_id} 与本机记下的版本不符"
                                    "（版本记录有误，请运行“检查数据库”）。")


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise ExportRefused(f"找不到文件 {path}。")
    size = path.stat().st_size
    with open(path, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or header[:16] != migrations.SQLITE_HEADER:
        raise ExportRefused(f"{path.name} 不是本程序的导出文件（不是 SQLite 数据库）。")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counted = header[24:28] == header[92:96]  # the page count in the header is valid
    if page_size < 512 or size % page_size or (counted and pages * page_size > size):
        raise ExportRefused(f"{path.name} 不完整（文件被截断，可能没有复制完），已拒绝合并。")


def _check_identity(connection: sqlite3.Connection, path: Path) -> None:
    app_id, version, tables = migrations.read_identity(connection, path)
    if app_id != migrations.APPLICATION_ID:
        raise ExportRefused(f"{path.name} 是其他程序的数据库，不是本程序的导出文件。")
    newest = migrations.latest_version()
    if version > newest:
        raise ExportRefused(f"{path.name} 由更新版本的程序导出（数据结构版本 {version}，本程序最高支持 {newest}），请先升级本程序。")
    if version < newest:
        raise ExportRefused(f"{path.name} 由旧版本的程序导出（数据结构版本 {version}，本程序为 {newest}），请对方升级后重新导出。")


def _check_schema(connection: sqlite3.Connection, path: Path) -> None:
    from inspector.core.sync.schema import schema_differences

    differences = schema_differences(connection)
    if differences:
        more = f"等 {len(differences)} 处" if len(differences) > 1 else ""
        raise ExportRefused(f"{path.name} 的数据结构与本程序不同（{differences[0]}{more}），不是本程序生成的导出文件，已拒绝合并。")


def _check_integrity(connection: sqlite3.Connection, path: Path, quick: bool = False) -> None:
    rows = [row[0] for row in connection.execute(f"PRAGMA {'quick_check' if quick else 'integrity_check'}(20)")]
    if rows != ["ok"]:  # a row may hold several lines ("*** in database main ***\nPage 33: ..."): name the first fault
        lines = [line.strip() for row in rows for line in row.splitlines() if line.strip() and not line.startswith("***")]
        raise ExportRefused(f"{path.name} 已损坏（SQLite 完整性检查：{(lines or rows)[0]}），已拒绝合并。")


def _read_manifest(connection: sqlite3.Connection, path: Path) -> Manifest:
    text = read_manifest_text(connection)
    if text is None:
        raise ExportRefused(f"{path.name} 是本程序的数据库，但不是导出文件（没有导出清单）；请在对方电脑上用“导出”生成文件。")
    try:
        manifest = Manifest.from_json(text)
    except (ValueError, TypeError) as exc:
        raise ExportRefused(f"{path.name} 的导出清单已损坏（{exc}），已拒绝合并。") from exc
    if manifest.format != FORMAT:
        raise ExportRefused(f"{path.name} 的导出清单不属于本程序，已拒绝合并。")
    if manifest.format_version > FORMAT_VERSION:
        raise ExportRefused(f"{path.name} 使用更新的导出格式（版本 {manifest.format_version}），请先升级本程序。")
    field = manifest_problem(manifest)
    if field:
        from inspector.core.sync.rules import printable

        raise ExportRefused(f"{path.name} 的导出清单已损坏（{printable(field, 60)} 无效），已拒绝合并。")
    _check_export_time(manifest, path)
    return manifest


def _check_export_time(manifest: Manifest, path: Path) -> None:
    from inspector.core.sync.rules import Bounds, valid_stamp

    if not valid_stamp(manifest.exported_at):
        from inspector.core.sync.rules import printable

        raise ExportRefused(f"{path.name} 的导出清单已损坏（导出时间 {printable(manifest.exported_at)} 无效），已拒绝合并。")
    if manifest.exported_at > Bounds.after(now_text(), EXPORT_CLOCK_SKEW).latest:
        raise ExportRefused(f"{path.name} 的导出时间 {manifest.exported_at[:19]} 晚于本机时间一天以上："
                            "请核对两台电脑的时钟后重新导出，已拒绝合并。")


class Verification:
    """One file being verified (:func:`start_verification`): cheap checks done, blobs checked in a thread."""

    def __init__(self, path: Path, blobs_in_thread: bool = True):
        from inspector.core.sync.verify_blobs import BlobCheck, InlineBlobs

        _check_file(path)
        before = path.stat()
        self.path, self.stat, self.blobs = path, (before.st_mtime_ns, before.st_size), None
        try:
            self.connection = open_readonly(path)
        except sqlite3.Error as exc:
            raise ExportRefused(f"无法打开 {path.name}：{exc}。") from exc
        try:
            with _refusing_unreadable(path):
                _check_identity(self.connection, path)
                _check_schema(self.connection, path)
                self.manifest = self._read_manifest()
            if blobs_in_thread:
                self.blobs = BlobCheck(path, self.manifest, open_readonly, _check_integrity, ExportRefused)
            else:
                self.blobs = InlineBlobs(path, self.manifest, self.connection, _check_integrity, ExportRefused)
        except BaseException:
            self.connection.close()
            raise

    def _read_manifest(self) -> Manifest:
        try:
            return _read_manifest(self.connection, self.path)
        except (ExportRefused, sqlite3.DatabaseError):
            _check_integrity(self.connection, self.path, quick=True)  # a damaged file is named as such first
            raise

    def check_rows(self, progress: Progress | None = None) -> VerifiedExport:
        """Every row checked against its table's rules and hashed, the counts and the content SHA-256 compared
        with the manifest, on this thread (the blobs' thread may still be working: see :meth:`finish`)."""
        try:
            with _refusing_unreadable(self.path):
                verified = _check_rows(self.connection, self.path, self.manifest, self.blobs,
                                       progress or (lambda done, total: None))
            self.blobs.after_rows()  # without a thread: quick_check and the PDFs now (their refusals: finish)
        except ExportRefused:
            self.blobs.refuse_if_damaged()  # quick_check's verdict first: a damaged file is named as such
            self.blobs.cancel()
            raise
        verified.stat = self.stat
        return verified

    def check_integrity_aside(self) -> None:
        """Without a blobs' thread: ``quick_check`` on the calling thread (another than :meth:`check_rows`'s), with
        a connection of its own, unless it has begun already (:meth:`.verify_blobs.InlineBlobs.check_integrity_aside`)."""
        if self.blobs is not None and self.blobs.inline:
            self.blobs.check_integrity_aside(open_readonly)

    def finish(self) -> None:
        """Wait for ``quick_check`` and the blobs; raises their refusal."""
        self.blobs.wait()

    def close(self) -> None:
        if self.blobs is not None:
            self.blobs.cancel()
        self.connection.close()


class _refusing_unreadable:
    """SQLite's errors reading the file become the refusal "damaged"."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, traceback):
        if isinstance(exc, migrations.UNREADABLE):
            raise ExportRefused(f"{self.path.name} 已损坏，无法读取（{migrations.unreadable_reason(exc)}），已拒绝合并。") from exc
        return False


def _check_rows(connection: sqlite3.Connection, path: Path, manifest: Manifest, blobs, progress: Progress) -> VerifiedExport:
    from inspector.core.sync.rules import Bounds
    from inspector.core.sync.verify_blobs import checked_photos

    specs, bounds, steps = table_specs(connection), Bounds.after(manifest.exported_at), len(SYNC_ORDER) + 3
    table_versions: dict[str, dict[str, Version]] = {}
    for step, table in enumerate(sorted(SYNC_ORDER, key=lambda t: t in HASHED_ASIDE)):  # their blobs' hashes: last
        if table in HASHED_ASIDE and blobs.inline:  # no blobs' thread: the photos' blobs are read here
            spec = specs[table]
            table_versions[table] = checked_photos(
                connection, spec, blobs, lambda rows, s=spec: _refuse_bad_rows(path, s.table, s.digest_columns, rows, bounds))
        else:
            table_versions[table] = _checked_versions(connection, path, specs[table], bounds, blobs)
        progress(step + 1, steps)
    history = connection.execute(f"SELECT table_name, row_id, version, seen_seq FROM {HISTORY_TABLE}").fetchall()
    _refuse_bad_rows(path, HISTORY_TABLE, ("table_name", "row_id", "version", "seen_seq"), history, bounds)
    history = [row[:3] for row in history]
    counts = {table: len(rows) for table, rows in table_versions.items()} | {HISTORY_TABLE: len(history)}
    if counts != manifest.counts:
        raise ExportRefused(f"{path.name} 的记录数与导出清单不符（文件在导出后被改动或不完整），已拒绝合并。")
    if content_digest(table_versions, history) != manifest.content_sha256:
        raise ExportRefused(f"{path.name} 的内容校验失败（SHA-256 与导出清单不符，文件在导出后被改动或已损坏），已拒绝合并。")
    progress(steps, steps)
    return VerifiedExport(path, manifest, table_versions, len(history), unlisted=_unlisted(table_versions, history))


def _unlisted(table_versions: dict[str, dict[str, Version]], history: list[tuple]) -> list[tuple[str, str, str]]:
    """The row versions the file's history does not list, found here, beside the merge's writer: the merge then
    records only these after copying the history (16,000 versions already listed cost its transaction 0.02 s)."""
    listed = set(history)
    return [entry for table, rows in table_versions.items() for row_id, version in rows.items()
            if (entry := (table, row_id, version.digest)) not in listed]


def _checked_versions(connection: sqlite3.Connection, path: Path, spec: TableSpec, bounds, blobs) -> dict[str, Version]:
    """Every row's version, each batch of rows checked against the table's rules before it is hashed. A blob
    hashed in the blobs' thread (a photo's thumbnail) is read here as an empty blob (its type only: SQLite does
    not read a blob for ``typeof``) and stands in the hash as that thread's SHA-256 of it."""
    aside = HASHED_ASIDE.get(spec.table)
    select = ", ".join(f'CASE typeof(t."{name}") WHEN \'blob\' THEN x\'\' ELSE t."{name}" END' if name == aside
                       else f't."{name}"' for name in spec.digest_columns)
    cursor = connection.execute(f"SELECT {select} FROM main.{spec.table} AS t")
    version_of, result = spec.version_of, {}
    slot = spec.digest_columns.index(aside) if aside else None
    id_slot = spec.digest_columns.index("id")
    hashes = blobs.aside_hashes() if aside else None
    while True:
        batch = cursor.fetchmany(CHUNK)
        if not batch:
            return result
        _refuse_bad_rows(path, spec.table, spec.digest_columns, batch, bounds)
        if slot is not None:
            batch = [_hashed_aside(values, slot, id_slot, hashes, path) for values in batch]
        for values in batch:
            version = version_of(values)
            result[version.id] = version


def _hashed_aside(values: tuple, slot: int, id_slot: int, hashes: dict[str, str], path: Path) -> tuple:
    if values[slot].__class__ is not bytes:
        return values
    digest = hashes.get(values[id_slot])
    if digest is None:  # the blobs' thread read other rows than this one: the file is not sound
        raise ExportRefused(f"{path.name} 已损坏，无法读取（照片 {values[id_slot]} 的缩略图），已拒绝合并。")
    return values[:slot] + (["b", digest],) + values[slot + 1:]


def _refuse_bad_rows(path: Path, table: str, columns, rows: list[tuple], bounds) -> None:
    from inspector.core.sync.rules import first_problem

    problem = first_problem(table, columns, rows, bounds)
    if problem:
        raise ExportRefused(f"{path.name} 中{problem.sentence()}，整个文件已拒绝合并。")
