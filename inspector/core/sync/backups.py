"""Backups of the local database: on a schedule and on request; list, prune, restore.

A backup is a complete SQLite file in the data directory's ``backups/`` folder, named
``backup-<UTC time>-<reason>.db`` (reasons: manual, merge, scheduled, before-restore). It is taken
with SQLite's backup API in one step, so it is a consistent snapshot even while the app writes,
written under a temporary name and renamed when complete. Since schema v8 a merge no longer copies
the whole file first: it keeps an undo journal (:mod:`~inspector.core.sync.undo`); ``-merge`` backups
made by older versions are still listed, restored and pruned. Automatic backups (every reason except
``manual``) are pruned to the newest N; manual backups and the ``before-schema-…`` files that
migrations leave are never deleted here.

Restoring first backs up the current database, then copies the backup into the live file through
the backup API (so it is safe while the app has the database open: other connections simply see
the restored content), then upgrades its schema if the backup is older.

When the live database cannot be opened (damaged, not ours, or a PDF written over it) there is
nothing to back up through SQLite and nothing to copy into: :func:`restore_over_unusable` keeps
the unusable file (and its ``-wal``/``-shm``/``-journal``) in the backups folder under an
``unusable-…`` name, never deleting it, and puts a complete copy of the backup in its place
with one atomic rename.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from inspector.errors import UserError

PREFIX = "backup-"
AUTOMATIC = ("merge", "scheduled", "before-restore")
REASONS = ("manual",) + AUTOMATIC
_OURS = re.compile(r"^backup-(\d{8}T\d{12}Z)-([\w-]+)\.db$")
_SCHEMA = re.compile(r"^before-schema-v(\d+)-(\d{8}T\d{6}Z)\.db$")
DEFAULT_KEEP = 10
DEFAULT_INTERVAL_HOURS = 24


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime
    reason: str  # manual / merge / scheduled / before-restore / schema
    size: int

    @property
    def automatic(self) -> bool:
        return self.reason in AUTOMATIC


def _temp_beside(target: Path) -> Path:
    from inspector.core.common.outputs import temp_path_for

    return temp_path_for(target)  # removed at the next start if this process is killed


def create_backup(db_path: Path, backups_dir: Path, reason: str = "manual") -> Path:
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    db_path, backups_dir = Path(db_path), Path(backups_dir)
    if not db_path.is_file():
        raise UserError(f"找不到数据库 {db_path}，无法备份。")
    backups_dir.mkdir(parents=True, exist_ok=True)
    target = _unique_name(backups_dir, reason)
    temp = _temp_beside(target)
    try:
        _copy_database(db_path, temp)
        os.replace(temp, target)
        _fsync_folder(backups_dir)
    except sqlite3.Error as exc:
        from inspector.db.database import describe_sqlite_error

        raise UserError("备份失败：" + describe_sqlite_error(exc, target)) from exc
    except OSError as exc:
        from inspector.errors import os_error_text

        raise UserError(f"备份失败：{os_error_text(exc)}（{target}）。") from exc
    finally:
        _unlink_quietly(temp)
    return target


def _fsync_folder(folder: Path) -> None:
    from inspector.core.common.outputs import fsync_folder

    fsync_folder(folder)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _unique_name(folder: Path, reason: str) -> Path:
    moment = datetime.now(timezone.utc)
    while True:
        target = folder / f"{PREFIX}{moment.strftime('%Y%m%dT%H%M%S%f')}Z-{reason}.db"
        if not target.exists():
            return target
        moment += timedelta(microseconds=1)


def _copy_database(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    try:
        src.execute("PRAGMA busy_timeout=10000")
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # all pages in one step: a consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    """Every backup in the folder, newest first."""
    found = []
    for path in Path(backups_dir).glob("*.db") if Path(backups_dir).is_dir() else []:
        info = _describe(path)
        if info:
            found.append(info)
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


def _describe(path: Path) -> BackupInfo | None:
    ours, schema = _OURS.match(path.name), _SCHEMA.match(path.name)
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if ours:
        when = datetime.strptime(ours[1], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=timezone.utc)
        return BackupInfo(path, when, ours[2], size)
    if schema:
        when = datetime.strptime(schema[2], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        return BackupInfo(path, when, "schema", size)
    return None


def prune_backups(backups_dir: Path, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete automatic backups beyond the newest ``keep``; returns what was deleted."""
    automatic = [b for b in list_backups(backups_dir) if b.automatic]
    removed = []
    for backup in automatic[max(keep, 1):]:
        backup.path.unlink(missing_ok=True)
        removed.append(backup.path)
    return removed


def backup_due(backups_dir: Path, interval: timedelta, now: datetime | None = None) -> bool:
    ours = [b for b in list_backups(backups_dir) if b.reason != "schema"]
    return not ours or (now or datetime.now(timezone.utc)) - ours[0].created_at >= interval


def run_scheduled_backup(db_path: Path, backups_dir: Path, *, interval_hours: float = DEFAULT_INTERVAL_HOURS,
                         keep: int = DEFAULT_KEEP) -> Path | None:
    """Back up when the newest backup is older than the interval; returns the new file, if any."""
    if interval_hours <= 0 or not backup_due(backups_dir, timedelta(hours=interval_hours)):
        return None
    path = create_backup(db_path, backups_dir, "scheduled")
    prune_backups(backups_dir, keep)
    return path


