"""Every file the app writes for the user goes through here (documents, ledgers, reports, exports, backups).

:func:`check_output` refuses, with one Chinese sentence, a path that would replace something precious:
the live database of ANY data directory with its ``-wal``/``-shm``/``-journal`` files, its
``settings.json`` and anything in its ``backups`` folder (a data directory is recognised by its files,
not only the one in use), or any existing file that is a database of ours that is not an export. An
existing file is replaced only with consent (``force``: ``--force`` on the command line, the save
dialog's overwrite question in the GUI), and the suffix must match the format.

:class:`OutputFile` then writes through a temporary file in the same folder, fsyncs it, renames it
into place and fsyncs the folder; on any failure the temporary file is removed and an existing
target is left as it was. The temporary name carries the writer's process id, so
:func:`remove_leftovers` can remove those of killed runs at the next start without touching
those of a run still in progress.
"""

from __future__ import annotations

import os
import re
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from inspector.errors import OutputRefused, UserError, describe_io_error

DATABASE_NAME = "inspector.db"
SETTINGS_NAME = "settings.json"
BACKUPS_NAME = "backups"
DATABASE_COMPANIONS = ("-wal", "-shm", "-journal")
SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = 0x494E5350  # "INSP": inspector.db.migrations.APPLICATION_ID (the database layer sits above)

FORMATS: dict[str, tuple[tuple[str, ...], str]] = {  # format -> (allowed suffixes, what the file is)
    "pdf": ((".pdf",), "PDF 文件"),
    "xlsx": ((".xlsx",), "Excel 文件"),
    "csv": ((".csv",), "CSV 文件"),
    "ledger": ((".xlsx", ".csv"), "台账文件"),
    "export": ((".db", ".inspector", ".sqlite"), "导出文件"),
    "backup": ((".db",), "备份文件"),
}

TEMP_SUFFIX = ".inspector-tmp"
_TEMP = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{8}\.inspector-tmp(-journal)?$")
#: temp names of earlier versions (no process id): removed when older than a day
_OLD_TEMPS = (re.compile(r"^\..+\.[0-9a-f]{8}\.partial(-journal)?$"), re.compile(r"^\..+\.part$"),
              re.compile(r"^\..+\.\w{8}\.tmp$"), re.compile(r"^backup-.+\.db\.partial$"),
              re.compile(r"^\.settings-\w+$"))
OLD_TEMP_AGE = 24 * 3600


# --- what may be written ------------------------------------------------------------------------

def check_output(path: str | os.PathLike, fmt: str | None = None, *, force: bool = False,
                 protect: tuple[Path, ...] = ()) -> Path:
    """The absolute path to write, or :class:`OutputRefused` saying why not (nothing is written)."""
    given = Path(path)
    target = Path(os.path.abspath(os.path.expanduser(given)))
    reason = protected_reason(target, protect)
    if reason:
        raise OutputRefused(f"不能写入 {given}：{reason}，请另选文件名。")
    if target.is_dir():
        raise OutputRefused(f"{given} 是一个文件夹，请给出文件名。")
    _check_suffix(target, fmt)
    if not target.parent.is_dir():
        raise OutputRefused(f"无法写入 {given}：文件夹 {target.parent} 不存在。")
    if target.exists() and not force:
        raise OutputRefused(f"文件 {given} 已存在；确需替换请加 --force，或另选文件名。")
    return target


def _check_suffix(target: Path, fmt: str | None) -> None:
    if fmt is None:
        return
    suffixes, label = FORMATS[fmt]
    if target.suffix.lower() not in suffixes:
        raise OutputRefused(f"{label}须以 {' 或 '.join(suffixes)} 结尾：{target.name}")


def protected_reason(target: Path, protect: tuple[Path, ...] = ()) -> str | None:
    """Why ``target`` must never be written by an output, or None."""
    resolved = _resolve(target)
    for kept in protect:
        if resolved == _resolve(Path(kept)):
            return "这是本程序正在使用的文件"
    name, folder = resolved.name, resolved.parent
    if is_data_dir(folder):
        if name == DATABASE_NAME or any(name == DATABASE_NAME + c for c in DATABASE_COMPANIONS):
            return "这是数据目录中的数据库文件"
        if name == SETTINGS_NAME:
            return "这是数据目录中的设置文件"
        if name == BACKUPS_NAME:
            return "这是数据目录中的备份文件夹"
    for parent in resolved.parents:
        if parent.name == BACKUPS_NAME and is_data_dir(parent.parent):
            return "这是数据目录中的备份文件夹"
    if name.endswith(DATABASE_COMPANIONS) and is_our_database(folder / _strip_companion(name)):
        return "这是数据库的日志文件"
    if resolved.is_file() and is_our_database(resolved) and not _is_export(resolved):
        return "这是本程序的数据库（或备份）文件"
    return None


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _strip_companion(name: str) -> str:
    for companion in DATABASE_COMPANIONS:
        if name.endswith(companion):
            return name[: -len(companion)]
    return name


