"""Export the database (or part of it) to a file another laptop or the office can merge.

The export is built under a temporary name beside the destination. A full export is a consistent
snapshot of the live database: a copy of the file made while no checkpoint can change it, checked with
``quick_check`` on the snapshot itself while the copy is finished (:mod:`.snapshot`, :mod:`.full_export`;
SQLite's backup API when it cannot be frozen), from which every table that never travels is emptied
(secure delete); a partial
export is a new database of the app's schema filled by ``INSERT … SELECT`` from the live database,
attached and read inside one transaction. Row versions come from the stamps kept on write
(:mod:`.stamps`): only rows written since they were last hashed are hashed. The file gets a manifest,
is closed and fsynced, then reopened and checked (:func:`~.verify.verify_written`: structure with
``quick_check``, schema, manifest, counts, a sample of rows rehashed against their stamps; the
receiving laptop still verifies everything) and only then renamed into place. A full disk, an error
or a killed process leaves at most a ``.partial`` file, never one that looks finished.

After the rename, the versions the export saw are recorded in the local history with the export's
operation number, so ``since_last`` can later send only what changed.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from inspector.core.common.outputs import fsync_folder, protected_reason, remove_sqlite_temp, temp_path_for
from inspector.core.sync import history, stamps
from inspector.core.sync.manifest import MANIFEST_TABLE, Manifest, blob_hashes
from inspector.core.sync.rows import HISTORY_TABLE, SYNC_ORDER, now_text, table_specs
from inspector.core.sync.snapshot import fsync_while, snapshot
from inspector.core.sync.export_rows import copy_rows, select_for_export
from inspector.core.sync.selection import ExportFilter
from inspector.core.sync.verify import ExportRefused, verify_written
from inspector.db import migrations
from inspector.errors import UserError

Progress = Callable[[int, int], None]
DEFAULT_TARGET = "办公室"  # the GUI export dialog shows the same name: one history of what was sent
EXPORTED = "temp.sync_exported"


@dataclass(frozen=True)
class ExportOptions:
    since_last: bool = False
    target: str = DEFAULT_TARGET  # where the file goes (the office, a colleague): since_last is per target
    filter: ExportFilter = field(default_factory=ExportFilter)

    @property
    def kind(self) -> str:
        return "filtered" if self.filter.active else ("since_last" if self.since_last else "full")


@dataclass
class ExportResult:
    path: Path
    manifest: Manifest
    size: int
    seq: int
    since_watermark: int
    warning: str = ""

    @property
    def counts(self) -> dict[str, int]:
        return {table: n for table, n in self.manifest.counts.items() if table != HISTORY_TABLE}

    @property
    def records(self) -> int:
        return sum(n for table, n in self.counts.items() if table != "photo")

    @property
    def photos(self) -> int:
        return self.counts.get("photo", 0)


@dataclass
class _Built:
    """What building the file produced: its manifest (and the JSON text written), the rows to sample."""
    manifest: Manifest
    manifest_text: str
    samples: list[tuple[str, str, str]]
    watermark: int = 0
    selected: bool = False
    written: tuple[str, ...] = ()  # a full export: the b-trees it wrote into the checked snapshot copy


class _Steps:
    """Maps the stages of an export onto one progress range."""

    def __init__(self, progress: Progress | None):
        self.progress = progress
        self.total = 2 + 2 * len(SYNC_ORDER) + len(SYNC_ORDER) + 3 + 1
        self.done = 0

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.progress:
            self.progress(min(self.done, self.total), self.total)

    def sub(self, start: int) -> Progress:
        return lambda done, total: self.progress and self.progress(min(start + done, self.total), self.total)


def export_database(db_path: Path, out: Path, options: ExportOptions = ExportOptions(), *,
                    progress: Progress | None = None) -> ExportResult:
    db_path, out = Path(db_path).resolve(), Path(out).resolve()
    _check_destination(db_path, out)
    steps = _Steps(progress)
    temp = temp_path_for(out)  # named so that the next start removes it if this process is killed
    connection = _connect(":memory:")
    seq = copied = None
    try:
        connection.execute("ATTACH DATABASE ? AS src", (str(db_path),))
        seq = _allocate(connection)
        steps.step()
        full = options.kind == "full"
        copied = _snapshot(db_path, temp) if full else None  # its quick_check may run on while the copy is finished
        triggers = [] if full else _create_schema(connection, temp)
        connection.execute("ATTACH DATABASE ? AS out", (str(temp),))
        connection.execute("PRAGMA out.journal_mode=OFF")  # a temporary file, rebuilt from scratch on any failure
        connection.execute("PRAGMA out.synchronous=OFF")
        try:
            built = _build_full(connection, options, steps, seq, copied) if full else _build(connection, options, steps)
            connection.execute("DETACH DATABASE out")
            _add_triggers(temp, triggers)
            checked = bool(copied and copied.frozen)
            fsync_while(temp, lambda: _verify(temp, built, checked))
        finally:
            if copied:
                copied.wait_check()  # a damaged local database is refused here, whatever the steps above met
        manifest, watermark, selected = built.manifest, built.watermark, built.selected
        steps.step(len(SYNC_ORDER) + 3)
        os.replace(temp, out)
        fsync_folder(out.parent)
        warning = _record(connection, seq, options, manifest, out, watermark, selected, full)
    except BaseException as exc:
        _give_back(connection, seq)  # a failed export leaves local_meta as it was
        if isinstance(exc, sqlite3.Error):
            from inspector.db.database import describe_sqlite_error

            raise UserError("导出失败，未生成文件：" + describe_sqlite_error(exc, out)) from exc
        if isinstance(exc, OSError):
            from inspector.errors import os_error_text

            raise UserError(f"导出失败，未生成文件：写入 {out} 出错（{os_error_text(exc)}）。") from exc
        raise
    finally:
        if copied:
            copied.close()
        connection.close()
        remove_sqlite_temp(temp)
    steps.step()
    return ExportResult(out, manifest, out.stat().st_size, seq, watermark, warning)


def _verify(temp: Path, built: _Built, checked: bool) -> None:
    try:
        if checked:  # the snapshot's pages are checked: the b-trees written since, beside the other checks
            from inspector.core.sync.export_readback import verify_copy

            verify_copy(temp, built.manifest, built.samples, built.manifest_text, built.written, verify_written)
        else:
            verify_written(temp, built.manifest, built.samples, built.manifest_text)
    except ExportRefused as exc:
        raise UserError(f"导出文件校验失败，未生成文件：{exc.message}") from exc


def _check_destination(db_path: Path, out: Path) -> None:
    if out == db_path or out.name.startswith(db_path.name) and out.parent == db_path.parent:
        raise UserError("导出文件不能覆盖本机数据库，请另选文件名。")
    reason = protected_reason(out, (db_path,))
    if reason:
        raise UserError(f"导出文件不能写入 {out}：{reason}，请另选文件名。")
    if not out.parent.is_dir():
        raise UserError(f"导出目录 {out.parent} 不存在。")
    if out.is_dir():
        raise UserError(f"{out} 是一个文件夹，请给出导出文件名。")


def _give_back(connection: sqlite3.Connection, seq: int | None) -> None:
    """Return the operation number a failed export took, unless another operation has taken one since."""
    if seq is None:
        return
    try:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        connection.execute("UPDATE src.local_meta SET value = ? WHERE key = ? AND value = ?",
                           (str(seq - 1), history.SEQ_KEY, str(seq)))
        if seq == 1:
            connection.execute("DELETE FROM src.local_meta WHERE key = ? AND value = '0'", (history.SEQ_KEY,))
    except sqlite3.Error:
        pass  # the number stays used: harmless, the next export takes the one after


def _connect(path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA busy_timeout=10000")
    return connection


def _allocate(connection: sqlite3.Connection) -> int:
    version = connection.execute("PRAGMA src.user_version").fetchone()[0]
    if version != migrations.latest_version():
        raise UserError(f"数据库版本（{version}）与程序（{migrations.latest_version()}）不符，请重新打开程序后再导出。")
    connection.execute("BEGIN IMMEDIATE")
    seq = history.allocate_seq(connection, "src")
    if stamps.available(connection, "src"):  # hash what was written since the last export or merge, once
        stamps.refresh(connection, table_specs(connection, "src"), "src")
    connection.execute("COMMIT")
    return seq


def _create_schema(connection: sqlite3.Connection, temp: Path) -> list[str]:
    """The live database's own schema (it is at the app's version), without its triggers: returns those,
    which :func:`_add_triggers` creates once the rows are in (they must not fire while the file is filled)."""
    rows = connection.execute(
        "SELECT type, sql FROM src.sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, rowid").fetchall()
    triggers = [sql for kind, sql in rows if kind == "trigger"]
    app_id = connection.execute("PRAGMA src.application_id").fetchone()[0]
    version = connection.execute("PRAGMA src.user_version").fetchone()[0]
    target = _connect(temp)
    try:
        target.execute("PRAGMA journal_mode=OFF")
        target.execute("PRAGMA synchronous=OFF")
        target.execute("BEGIN")
        for kind, statement in rows:
            if kind != "trigger":
                target.execute(statement)
        target.execute(f"PRAGMA application_id = {int(app_id)}")
        target.execute(f"PRAGMA user_version = {int(version)}")
        target.execute("COMMIT")
    finally:
        target.close()
    return triggers


def _add_triggers(temp: Path, triggers: list[str]) -> None:
    if not triggers:
        return
    target = _connect(temp)
    try:
        target.execute("PRAGMA journal_mode=OFF")
        target.execute("BEGIN")
        for statement in triggers:
            target.execute(statement)
        target.execute("COMMIT")
    finally:
        target.close()


def _build(connection: sqlite3.Connection, options: ExportOptions, steps: _Steps):
    """A partial export: the selected rows copied into the new file from one read snapshot of the live database."""
    connection.execute("BEGIN")  # one read snapshot of the live database for everything below
    specs = table_specs(connection, "src")
    stamps.stage(connection, specs, "src")
    steps.step(len(SYNC_ORDER))
    watermark = history.export_watermark(connection, options.target, "src") if options.since_last else 0
    selected = _select(connection, options, watermark)
    counts = copy_rows(connection, specs, selected, "src", steps.step)
    if selected:
        _exported(connection)
    manifest = _manifest(connection, options, counts, partial=selected)
    text = _write_manifest(connection, manifest)
    from inspector.core.sync.export_readback import samples as sample_rows

    samples = sample_rows(connection, versions=history.CURRENT)
    connection.execute("COMMIT")
    steps.step()
    return _Built(manifest, text, samples, watermark, selected)


def _snapshot(db_path: Path, temp: Path):
    """The copy, the digest's row part made from the snapshot it is a copy of while the kernel copied it, and
    that snapshot's check (first the stamps against the rows and the local changes, then ``quick_check``)."""
    from inspector.core.sync.full_export import snapshot_blobs, snapshot_rows_digest, snapshot_verdict

    return snapshot(db_path, temp, snapshot_rows_digest, snapshot_verdict, snapshot_blobs)


