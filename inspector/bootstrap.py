"""Set up a fresh machine and run the app, the tests or a build (standard library only).

    python3 -m inspector.bootstrap run  [app arguments]    # set up, then open the app (or run a command)
    python3 -m inspector.bootstrap test [pytest arguments] # set up, then run all tests
    python3 -m inspector.bootstrap setup                   # set up only
    python3 -m inspector.bootstrap package [--deb]         # set up, then build dist/inspector (and a .deb)

It creates ``.venv`` beside the project, installs the project with pip (again only
when pyproject.toml changed), installs the system libraries Qt needs through
apt-get when they are missing and we are allowed to, then hands over. Every step is
one line on the terminal; the full output of apt-get and pip goes to a log file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".inspector-installed"
LOG = ROOT / "build" / "bootstrap.log"  # build/ is git-ignored
COMMANDS = ("run", "test", "setup", "package")

# shared-library file -> Debian package that provides it (what Qt's xcb, wayland, offscreen and
# CUPS print plugins load; a minimal Debian 12 / UOS / Kylin system lacks some of them)
QT_SYSTEM_LIBS = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libcups.so.2": "libcups2",  # Qt's CUPS print plugin: without it 打印 reaches no printer
    "libwayland-cursor.so.0": "libwayland-cursor0",  # Debian's GNOME runs Wayland by default
    "libwayland-egl.so.1": "libwayland-egl1",  # Qt's Wayland OpenGL integration
}
CJK_FONT_PACKAGE = "fonts-wqy-microhei"
APP_OPTIONS_WITH_VALUE = ("--data-dir",)
INSTALLED: list[str] = []  # Debian packages this run installed (for the summary)


class SetupStopped(Exception):
    """Set-up cannot go on; the message is one sentence saying what is missing and what to run."""


def say(message: str) -> None:
    print(f"[bootstrap] {message}", flush=True)


def log_step(title: str, command: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``command`` with its output appended to the log file (the terminal gets one line from the caller)."""
    LOG.parent.mkdir(exist_ok=True)
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} {title}: {' '.join(command)}\n")
        log.flush()
        return subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL)


