"""Command-line entry: ``inspector [--data-dir DIR] [--database URL] [command ...]``; no command opens the GUI.

Each command lives in a module of this package that provides ``register(subparsers)``;
a command's handler takes ``(args, services)`` and returns an exit code. Errors caused
by input are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module
from typing import NoReturn

COMMAND_MODULES = ["inspector.cli.basic", "inspector.cli.checklists", "inspector.cli.records", "inspector.cli.notices",
                   "inspector.cli.verification", "inspector.cli.loop", "inspector.cli.reinspect", "inspector.cli.sync",
                   "inspector.cli.office"]


# commands that work on the SQLite file itself, refused with a server database (none now: the demo goes into
# an empty office database through core/demo/server_demo.py; see docs/office-postgresql.md)
FILE_ONLY_COMMANDS: tuple[str, ...] = ()


class VersionAction(argparse.Action):
    """``--version``: the program version and the database schema version it writes (computed when asked)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_text())
        parser.exit()


def version_text() -> str:
    from inspector import __version__
    from inspector.db.migrations import latest_version

    return f"inspector {__version__} (database schema {latest_version()})"


def build_parser() -> argparse.ArgumentParser:
    """The whole parser: the global options and every command (importing their seven modules)."""
    parser = argparse.ArgumentParser(prog="inspector", description="兴国经开区安全生产检查（离线版）")
    parser.add_argument("--version", action=VersionAction, help="显示版本号与数据库结构版本后退出")
    parser.add_argument("--data-dir", metavar="DIR", help="数据目录（默认：环境变量 INSPECTOR_DATA_DIR 或系统用户数据目录）")
    parser.add_argument("--database", metavar="URL",
                        help="办公室数据库（PostgreSQL）地址，如 postgresql+psycopg://用户@主机/库名；"
                             "密码请放在 PGPASSWORD 或 ~/.pgpass，不要写在地址里")
    subparsers = parser.add_subparsers(dest="command", metavar="command")
    for name in COMMAND_MODULES:
        import_module(name).register(subparsers)
    return parser


def opens_the_window(argv: list[str]) -> bool:
    """Only ``--data-dir DIR`` (or nothing): the GUI, which needs no parser at all (see :func:`window_arguments`)."""
    return window_arguments(argv) is not None


def window_arguments(argv: list[str]) -> argparse.Namespace | None:
    """The arguments of a bare start (nothing, ``--data-dir DIR`` or ``--data-dir=DIR``) as the parser would
    give them, without building it (argparse and the seven command modules: 3–15 ms before the window);
    None for anything else, which the whole parser handles (and reports)."""
    if not argv:
        data_dir = None
    elif len(argv) == 2 and argv[0] == "--data-dir" and not argv[1].startswith("-"):
        data_dir = argv[1]
    elif len(argv) == 1 and argv[0].startswith("--data-dir="):
        data_dir = argv[0].partition("=")[2]
    else:
        return None
    return argparse.Namespace(data_dir=data_dir, database=None, command=None)


def run() -> NoReturn:
    """The program (console script and ``python -m inspector``): :func:`main`, then :func:`exit_now`."""
    code = main()
    if _state["gui"]:
        sys.exit(code)
    exit_now(code)


def exit_now(code: int) -> NoReturn:
    """End a finished command without tearing down the interpreter.

    Freeing every module, font table and SQLAlchemy object at shutdown took 210 ms of a
    0.87 s ``notice --issue`` process. By now the command has committed and closed the
    database and written its files through temp + fsync + rename; the output streams are
    flushed and the atexit handlers (logging, temporary folders) run here. With other
    threads still running it leaves the normal way, which waits for them.
    """
    import atexit
    import threading

    if threading.active_count() > 1:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``| head``) or stream
            pass
    atexit._run_exitfuncs()
    os._exit(code if isinstance(code, int) else 1)


_state = {"gui": False}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = window_arguments(argv)
    if args is not None:
        pause_garbage_collection()
    else:
        args = build_parser().parse_args(argv)
    from inspector.services import Services

    services = None
    quiet_finalizers()
    try:
        saved = args.command != "office"  # the GUI and every command use the saved office connection
        services = Services(args.data_dir, database_url=args.database, saved_office=saved,
                            notify=lambda text: print(f"注意：{text}", file=sys.stderr))
        if services.database_url and args.command in FILE_ONLY_COMMANDS:
            print(f"错误：inspector {args.command} 目前只能用于本机数据库文件，尚未支持办公室数据库。", file=sys.stderr)
            return 2
        if args.command is None:
            from inspector.app import run_gui

            _state["gui"] = True
            return run_gui(services)
        return args.handler(args, services)
    except BrokenPipeError:  # output piped into head or less that quit early
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place that turns errors into exit codes
        return report(exc)
    finally:
        if services is not None:
            _close(services)


def pause_garbage_collection() -> None:
    """The window's start: no cyclic collection until the window's own collector takes over
    (``inspector.ui.application.collect_garbage_on_the_gui_thread``, which keeps it switched off and
    collects from the GUI thread). Collections triggered by the imports and Qt's enum classes traversed
    every start-up object two or three times: 10–16 ms before the first frame."""
    import gc

    gc.disable()


def _close(services) -> None:
    try:
        services.close()
    except Exception:  # noqa: BLE001 - the command's own outcome has been reported already
        pass


def quiet_finalizers() -> None:
    """No "Exception ignored in ... Traceback" after a failed write (e.g. a full disk): the command has
    already said in one sentence what went wrong. INSPECTOR_DEBUG=1 shows them."""
    if not os.environ.get("INSPECTOR_DEBUG"):
        sys.unraisablehook = lambda unraisable: None


def report(exc: Exception) -> int:
    from inspector.errors import UserError

    if os.environ.get("INSPECTOR_DEBUG"):
        raise exc
    if isinstance(exc, UserError):
        print(f"错误：{exc.message}", file=sys.stderr)
        return exc.exit_code
    if isinstance(exc, ModuleNotFoundError):
        print(f"错误：缺少依赖包 {exc.name}，请先运行 python3 -m inspector.bootstrap setup（或在 .venv 中运行）。", file=sys.stderr)
        return 69
    if isinstance(exc, OSError):
        from inspector.errors import describe_io_error

        print(f"错误：{describe_io_error(exc)}", file=sys.stderr)
        return 74
    io_text = _sqlite_io_text(exc)
    if io_text:
        print(f"错误：数据库读写失败：{io_text}，数据未保存。", file=sys.stderr)
        return 74
    print(f"内部错误：{type(exc).__name__}: {exc}（请报告此问题；设置 INSPECTOR_DEBUG=1 可查看详情）", file=sys.stderr)
    return 70


def _sqlite_io_text(exc: BaseException) -> str | None:
    """Chinese for an SQLite error that is the disk's fault (full, read-only, I/O error, locked), else None."""
    import sqlite3

    from inspector.errors import known_io_text

    error = getattr(exc, "orig", None) if type(exc).__module__.startswith("sqlalchemy") else exc
    return known_io_text(error) if isinstance(error, sqlite3.Error) else None