def check_backup(path: Path) -> int:
    """Refuse a file that cannot be restored; returns its schema version."""
    from inspector.core.sync.manifest import read_manifest_text
    from inspector.core.sync.verify import open_readonly
    from inspector.db import migrations

    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到备份文件 {path}。")
    migrations.check_header(path)
    connection = open_readonly(path)
    try:
        app_id, version, tables = migrations.read_identity(connection, path)
        if app_id != migrations.APPLICATION_ID or tables == 0:
            raise UserError(f"{path.name} 不是本程序的数据库备份。")
        if version > migrations.latest_version():
            raise UserError(f"{path.name} 由更新版本的程序创建（数据结构版本 {version}），无法恢复。")
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check(5)")]
        if problems != ["ok"]:
            raise UserError(f"{path.name} 已损坏（{problems[0]}），无法恢复。")
        if read_manifest_text(connection) is not None:
            raise UserError(f"{path.name} 是导出文件，不是备份；请用“合并”导入它。")
        return version
    except sqlite3.DatabaseError as exc:
        raise UserError(f"{path.name} 已损坏，无法恢复（{exc}）。") from exc
    finally:
        connection.close()


def restore_backup(db_path: Path, backup_path: Path, backups_dir: Path) -> Path:
    """Replace the database's content with the backup's; returns the backup made of the current state first."""
    from inspector.core.sync.verify import read_only_uri
    from inspector.db import migrations
    version = check_backup(backup_path)
    safety = create_backup(db_path, backups_dir, "before-restore")
    try:
        source = sqlite3.connect(read_only_uri(Path(backup_path)), uri=True)
        try:
            target = sqlite3.connect(db_path)
            try:
                target.execute("PRAGMA busy_timeout=10000")
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        from inspector.db.database import describe_sqlite_error

        raise UserError("恢复失败，数据库未改动：" + describe_sqlite_error(exc, Path(db_path))) from exc
    if version < migrations.latest_version():
        migrations.upgrade(Path(db_path), Path(backups_dir), datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
    return safety


COMPANIONS = ("-wal", "-shm", "-journal")


def unusable_reason(db_path: Path) -> str | None:
    """Why the live database cannot be opened, found without writing a byte (None: it opens, or is absent)."""
    from inspector.core.sync.verify import read_only_uri
    from inspector.db import migrations
    from inspector.errors import DatabaseError

    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    try:
        migrations.check_header(db_path)
        connection = sqlite3.connect(read_only_uri(db_path), uri=True)
        try:
            migrations.check_ours(db_path, *migrations.read_identity(connection, db_path))
        finally:
            connection.close()
    except DatabaseError as exc:
        return exc.message
    except sqlite3.DatabaseError:
        return f"数据库文件 {db_path.name} 已损坏，无法读取。"
    return None


def newer_than_app(db_path: Path) -> bool:
    """The file was written by a newer release: restoring a backup over it would hide that data (upgrade instead)."""
    from inspector.core.sync.verify import read_only_uri
    from inspector.db import migrations

    try:
        connection = sqlite3.connect(read_only_uri(Path(db_path)), uri=True)
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return version > migrations.latest_version()


def restore_over_unusable(db_path: Path, backup_path: Path, backups_dir: Path) -> Path:
    """Restore when the live database cannot be opened; returns where the unusable file was kept.

    The backup is first copied completely beside the database (so a failure changes nothing);
    the unusable file is kept in ``backups/`` (hard link, or a copy where links are impossible)
    with its journal files moved there too, and the copy replaces it in one rename.
    """
    from inspector.db import migrations
    from inspector.errors import os_error_text

    db_path, backups_dir = Path(db_path), Path(backups_dir)
    version = check_backup(backup_path)
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    aside = backups_dir / f"unusable-{stamp}-{db_path.name}"
    temp = _temp_beside(db_path)
    try:
        _copy_database(Path(backup_path), temp)
        if db_path.exists():
            _keep(db_path, aside)
        for companion in COMPANIONS:
            old = db_path.with_name(db_path.name + companion)
            if old.exists():
                os.replace(old, aside.with_name(aside.name + companion))
        os.replace(temp, db_path)
        _fsync_folder(db_path.parent)
        _fsync_folder(backups_dir)
    except sqlite3.Error as exc:
        from inspector.db.database import describe_sqlite_error

        raise UserError("恢复失败，数据库未改动：" + describe_sqlite_error(exc, Path(backup_path))) from exc
    except OSError as exc:
        raise UserError(f"恢复失败：{os_error_text(exc)}（{exc.filename or db_path}）。") from exc
    finally:
        _unlink_quietly(temp)
    if version < migrations.latest_version():
        migrations.upgrade(db_path, backups_dir, datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
    return aside


def _keep(path: Path, aside: Path) -> None:
    """A second name for the unusable file in the backups folder; the original name is replaced next."""
    try:
        os.link(path, aside)
    except OSError:
        import shutil

        shutil.copy2(path, aside)
        with open(aside, "rb+") as handle:
            os.fsync(handle.fileno())
