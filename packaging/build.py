"""Build the standalone app: ``python3 -m inspector.bootstrap package [--deb] [--arch amd64|arm64]``.

PyInstaller onedir (``dist/inspector/``): the ``inspector`` program with Python, the Qt modules the app
imports (Core, Gui, Widgets, PrintSupport, Pdf, PdfWidgets; no WebEngine, no QML), the bundled fonts,
checklists, translations and resources. The frozen app finds them through ``inspector.paths``.

- Linux: ``--deb`` wraps it in ``dist/inspector_<version>_<arch>.deb`` (see ``packaging/deb.py``).
- Windows (untested here): the same command makes ``dist\\inspector\\inspector.exe`` (no console window),
  and, when Inno Setup's ``iscc`` is on PATH, ``dist\\inspector-<version>-setup.exe`` from
  ``packaging/windows/inspector.iss``.
It runs inside the project's .venv (the bootstrap installs PyInstaller from the ``package`` extra).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP = "inspector"
# PySide6 modules the app never imports but PyInstaller's hooks could pull in through plugins
QT_EXCLUDED = ["PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtWebEngineCore",
               "PySide6.QtWebEngineWidgets", "PySide6.QtMultimedia", "PySide6.QtCharts", "PySide6.Qt3DCore",
               "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtDesigner", "PySide6.QtUiTools", "PySide6.QtHelp"]
OTHER_EXCLUDED = ["tkinter", "pytest", "_pytest", "hypothesis", "pytestqt", "PyInstaller", "setuptools", "pip"]
DATA_DIRS = ["resources", "checklists"]
# Qt plugins a desktop app never loads; the GTK theme alone would make the package depend on GTK 3
UNUSED_QT_PLUGINS = ["platformthemes/libqgtk3.so", "egldeviceintegrations", "platforms/libqeglfs.so",
                     "platforms/libqlinuxfb.so", "platforms/libqminimalegl.so", "platforms/libqvkkhrdisplay.so",
                     "platforms/libqvnc.so", "generic", "networkinformation", "tls"]
UNUSED_QT_LIBS = ["libQt6EglFSDeviceIntegration.so.6", "libQt6EglFsKmsSupport.so.6"]


def say(message: str) -> None:
    print(f"[package] {message}", flush=True)


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from inspector import __version__

    return __version__


def windows_icon() -> Path:
    """The .ico PyInstaller wants on Windows, made from the committed PNG."""
    from PIL import Image

    target = ROOT / "build" / "inspector.ico"
    target.parent.mkdir(exist_ok=True)
    Image.open(ROOT / "resources" / "icons" / "inspector.png").save(target, sizes=[(16, 16), (32, 32), (48, 48),
                                                                                   (64, 64), (128, 128), (256, 256)])
    return target


def pyinstaller_args() -> list[str]:
    sep = os.pathsep  # PyInstaller's --add-data separator is ":" on Linux, ";" on Windows
    args = [str(ROOT / "packaging" / "entry.py"), "--name", APP, "--onedir", "--noconfirm", "--clean",
            "--log-level", "WARN", "--distpath", str(DIST), "--workpath", str(WORK), "--specpath", str(WORK.parent),
            "--paths", str(ROOT)]  # this checkout's inspector, even if another one is installed
    for module in own_modules():  # CLI commands and migrations are loaded with import_module
        args += ["--hidden-import", module]
    args += ["--hidden-import", "_rl_accel"]  # ReportLab imports its C helpers inside try/except
    for folder in DATA_DIRS:
        args += ["--add-data", f"{ROOT / folder}{sep}{folder}"]
    migrations = Path("inspector", "db", "migrations")
    for step in sorted((ROOT / migrations).glob("[0-9][0-9][0-9][0-9]_*.*")):  # .py steps too: discovery lists files
        args += ["--add-data", f"{step}{sep}{migrations.as_posix()}"]
    for sql in sorted((ROOT / migrations / "postgresql").glob("*.sql")):  # the office database's own forms
        args += ["--add-data", f"{sql}{sep}{(migrations / 'postgresql').as_posix()}"]
    for module in QT_EXCLUDED + OTHER_EXCLUDED:
        args += ["--exclude-module", module]
    if sys.platform == "win32":
        args += ["--noconsole", "--icon", str(windows_icon())]
    return args


def own_modules() -> list[str]:
    """Every module of this checkout's ``inspector`` package, read from the files (not from an import,
    which could find another installed copy)."""
    package = ROOT / "inspector"
    modules = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


def build_onedir() -> Path:
    import PyInstaller.__main__

    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    started = time.monotonic()
    say("PyInstaller onedir build (about a minute) …")
    PyInstaller.__main__.run(pyinstaller_args())
    target = DIST / APP
    prune(target)
    say(f"built {target} in {time.monotonic() - started:.0f} s, {folder_mb(target)} MB")
    return target


def prune(target: Path) -> None:
    """Drop the Qt plugins a desktop app never loads, and the libraries only they needed."""
    qt = target / "_internal" / "PySide6" / "Qt"
    dropped = [qt / "lib" / name for name in UNUSED_QT_LIBS]
    for relative in UNUSED_QT_PLUGINS:
        path = qt / "plugins" / relative
        dropped += sorted(path.rglob("*.so*")) if path.is_dir() else [path]
    if sys.platform.startswith("linux"):
        sys.path.insert(0, str(ROOT / "packaging"))
        from elf import libraries_only_needed_by

        extra = libraries_only_needed_by(target, [path for path in dropped if path.exists()])
        say(f"dropping {len(extra)} libraries only unused plugins needed: {' '.join(sorted({p.name for p in extra}))}")
        dropped += extra
    for path in dropped:
        path.unlink(missing_ok=True)
    for relative in UNUSED_QT_PLUGINS:
        if (qt / "plugins" / relative).is_dir():
            shutil.rmtree(qt / "plugins" / relative)


def smoke_test(target: Path) -> None:
    """The frozen program starts, knows its version and finds its checklists."""
    program = target / (APP + (".exe" if sys.platform == "win32" else ""))
    done = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=60)
    if done.returncode != 0 or version() not in done.stdout:
        raise SystemExit(f"the built program does not start: {done.stdout}{done.stderr}")
    say(f"smoke test: {done.stdout.strip()}")


def folder_mb(folder: Path) -> int:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6)


def windows_installer() -> None:
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if not iscc:
        say("Inno Setup (iscc) not found: the onedir build in dist\\inspector is complete; no installer made")
        return
    subprocess.run([iscc, f"/DAppVersion={version()}", f"/DSourceDir={DIST / APP}", f"/DOutputDir={DIST}",
                    str(ROOT / "packaging" / "windows" / "inspector.iss")], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bootstrap package", description=__doc__.splitlines()[0])
    parser.add_argument("--deb", action="store_true", help="also wrap the build in a Debian package")
    parser.add_argument("--skip-build", action="store_true", help="reuse dist/inspector (with --deb)")
    parser.add_argument("--arch", default=None, help="Debian architecture (default: this machine's)")
    args = parser.parse_args(argv)
    target = DIST / APP if args.skip_build and (DIST / APP).is_dir() else build_onedir()
    smoke_test(target)
    if sys.platform == "win32":
        windows_installer()
    elif args.deb:
        sys.path.insert(0, str(ROOT / "packaging"))
        from deb import build_deb

        say(f"Debian package: {build_deb(target, version(), DIST, args.arch)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