def _build_full(connection: sqlite3.Connection, options: ExportOptions, steps: _Steps, seq: int, copied):
    """A full export from the snapshot copy, finished from its own stamps (:mod:`.full_export`)."""
    from inspector.core.sync import full_export

    connection.execute("BEGIN")
    counts, digest, samples, written = full_export.build(connection, seq, steps.step, copied.rows, copied.first)
    blobs = copied.second() if copied.frozen else None  # the photo and PDF lists, read on the snapshot meanwhile
    manifest = _manifest(connection, options, counts, partial=False, content_sha256=digest, blobs=blobs)
    text = _write_manifest(connection, manifest, blobs)
    connection.execute("COMMIT")
    steps.step()
    return _Built(manifest, text, samples, written=(*written, MANIFEST_TABLE))


def _exported(connection: sqlite3.Connection) -> None:
    """The rows a partial export holds, kept in ``temp.sync_exported`` for :func:`_record`."""
    connection.execute(f"CREATE TABLE IF NOT EXISTS {EXPORTED} (table_name TEXT, row_id TEXT)")
    connection.execute(f"DELETE FROM {EXPORTED}")
    for table in SYNC_ORDER:
        connection.execute(f"INSERT INTO {EXPORTED} SELECT ?, id FROM out.{table}", (table,))


