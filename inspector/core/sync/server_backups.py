"""Backups of the office database on the server: ``pg_dump -Fc`` archives, checked and restored atomically.

A backup is a pg_dump custom-format archive in the office PC's ``backups/`` folder, named
``server-<database>-<UTC time>-<reason>.dump`` (reasons as for the laptop's backups: manual,
scheduled, before-restore; ``merge`` for the server merge). pg_dump writes it under a temporary
name beside the target (:func:`inspector.core.common.outputs.temp_path_for`, removed at the next
start if this process is killed); it is fsynced and then given its final name with a hard link, so
an existing file is never replaced, and the folder is fsynced.

The server's password reaches pg_dump, pg_restore and psql only through ``PGPASSWORD`` in the
child's own environment: the connection string on their command line is built from the live
connection's parameters, which libpq gives without the password, and no message shows it.

Restoring: the archive is checked first, before anything is touched (:func:`check_server_backup`:
pg_dump's signature, ``pg_restore --list`` reads the table of contents, a full read of the
archive finds a truncated file, the archive holds our ``schema_version`` stamp at a version this
app knows). Then a backup of the current state is made, and the restore runs as ONE transaction
through psql: ``BEGIN``, drop every table of the database's schema, the archive's SQL (from
``pg_restore -f -``, streamed), and ``COMMIT`` only after pg_restore has produced the whole archive
without error; any error stops psql (``ON_ERROR_STOP``), and the server rolls the transaction back,
so a failed restore leaves the database exactly as it was. Other office PCs wait on the table locks
(at most :data:`LOCK_TIMEOUT`, after which the restore gives up and changes nothing).

Why not ``pg_restore --single-transaction --clean --if-exists``: ``--clean`` drops only the objects
the archive has, so a table a later schema step added would stay, with today's rows, beside a stamp
set back to the backup's version, and the next upgrade would fail on it. Why not restore into a
scratch database and rename: that needs ``CREATEDB``, ``ALTER DATABASE … RENAME`` needs every other
connection gone, and the other PCs' saved URLs would point at the old database for a moment.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from inspector.errors import UserError

REASONS = ("manual", "merge", "scheduled", "before-restore")
SIGNATURE = b"PGDMP"  # the first bytes of every pg_dump custom-format archive
LOCK_TIMEOUT = "60s"
#: zlib level 1: photos are JPEGs (their bytea text, hex, halves again under any level); measured on a 28 MB
#: demo database: default level 3.8 s / 23.5 MB, level 1 1.5 s / 24.5 MB, none 0.4 s / 47 MB
COMPRESSION = "--compress=1"
TIMEOUT = 3600  # seconds for one pg_dump / pg_restore run (an office database with years of photos)
CHECK_TIMEOUT = 600
_NAME = re.compile(r"^server-(.+)-(\d{8}T\d{12}Z)-([\w-]+)\.dump$")
_STAMP = re.compile(r"^inspector\t(\d+)$", re.M)


@dataclass(frozen=True)
class ServerBackupInfo:
    path: Path
    database: str
    created_at: datetime
    reason: str
    size: int


@dataclass(frozen=True)
class CheckedBackup:
    path: Path
    version: int
    database: str
    tables: int


# --- connection of the child programs -------------------------------------------------------

def client_program(name: str) -> str:
    """Path of a PostgreSQL client program (pg_dump, pg_restore, psql), or a UserError saying what to install."""
    folder = os.environ.get("INSPECTOR_PG_BIN")
    candidates = [str(Path(folder) / name)] if folder else []
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                         key=lambda p: int(p.parts[4]) if p.parts[4].isdigit() else 0, reverse=True)
    candidates.append(shutil.which(name) or "")
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return str(candidate)
    raise UserError(f"找不到 PostgreSQL 客户端程序 {name}：请安装 postgresql-client（Windows：PostgreSQL 的"
                    "命令行工具），或用环境变量 INSPECTOR_PG_BIN 指定其所在文件夹。")


def connection_target(db) -> tuple[str, dict[str, str]]:
    """(libpq connection string without the password, environment for the child with PGPASSWORD).

    The string holds what the URL names (host, port, user, database, its libpq query parameters);
    the password is the one the live connection used (from the URL, the keyring or libpq's own
    sources), read from psycopg's connection info.
    """
    from psycopg.conninfo import make_conninfo
    from sqlalchemy.engine import make_url

    url = make_url(db.url)
    parameters = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    parameters.update({key: value if isinstance(value, str) else value[-1] for key, value in url.query.items()})
    parameters = {key: str(value) for key, value in parameters.items() if value not in (None, "") and key != "password"}
    with db.engine.connect() as connection:
        password = connection.connection.dbapi_connection.info.password
    environment = dict(os.environ)
    if password:
        environment["PGPASSWORD"] = password
    return make_conninfo(**parameters), environment


def _database_name(db) -> str:
    from sqlalchemy.engine import make_url

    return make_url(db.url).database or "office"


def database_name(db, safe: bool = False) -> str:
    """The office database's name; ``safe``: as it appears in its backups' file names."""
    name = _database_name(db)
    return _safe_name(name) if safe else name


def _safe_name(database: str) -> str:
    return re.sub(r"[^\w.-]", "_", database)[:60] or "office"


def _run(command: list[str], environment: dict[str, str] | None = None, timeout: int = TIMEOUT,
         output=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, env=environment, stdout=output, stderr=subprocess.PIPE, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise UserError(f"{Path(command[0]).name} 超过 {timeout} 秒未完成，已停止。") from exc


def _first_error(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower() or "错误" in line]
    text = (errors or lines or ["未知错误"])[0]
    text = re.sub(r"^(pg_dump|pg_restore|psql)(:<stdin>:\d+)?: (error: |ERROR:\s+|FATAL:\s+)?", "", text)
    if "lock timeout" in text:
        return f"其他电脑正在使用办公室数据库，等待 {LOCK_TIMEOUT} 后仍未能开始（{text}）；请稍后重试"
    return text


# --- creating -------------------------------------------------------------------------------

def create_server_backup(db, backups_dir: Path, reason: str = "manual") -> Path:
    """A pg_dump archive of the office database in ``backups_dir``; returns its path."""
    from inspector.core.common.outputs import fsync_folder, temp_path_for

    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    backups_dir = Path(backups_dir)
    backups_dir.mkdir(parents=True, exist_ok=True)
    database = _database_name(db)
    conninfo, environment = connection_target(db)
    target = _unique_name(backups_dir, database, reason)
    temp = temp_path_for(target)
    try:
        done = _run([client_program("pg_dump"), "--format=custom", COMPRESSION, "--lock-wait-timeout=60000",
                     f"--file={temp}", f"--dbname={conninfo}"], environment)
        if done.returncode != 0:
            raise UserError(f"备份办公室数据库失败：{_first_error(done.stderr)}")
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        target = _link_into_place(temp, target, database, reason)
        fsync_folder(backups_dir)
    except OSError as exc:
        from inspector.errors import os_error_text

        raise UserError(f"备份办公室数据库失败：{os_error_text(exc)}（{target}）。") from exc
    finally:
        _unlink_quietly(temp)
    return target


def _unique_name(folder: Path, database: str, reason: str, moment: datetime | None = None) -> Path:
    safe = _safe_name(database)
    moment = moment or datetime.now(timezone.utc)
    while True:
        target = folder / f"server-{safe}-{moment.strftime('%Y%m%dT%H%M%S%f')}Z-{reason}.dump"
        if not target.exists():
            return target
        moment += timedelta(microseconds=1)


def _link_into_place(temp: Path, target: Path, database: str, reason: str) -> Path:
    """The finished file under its name; a hard link never replaces a file that appeared meanwhile."""
    while True:
        try:
            os.link(temp, target)
            return target
        except FileExistsError:
            target = _unique_name(target.parent, database, reason)
        except OSError:  # no hard links on this medium (FAT): rename, after the same check
            if target.exists():
                target = _unique_name(target.parent, database, reason)
                continue
            os.replace(temp, target)
            return target


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


# --- listing and checking ---------------------------------------------------------------------

def list_server_backups(backups_dir: Path) -> list[ServerBackupInfo]:
    """Every server backup in the folder, newest first."""
    folder = Path(backups_dir)
    found = []
    for path in folder.glob("server-*.dump") if folder.is_dir() else []:
        match = _NAME.match(path.name)
        try:
            size = path.stat().st_size
        except OSError:
            continue
        if match:
            when = datetime.strptime(match[2], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=timezone.utc)
            found.append(ServerBackupInfo(path, match[1], when, match[3], size))
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


def prune_server_backups(backups_dir: Path, keep: int = 10, database: str | None = None) -> list[Path]:
    """Delete automatic server backups (merge, scheduled, before-restore) beyond the newest ``keep`` of each
    database (or of ``database`` only); manual ones are never deleted. Returns what was deleted."""
    removed, seen = [], {}
    for backup in list_server_backups(backups_dir):
        if backup.reason == "manual" or database is not None and backup.database != database:
            continue
        seen[backup.database] = seen.get(backup.database, 0) + 1
        if seen[backup.database] > max(keep, 1):
            _unlink_quietly(backup.path)
            removed.append(backup.path)
    return removed


def check_server_backup(path: Path) -> CheckedBackup:
    """Refuse, with one sentence, a file that is not a complete pg_dump archive of an office database."""
    from inspector.db import migrations

    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到备份文件 {path}。")
    with open(path, "rb") as handle:
        if handle.read(len(SIGNATURE)) != SIGNATURE:
            raise UserError(f"{path.name} 不是办公室数据库的备份（不是 pg_dump 备份文件），未作任何改动。")
    restore = client_program("pg_restore")
    listing = _run([restore, "--list", str(path)], timeout=CHECK_TIMEOUT, output=subprocess.PIPE)
    if listing.returncode != 0:
        raise UserError(f"{path.name} 已损坏，无法恢复（{_first_error(listing.stderr)}），未作任何改动。")
    toc = listing.stdout.decode("utf-8", "replace")
    if not re.search(r"TABLE DATA \S+ schema_version ", toc):
        raise UserError(f"{path.name} 不是本程序办公室数据库的备份（没有 schema_version），未作任何改动。")
    whole = _run([restore, "--file=" + os.devnull, str(path)], timeout=CHECK_TIMEOUT)
    if whole.returncode != 0:
        raise UserError(f"{path.name} 不完整或已损坏（{_first_error(whole.stderr)}），无法恢复，未作任何改动。")
    stamp = _run([restore, "--data-only", "--table=schema_version", "--file=-", str(path)], timeout=CHECK_TIMEOUT,
                 output=subprocess.PIPE)
    found = _STAMP.search(stamp.stdout.decode("utf-8", "replace"))
    if stamp.returncode != 0 or not found:
        raise UserError(f"{path.name} 不是本程序办公室数据库的备份（版本标记缺失），未作任何改动。")
    version = int(found[1])
    if version > migrations.latest_version():
        raise UserError(f"{path.name} 由更新版本的程序创建（数据结构版本 {version}），无法恢复，未作任何改动。")
    database = re.search(r"^;\s+dbname: (.*)$", toc, re.M)
    tables = len(re.findall(r"^\d+; \d+ \d+ TABLE \S+ ", toc, re.M))
    return CheckedBackup(path, version, database[1].strip() if database else "", tables)


# --- restoring ------------------------------------------------------------------------------

def restore_server_backup(db, backup_path: Path, backups_dir: Path) -> Path:
    """Replace the office database's content with the backup's, in one transaction; returns the backup
    made of the current state first. Refused or failed: the database is as it was."""
    from inspector.db import migrations

    checked = check_server_backup(backup_path)
    safety = create_server_backup(db, backups_dir, "before-restore")
    conninfo, environment = connection_target(db)
    tables = _current_tables(db)
    db.engine.dispose()  # our pooled connections hold no locks the restore would wait on
    _restore_in_one_transaction(Path(backup_path), conninfo, environment, tables)
    db.engine.dispose()  # statements prepared against the dropped tables
    if checked.version < migrations.latest_version():
        from inspector.db.server import upgrade_server

        upgrade_server(db.engine, db.url)
    return safety


def _current_tables(db) -> list[str]:
    from sqlalchemy import text

    with db.engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        names = connection.execute(text("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_schema = :s AND table_type = 'BASE TABLE'"), {"s": schema})
        return [f'"{schema}"."{name}"' for (name,) in names]


def _restore_in_one_transaction(archive: Path, conninfo: str, environment: dict[str, str], tables: list[str]) -> None:
    preamble = "\\set ON_ERROR_STOP on\nBEGIN;\nSET LOCAL lock_timeout = '%s';\n" % LOCK_TIMEOUT
    preamble += "".join(f"DROP TABLE IF EXISTS {name} CASCADE;\n" for name in tables)
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        restore = subprocess.Popen([client_program("pg_restore"), "--no-owner", "--no-privileges", "--file=-",
                                    str(archive)], stdout=subprocess.PIPE, stderr=restore_errors,
                                   stdin=subprocess.DEVNULL)
        psql = subprocess.Popen([client_program("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
                                 f"--dbname={conninfo}"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=psql_errors, env=environment)
        complete = _pipe(restore, psql, preamble)
        failed = _finish(restore, psql, complete)
        if failed:
            stream = psql_errors if failed == "psql" else restore_errors
            stream.seek(0)
            raise UserError(f"恢复失败，办公室数据库未改动：{_first_error(stream.read())}")


def _pipe(restore: subprocess.Popen, psql: subprocess.Popen, preamble: str) -> bool:
    """Feed psql the preamble, the archive's SQL and, only when pg_restore finished cleanly, COMMIT."""
    try:
        psql.stdin.write(preamble.encode("utf-8"))
        while chunk := restore.stdout.read(1 << 16):
            psql.stdin.write(chunk)
        complete = restore.wait(timeout=TIMEOUT) == 0
        psql.stdin.write(b"COMMIT;\n" if complete else b"ROLLBACK;\n\\q\n")
        psql.stdin.close()
        return complete
    except (BrokenPipeError, OSError):  # psql stopped at an error: its transaction is rolled back
        return False


def _finish(restore: subprocess.Popen, psql: subprocess.Popen, complete: bool) -> str | None:
    """Which program failed (None: the restore committed)."""
    try:
        psql_code = psql.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        psql.kill()
        psql_code = -1
    if restore.poll() is None:
        restore.kill()
        restore.wait()
    restore.stdout.close()
    if not complete and restore.returncode not in (0, None) and psql_code == 0:
        return "pg_restore"
    if psql_code != 0:
        return "psql"
    return None if complete else "pg_restore"