def is_data_dir(folder: Path) -> bool:
    """A folder holding an Inspector database (or its settings beside a backups folder)."""
    try:
        if is_our_database(folder / DATABASE_NAME):
            return True
        return (folder / SETTINGS_NAME).is_file() and (folder / BACKUPS_NAME).is_dir()
    except OSError:
        return False


def is_our_database(path: Path) -> bool:
    """An SQLite file whose header carries our application id (read from the header, never opened)."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return False
    return (len(header) == 100 and header.startswith(SQLITE_HEADER)
            and int.from_bytes(header[68:72], "big") == APPLICATION_ID)


def _is_export(path: Path) -> bool:
    """A database of ours that carries a sync manifest (core.sync.manifest.MANIFEST_TABLE): an earlier export."""
    import sqlite3

    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, ValueError):
        return False
    try:
        return connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='export_manifest'"
                                  ).fetchone() is not None
    except sqlite3.Error:
        return False
    finally:
        connection.close()


# --- writing ------------------------------------------------------------------------------------

def temp_path_for(target: Path) -> Path:
    """A fresh temporary name beside ``target`` that :func:`remove_leftovers` recognises."""
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


class OutputFile:
    """``with OutputFile(path, "pdf", force=...) as out: out.write(data)``.

    Checks the target when created (so nothing is issued or computed for a refused path), creates
    the temporary file on entry (so an unwritable folder fails first), and on a clean exit fsyncs,
    renames into place and fsyncs the folder. Any error becomes one Chinese sentence; the temporary
    file never survives.
    """

    def __init__(self, path: str | os.PathLike, fmt: str | None = None, *, force: bool = False,
                 protect: tuple[Path, ...] = ()):
        self.given = Path(path)
        self.path = check_output(path, fmt, force=force, protect=protect)
        self.temp = temp_path_for(self.path)
        self._handle = None

    def __enter__(self) -> "OutputFile":
        try:
            self._handle = open(self.temp, "xb")
        except OSError as exc:
            raise UserError(describe_io_error(exc, self.given, "写入")) from None
        return self

    def write(self, data: bytes) -> None:
        self._handle.write(data)

    def __exit__(self, exc_type, exc, tb) -> None:
        handle, self._handle = self._handle, None
        try:
            if exc_type is None:
                handle.flush()
                os.fsync(handle.fileno())
            handle.close()
            if exc_type is None:
                _move_into_place(self.temp, self.path)
        except OSError as error:
            if not handle.closed:
                handle.close()
            if exc_type is None:
                raise UserError(_write_failure(error, self.given)) from None
        finally:
            _unlink_quietly(self.temp)
        if exc_type is not None and issubclass(exc_type, OSError):
            raise UserError(_write_failure(exc, self.given)) from None


@contextmanager
def output_path(path: str | os.PathLike, fmt: str | None = None, *, force: bool = False,
                protect: tuple[Path, ...] = ()) -> Iterator[Path]:
    """A temporary path for a library that writes files itself (openpyxl, csv); moved into place at the end."""
    given = Path(path)
    target = check_output(path, fmt, force=force, protect=protect)
    temp = temp_path_for(target)
    try:
        open(temp, "xb").close()  # an unwritable folder fails before the work starts
        yield temp
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        _move_into_place(temp, target)
    except OSError as exc:
        raise UserError(_write_failure(exc, given)) from None
    finally:
        _unlink_quietly(temp)


def _move_into_place(temp: Path, target: Path) -> None:
    os.replace(temp, target)
    fsync_folder(target.parent)


def _write_failure(exc: BaseException, given: Path) -> str:
    if isinstance(exc, PermissionError) and os.name == "nt":
        return f"无法写入 {given}：文件可能正被 Excel、WPS 或 PDF 阅读器打开，请关闭后重试。"
    return describe_io_error(exc, given, "写入")


def write_output(path: str | os.PathLike, data: bytes, fmt: str | None = None, *, force: bool = False,
                 protect: tuple[Path, ...] = ()) -> Path:
    """Write ``data`` to ``path`` all at once; returns the absolute path written."""
    with OutputFile(path, fmt, force=force, protect=protect) as out:
        out.write(data)
    return out.path


def fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def remove_sqlite_temp(temp: Path) -> None:
    """A temporary SQLite file and its journal, if they are still there."""
    for leftover in (temp, temp.with_name(temp.name + "-journal")):
        _unlink_quietly(leftover)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass  # a pulled USB stick: nothing more can be done here; the next start removes it


# --- leftovers of killed runs -------------------------------------------------------------------

def remove_leftovers(folder: Path, *, now: float | None = None) -> list[Path]:
    """Delete temporary files killed runs left in ``folder``; returns what was removed."""
    import time

    removed = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    now = time.time() if now is None else now
    for path in entries:
        if _is_leftover(path, now):
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                continue
    return removed


def _is_leftover(path: Path, now: float) -> bool:
    ours = _TEMP.match(path.name)
    if not ours and not any(pattern.match(path.name) for pattern in _OLD_TEMPS):
        return False
    try:
        stale = now - path.stat().st_mtime > OLD_TEMP_AGE
    except OSError:
        return False
    return stale or bool(ours) and not _process_alive(int(ours[1]))


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # os.kill would end the process on Windows: such files go once a day old
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True