def _select(connection: sqlite3.Connection, options: ExportOptions, watermark: int) -> bool:
    return select_for_export(connection, options, watermark, "src")


def _manifest(connection: sqlite3.Connection, options: ExportOptions, counts, partial: bool,
              content_sha256: str | None = None, blobs=None) -> Manifest:
    """``blobs`` (:class:`~.full_export.Blobs`): the photo and PDF lists read on the snapshot a full export is a
    byte copy of (the export never changes those tables); read from ``out`` when None."""
    from inspector import __version__

    photos = blobs.photos if blobs else blob_hashes(connection, "photo", "jpeg_sha256", "out")
    notices = blobs.notices if blobs else blob_hashes(connection, "notice", "pdf_sha256", "out")

    device = connection.execute("SELECT value FROM src.local_meta WHERE key = 'device_id'").fetchone()
    return Manifest(
        export_id=str(uuid.uuid4()), device_id=device[0] if device else "", exported_at=now_text(),
        schema_version=migrations.latest_version(), kind=options.kind, counts=counts,
        content_sha256=content_sha256 or history.staged_digest(connection, "out", partial),
        photos=photos, notices=notices,
        target=options.target, filters=options.filter.describe(), app_version=__version__,
        merged_exports=history.merged_exports(connection, "src"),
    )


