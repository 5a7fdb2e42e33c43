"""Export from the office server to a laptop: the SAME SQLite export file a laptop writes.

A laptop merges the file with its unchanged merge (same verification, same row rules), so it
gets what the office did: new enterprises, number blocks allocated to it, checklist snapshots,
statuses changed in the office, and everything the office merged from other laptops.

How: one REPEATABLE READ, read-only transaction on the server is the snapshot. Its synced rows
(photo JPEGs and notice PDFs left empty), its version history, sync log and device id are copied
into an SQLite scratch database of the laptop's schema (:mod:`~inspector.core.sync.server_snapshot`,
values in the laptop's form so every row has the version hash a laptop computes). The laptop's
own selection and history code then runs on the scratch copy unchanged: the current versions,
``--since-last`` per target, the enterprise/date filter, the closure over parents. The chosen
rows go into a new export file (the laptop's schema from the numbered migrations, under a
temporary name from :func:`inspector.core.common.outputs.temp_path_for`); the JPEGs and PDFs of
the chosen rows are read from the server in the same snapshot. The file gets its manifest, is
fsynced, verified exactly as a merge verifies it, and renamed into place. Only then are the
exported versions recorded in the server's ``sync_version`` with the export's operation number,
and the export in its ``sync_log`` (portable SQL, under the office database's device-id row lock),
so the next ``--since-last`` export to that target carries only what changed since.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import bindparam, text

from inspector.core.common.outputs import fsync_file, fsync_folder, remove_sqlite_temp
from inspector.core.sync import history
from inspector.core.sync.export import ExportOptions, ExportResult, Progress
from inspector.core.sync.export_rows import copy_rows, select_for_export
from inspector.core.sync.manifest import Manifest, content_digest, write_manifest
from inspector.core.sync.rows import HISTORY_TABLE, SYNC_ORDER, now_text, table_specs
from inspector.core.sync.server_snapshot import BIG_BLOBS, copy_snapshot, create_laptop_schema, snapshot_transaction
from inspector.errors import UserError

EXPORTED = "temp.sync_exported"
BLOB_BATCH = 100
STEPS = 6


def export_from_server(db, out: Path, options: ExportOptions = ExportOptions(), *,
                       progress: Progress | None = None) -> ExportResult:
    """Write an export file of the office database ``db`` (a ServerDatabase) to ``out``."""
    from sqlalchemy.exc import DBAPIError

    out = _check_destination(Path(out))
    step = _stepper(progress)
    temp = _temp_path(out)
    seq = previous = None
    scratch = sqlite3.connect("", isolation_level=None)  # a private temporary database on disk
    try:
        seq, previous = _allocate(db)
        _create_export_file(temp)
        create_laptop_schema(scratch)
        scratch.execute("ATTACH DATABASE ? AS out", (str(temp),))
        scratch.execute("PRAGMA out.journal_mode=OFF")  # rebuilt from scratch on any failure
        scratch.execute("PRAGMA out.synchronous=OFF")
        step()
        manifest, watermark, selected = _build(db, scratch, options, step)
        scratch.execute("DETACH DATABASE out")
        fsync_file(temp)
        _verify(temp)
        step()
        os.replace(temp, out)
        fsync_folder(out.parent)
        warning = _record(db, scratch, seq, options, manifest, out, watermark, selected)
        step()
    except BaseException as exc:
        _give_back(db, seq, previous)
        if isinstance(exc, DBAPIError):
            raise UserError("导出失败，未生成文件：" + db.describe_error(exc)) from exc
        if isinstance(exc, sqlite3.Error):
            from inspector.db.database import describe_sqlite_error

            raise UserError("导出失败，未生成文件：" + describe_sqlite_error(exc, out)) from exc
        if isinstance(exc, OSError):
            from inspector.errors import os_error_text

            raise UserError(f"导出失败，未生成文件：写入 {out} 出错（{os_error_text(exc)}）。") from exc
        raise
    finally:
        scratch.close()
        remove_sqlite_temp(temp)
    return ExportResult(out, manifest, out.stat().st_size, seq, watermark, warning)


def _stepper(progress: Progress | None):
    done = [0]

    def step() -> None:
        done[0] += 1
        if progress:
            progress(min(done[0], STEPS), STEPS)

    return step


def _check_destination(out: Path) -> Path:
    from inspector.core.common.outputs import protected_reason

    out = Path(os.path.abspath(os.path.expanduser(out)))
    reason = protected_reason(out)
    if reason:
        raise UserError(f"导出文件不能写入 {out}：{reason}，请另选文件名。")
    if not out.parent.is_dir():
        raise UserError(f"导出目录 {out.parent} 不存在。")
    if out.is_dir():
        raise UserError(f"{out} 是一个文件夹，请给出导出文件名。")
    return out


def _temp_path(out: Path) -> Path:
    from inspector.core.common.outputs import temp_path_for

    return temp_path_for(out)  # removed at the next start if this process is killed


# --- the operation number on the server ---------------------------------------------------------

def _allocate(db) -> tuple[int, str | None]:
    """The next operation number, and what ``local_meta`` held before (None: no row yet)."""
    from inspector.db import migrations
    from inspector.db.server import read_server_version

    with db.engine.begin() as connection:
        version = read_server_version(connection)
        if version != migrations.latest_version():
            raise UserError(f"办公室数据库版本（{version}）与程序（{migrations.latest_version()}）不符，请重新打开程序后再导出。")
        _lock(connection)
        row = connection.execute(text("SELECT value FROM local_meta WHERE key = :k"), {"k": history.SEQ_KEY}).fetchone()
        seq = int(row[0]) + 1 if row else 1
        statement = ("UPDATE local_meta SET value = :v WHERE key = :k" if row else
                     "INSERT INTO local_meta (key, value) VALUES (:k, :v)")
        connection.execute(text(statement), {"k": history.SEQ_KEY, "v": str(seq)})
    return seq, (row[0] if row else None)


def _lock(connection) -> None:
    """The office database's writer lock (as ``write_session``): one sync operation at a time."""
    connection.execute(text("SELECT value FROM local_meta WHERE key = 'device_id' FOR UPDATE"))