def log_tail(lines: int = 8) -> str:
    try:
        return "\n".join(LOG.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- system libraries --------------------------------------------------------------------------

def missing_system_packages() -> list[str]:
    """Debian packages whose libraries (or a CJK font) Qt needs and this system lacks."""
    ldconfig = shutil.which("ldconfig") or ("/sbin/ldconfig" if Path("/sbin/ldconfig").exists() else None)
    if not sys.platform.startswith("linux") or ldconfig is None:
        return []
    listed = subprocess.run([ldconfig, "-p"], capture_output=True, text=True).stdout
    packages = sorted({pkg for lib, pkg in QT_SYSTEM_LIBS.items() if lib not in listed})
    if shutil.which("fc-list"):
        cjk = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
        if not cjk.strip():
            packages.append(CJK_FONT_PACKAGE)
    else:
        packages += ["fontconfig", CJK_FONT_PACKAGE]
    return packages


def root_prefix() -> list[str] | None:
    """How to run apt-get as root here: [] when we are root, sudo without a password, else None."""
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n"]
    return None


def install_command(packages: list[str]) -> str:
    return "sudo apt-get install " + " ".join(packages)


def apt_install(packages: list[str], why: str = "system libraries") -> None:
    """Install ``packages`` quietly (one line), or raise :class:`SetupStopped` saying what to run."""
    if not packages:
        return
    if not shutil.which("apt-get"):
        raise SetupStopped(f"Missing {why} ({', '.join(packages)}) and no apt-get here: install them with "
                           "your system's package manager, then run this command again.")
    prefix = root_prefix()
    if prefix is None:
        raise SetupStopped(f"Missing {why} that only root can install: run  {install_command(packages)}  "
                           "and then this command again.")
    started = time.monotonic()
    print(f"[bootstrap] {why}: installing {len(packages)} Debian packages ({' '.join(packages)}) …",
          end=" ", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log_step("apt-get update", prefix + ["apt-get", "update"], env)
    done = log_step("apt-get install", prefix + ["apt-get", "install", "-y", "--no-install-recommends", *packages], env)
    if done.returncode != 0:
        print("failed", flush=True)
        raise SetupStopped(f"apt-get could not install {' '.join(packages)} (last lines of {LOG}):\n{log_tail()}")
    INSTALLED.extend(packages)
    print(f"done in {time.monotonic() - started:.0f} s", flush=True)


# --- Python environment ------------------------------------------------------------------------

def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def create_venv() -> None:
    if venv_python().exists():
        return
    say(f"creating {VENV}")
    if log_step("venv", [sys.executable, "-m", "venv", str(VENV)]).returncode != 0:
        # Debian's python3 ships venv without ensurepip until python3-venv is installed
        shutil.rmtree(VENV, ignore_errors=True)
        apt_install([f"python{sys.version_info.major}.{sys.version_info.minor}-venv"], "Python's venv module")
        if log_step("venv", [sys.executable, "-m", "venv", str(VENV)]).returncode != 0:
            raise SetupStopped(f"python3 -m venv {VENV} failed (see {LOG}).")


def wanted_stamp(extras: str) -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()


def install_project(extras: str = "test") -> bool:
    """pip-install the project (editable) with ``extras``; False when it was already up to date."""
    wanted = wanted_stamp(extras)
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return False
    started = time.monotonic()
    print("[bootstrap] Python packages: installing into .venv (first run downloads about 400 MB) …",
          end=" ", flush=True)
    py = str(venv_python())
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    log_step("pip upgrade", [py, "-m", "pip", "install", "--upgrade", "pip"], env)
    done = log_step("pip install", [py, "-m", "pip", "install", "-e", f"{ROOT}[{extras}]"], env)
    if done.returncode != 0:
        print("failed", flush=True)
        raise SetupStopped(f"pip could not install the project (last lines of {LOG}):\n{log_tail()}")
    STAMP.write_text(wanted)
    print(f"done in {time.monotonic() - started:.0f} s ({folder_size_mb(VENV)} MB)", flush=True)
    return True


def install_packaging_tools() -> None:
    """pip-install the ``package`` extra of pyproject.toml (PyInstaller) when it is not there yet."""
    import tomllib

    wanted = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    py = str(venv_python())
    if subprocess.run([py, "-c", "import PyInstaller"], capture_output=True).returncode == 0:
        return
    print("[bootstrap] build tools: installing " + " ".join(wanted["package"]) + " …", end=" ", flush=True)
    if log_step("pip install build tools", [py, "-m", "pip", "install", *wanted["package"]]).returncode != 0:
        print("failed", flush=True)
        raise SetupStopped(f"pip could not install the build tools (last lines of {LOG}):\n{log_tail()}")
    print("done", flush=True)


def folder_size_mb(folder: Path) -> int:
    total = sum(entry.stat().st_size for entry in folder.rglob("*") if entry.is_file() and not entry.is_symlink())
    return round(total / 1e6)


# --- what the command needs --------------------------------------------------------------------

def opens_window(app_args: list[str]) -> bool:
    """True when ``inspector app_args`` opens the GUI: no subcommand and no --help/--version."""
    skip = False
    for arg in app_args:
        if skip:
            skip = False
        elif arg in APP_OPTIONS_WITH_VALUE:
            skip = True
        elif arg in ("-h", "--help", "--version"):
            return False
        elif not arg.startswith("-"):
            return False  # a subcommand such as demo, export, verify
    return True


def has_display(env: dict | None = None) -> bool:
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")) or env.get("QT_QPA_PLATFORM") in ("offscreen",
                                                                                                      "minimal")


def no_display_message() -> str:
    return ("No display found (neither DISPLAY nor WAYLAND_DISPLAY is set): start Inspector from a desktop "
            "session, or without one run  xvfb-run -a python3 -m inspector.bootstrap run  (the commands such "
            "as demo, export and verify need no display).")


def set_up(needs_qt: bool) -> None:
    """Bring system libraries and the venv up to date; raises :class:`SetupStopped` with one sentence."""
    if sys.version_info < (3, 11):
        raise SetupStopped("Python 3.11 or newer is needed (this is "
                           f"{sys.version_info.major}.{sys.version_info.minor}): install python3.11.")
    started = time.monotonic()
    missing = missing_system_packages()
    if missing:
        try:
            apt_install(missing)
        except SetupStopped:
            if needs_qt:
                raise
            say(f"note: the window and the tests would need  {install_command(missing)}")
    create_venv()
    if install_project() or INSTALLED:
        say(f"ready in {time.monotonic() - started:.0f} s: {len(INSTALLED)} Debian packages installed, "
            f".venv {folder_size_mb(VENV)} MB; full output in build/{LOG.name}")


def parallel_arguments(rest: list[str]) -> list[str]:
    """pytest-xdist on every core (at most 4), each test file on one worker (its module fixtures built
    once, its tests in order), the files handed out in the order tests/conftest.py gives them (the slowest
    first, from tests/slow_files.txt; xdist's own order, by number of tests, put the .deb test last, alone);
    none when the caller chose (-n / -p no:xdist) or the machine has one core."""
    if any(a in ("-n", "--numprocesses", "no:xdist") or a.startswith(("-n", "--numprocesses=")) for a in rest):
        return []
    cores = min(os.cpu_count() or 1, 4)
    return ["-n", str(cores), "--dist", "loadfile", "--no-loadscope-reorder"] if cores > 1 else []


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    window = command == "run" and opens_window(rest)
    try:
        if window and not has_display():
            raise SetupStopped(no_display_message())
        set_up(needs_qt=command in ("test", "package") or window)
        if command == "test":
            install_test_services()
        if command == "package":
            install_packaging_tools()
    except SetupStopped as stopped:
        say(str(stopped))
        return 1
    py = str(venv_python())
    os.chdir(ROOT)
    if command == "setup":
        return 0
    if command == "test":
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        return subprocess.run([py, "-m", "pytest", *parallel_arguments(rest), *rest], env=env).returncode
    if command == "package":
        return subprocess.run([py, str(ROOT / "packaging" / "build.py"), *rest]).returncode
    return subprocess.run([py, "-m", "inspector", *rest]).returncode


# --- test services (h-pg): tests/pg start a throwaway PostgreSQL cluster from Debian's package ---------
def missing_test_services() -> list[str]:
    """``postgresql`` when its programs (/usr/lib/postgresql/N/bin) are missing on a Linux machine."""
    if not sys.platform.startswith("linux") or shutil.which("initdb"):
        return []
    return [] if list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) else ["postgresql"]


def install_test_services() -> None:
    """Install them when root can; otherwise tests/pg skip, saying so (never a reason to stop the tests)."""
    missing = missing_test_services()
    if missing and shutil.which("apt-get") and root_prefix() is not None:
        apt_install(missing, why="PostgreSQL server for the office-database tests")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