def _write_manifest(connection: sqlite3.Connection, manifest: Manifest, blobs=None) -> str:
    """What :func:`~.manifest.write_manifest` writes, with the JSON made once and fast (:func:`~.verify.manifest_json`);
    returns the text, which :func:`~.verify.verify_written` compares with what it reads back. ``blobs``
    (:class:`~.full_export.Blobs`): the photo and PDF lists' JSON made beforehand, spliced in
    (:func:`~.full_export.manifest_text`)."""
    from inspector.core.sync.full_export import manifest_text

    text = manifest_text(manifest, blobs)
    connection.execute(f"CREATE TABLE IF NOT EXISTS out.{MANIFEST_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    connection.execute(f"INSERT OR REPLACE INTO out.{MANIFEST_TABLE} (key, value) VALUES ('manifest', ?)", (text,))
    return text


def _record(connection: sqlite3.Connection, seq: int, options: ExportOptions, manifest: Manifest, out: Path,
            watermark: int, selected: bool, full: bool = False) -> str:
    """Remember the versions this export carried; a failure here only means the next since-last export sends more.
    (A full export lists in ``temp.sync_carried`` the ones the local history did not hold at the snapshot.)"""
    join = (f" JOIN {EXPORTED} AS e ON e.table_name = c.table_name AND e.row_id = c.row_id" if selected else "")
    source = "temp.sync_carried" if full else history.CURRENT
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(f"INSERT OR IGNORE INTO src.{HISTORY_TABLE} (table_name, row_id, version, seen_seq) "
                           f"SELECT c.table_name, c.row_id, c.version, ? FROM {source} AS c{join}", (seq,))
        details = {"target": options.target, "seq": seq, "complete": int(not options.filter.active),
                   "kind": options.kind, "since_watermark": watermark, "export_id": manifest.export_id,
                   "counts": manifest.counts, "filters": manifest.filters}
        history.log_operation(connection, kind="export", at=manifest.exported_at, peer_device_id="",
                              path=str(out), watermark=manifest.exported_at, details=details, schema="src")
        if stamps.available(connection, "src"):  # the rows this export carried are no longer "not yet exported"
            stamps.settle(connection, table_specs(connection, "src"), "src")
        connection.execute("COMMIT")
        return ""
    except sqlite3.Error as exc:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        return f"文件已导出，但未能在本机记录这次导出（{exc}）；下次“仅导出变更”会多导出一些记录。"