def _give_back(db, seq: int | None, previous: str | None) -> None:
    """Put back what a failed export's operation number replaced (no row, when it made the row), unless
    another operation has taken a number since."""
    if seq is None:
        return
    try:
        with db.engine.begin() as connection:
            if previous is None:
                connection.execute(text("DELETE FROM local_meta WHERE key = :k AND value = :new"),
                                   {"k": history.SEQ_KEY, "new": str(seq)})
            else:
                connection.execute(text("UPDATE local_meta SET value = :old WHERE key = :k AND value = :new"),
                                   {"old": previous, "k": history.SEQ_KEY, "new": str(seq)})
    except Exception:  # noqa: BLE001 - the number stays used: harmless, the next export takes the one after
        pass


# --- building the file --------------------------------------------------------------------------

def _create_export_file(temp: Path) -> None:
    connection = sqlite3.connect(temp, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        create_laptop_schema(connection)
    finally:
        connection.close()


def _build(db, scratch: sqlite3.Connection, options: ExportOptions, step):
    server = snapshot_transaction(db.engine)
    try:
        copy_snapshot(server, scratch)
        step()
        scratch.execute("BEGIN")
        specs = table_specs(scratch, "main")
        snapshot = history.stage_current(scratch, specs, "main")
        watermark = history.export_watermark(scratch, options.target, "main") if options.since_last else 0
        selected = _select(scratch, options, watermark)
        counts = copy_rows(scratch, specs, selected, "main")
        step()
        _fill_blobs(server, scratch)
        step()
        exported = _exported(scratch, snapshot) if selected else snapshot
        manifest = _manifest(scratch, options, exported, counts)
        write_manifest(scratch, manifest, "out")
        scratch.execute("COMMIT")
        return manifest, watermark, selected
    finally:
        server.rollback()
        server.close()


def _select(connection: sqlite3.Connection, options: ExportOptions, watermark: int) -> bool:
    """Fill the selection tables as a laptop's export does; False means everything is exported."""
    return select_for_export(connection, options, watermark, "main")


def _fill_blobs(server, scratch: sqlite3.Connection) -> None:
    """The JPEGs and PDFs of the exported photos and notices, read from the server's same snapshot."""
    for table, blob in BIG_BLOBS.items():
        ids = [row_id for (row_id,) in scratch.execute(f"SELECT id FROM out.{table}")]
        query = text(f'SELECT id, "{blob}" FROM "{table}" WHERE id IN :ids').bindparams(bindparam("ids", expanding=True))
        for start in range(0, len(ids), BLOB_BATCH):
            rows = server.execute(query, {"ids": ids[start:start + BLOB_BATCH]}).fetchall()
            scratch.executemany(f"UPDATE out.{table} SET {blob} = ? WHERE id = ?",
                                ((bytes(data), row_id) for row_id, data in rows))


def _exported(connection: sqlite3.Connection, snapshot) -> dict:
    """The versions a partial export holds, also kept in ``temp.sync_exported`` for :func:`_record`."""
    connection.execute(f"CREATE TABLE IF NOT EXISTS {EXPORTED} (table_name TEXT, row_id TEXT)")
    connection.execute(f"DELETE FROM {EXPORTED}")
    exported = {}
    for table in SYNC_ORDER:
        ids = [row_id for (row_id,) in connection.execute(f"SELECT id FROM out.{table}")]
        exported[table] = {row_id: snapshot[table][row_id] for row_id in ids}
        connection.executemany(f"INSERT INTO {EXPORTED} VALUES (?, ?)", ((table, row_id) for row_id in ids))
    return exported


def _manifest(connection: sqlite3.Connection, options: ExportOptions, exported, counts) -> Manifest:
    from inspector import __version__
    from inspector.db import migrations

    entries = connection.execute(f"SELECT table_name, row_id, version FROM out.{HISTORY_TABLE}").fetchall()
    device = connection.execute("SELECT value FROM main.local_meta WHERE key = 'device_id'").fetchone()
    return Manifest(
        export_id=str(uuid.uuid4()), device_id=device[0] if device else "", exported_at=now_text(),
        schema_version=migrations.latest_version(), kind=options.kind, counts=counts,
        content_sha256=content_digest(exported, entries),
        photos=dict(connection.execute("SELECT id, jpeg_sha256 FROM out.photo").fetchall()),
        notices=dict(connection.execute("SELECT id, pdf_sha256 FROM out.notice").fetchall()),
        target=options.target, filters=options.filter.describe(), app_version=__version__,
        merged_exports=history.merged_exports(connection, "main"),
    )


def _verify(temp: Path) -> None:
    from inspector.core.sync.verify import ExportRefused, verify_export

    try:
        verify_export(temp)
    except ExportRefused as exc:
        raise UserError(f"导出文件校验失败，未生成文件：{exc.message}") from exc


# --- remembering what was sent ----------------------------------------------------------------------

def _record(db, scratch: sqlite3.Connection, seq: int, options: ExportOptions, manifest: Manifest, out: Path,
            watermark: int, selected: bool) -> str:
    """The exported versions into the server's history, the export into its sync log; a failure here only
    means the next since-last export sends more."""
    import json

    from sqlalchemy.exc import DBAPIError

    join = f" JOIN {EXPORTED} AS e ON e.table_name = c.table_name AND e.row_id = c.row_id" if selected else ""
    entries = [{"t": t, "r": r, "v": v, "s": seq} for t, r, v in scratch.execute(
        f"SELECT c.table_name, c.row_id, c.version FROM {history.CURRENT} AS c{join} WHERE NOT EXISTS "
        f"(SELECT 1 FROM main.{HISTORY_TABLE} AS h WHERE h.table_name = c.table_name AND h.row_id = c.row_id "
        "AND h.version = c.version)")]
    details = {"target": options.target, "seq": seq, "complete": int(not options.filter.active),
               "kind": options.kind, "since_watermark": watermark, "export_id": manifest.export_id,
               "counts": manifest.counts, "filters": manifest.filters}
    try:
        with db.engine.begin() as connection:
            _lock(connection)
            if entries:
                connection.execute(text(
                    f"INSERT INTO {HISTORY_TABLE} (table_name, row_id, version, seen_seq) SELECT CAST(:t AS VARCHAR), "
                    "CAST(:r AS VARCHAR), CAST(:v AS VARCHAR), CAST(:s AS INTEGER) WHERE NOT EXISTS (SELECT 1 FROM "
                    f"{HISTORY_TABLE} WHERE table_name = CAST(:t AS VARCHAR) AND row_id = CAST(:r AS VARCHAR) "
                    "AND version = CAST(:v AS VARCHAR))"), entries)
            connection.execute(text(
                "INSERT INTO sync_log (id, kind, at, peer_device_id, path, watermark, details) "
                "VALUES (:id, 'export', :at, '', :path, :at, CAST(:details AS JSON))"),
                {"id": str(uuid.uuid4()), "at": manifest.exported_at, "path": str(out),
                 "details": json.dumps(details, ensure_ascii=False, default=str)})
        return ""
    except DBAPIError as exc:
        return f"文件已导出，但未能在办公室数据库记录这次导出（{db.describe_error(exc)}）；下次“仅导出变更”会多导出一些记录。"



