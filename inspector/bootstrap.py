"""Set up a fresh machine and run the app or the tests (standard library only).

    python3 -m inspector.bootstrap run  [app arguments]   # set up, then open the app
    python3 -m inspector.bootstrap test [pytest arguments] # set up, then run all tests

It creates ``.venv`` beside the project, installs the project with pip (again only
when pyproject.toml changed), installs the system libraries Qt needs through
apt-get when they are missing and we are allowed to, then hands over.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".inspector-installed"

# shared-library file -> Debian package that provides it (what Qt's xcb/offscreen plugins load)
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
}
CJK_FONT_PACKAGE = "fonts-wqy-microhei"


def say(message: str) -> None:
    print(f"[bootstrap] {message}", flush=True)


def missing_system_packages() -> list[str]:
    if not sys.platform.startswith("linux") or not shutil.which("ldconfig") and not Path("/sbin/ldconfig").exists():
        return []
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    listed = subprocess.run([ldconfig, "-p"], capture_output=True, text=True).stdout
    packages = sorted({pkg for lib, pkg in QT_SYSTEM_LIBS.items() if lib not in listed})
    if shutil.which("fc-list"):
        cjk = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
        if not cjk.strip():
            packages.append(CJK_FONT_PACKAGE)
    else:
        packages += ["fontconfig", CJK_FONT_PACKAGE]
    return packages


def apt_install(packages: list[str]) -> bool:
    if not packages or not shutil.which("apt-get"):
        return not packages
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None:
        say("missing system packages and no root: run  apt-get install " + " ".join(packages))
        return False
    say("installing system packages: " + " ".join(packages))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(prefix + ["apt-get", "update", "-qq"], env=env, check=False)
    done = subprocess.run(prefix + ["apt-get", "install", "-y", "-qq", *packages], env=env)
    return done.returncode == 0


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def create_venv() -> None:
    if venv_python().exists():
        return
    say(f"creating {VENV}")
    result = subprocess.run([sys.executable, "-m", "venv", str(VENV)])
    if result.returncode != 0:
        # Debian's python3 ships venv without ensurepip until python3-venv is installed
        shutil.rmtree(VENV, ignore_errors=True)
        version = f"python{sys.version_info.major}.{sys.version_info.minor}-venv"
        apt_install([version]) or apt_install(["python3-venv"])
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)


def install_project() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    say("installing Python packages (first run takes a few minutes)")
    py = str(venv_python())
    subprocess.run([py, "-m", "pip", "install", "-q", "--upgrade", "pip"], check=False)
    subprocess.run([py, "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def set_up() -> None:
    if sys.version_info < (3, 11):
        sys.exit("Python 3.11 or newer is needed.")
    apt_install(missing_system_packages())
    create_venv()
    install_project()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test", "setup"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    set_up()
    py = str(venv_python())
    os.chdir(ROOT)
    if command == "setup":
        return 0
    if command == "test":
        apt_install(missing_test_services())
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        return subprocess.run([py, "-m", "pytest", *rest], env=env).returncode
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        say("no display found (DISPLAY is not set): start a desktop session, or use xvfb-run")
    return subprocess.run([py, "-m", "inspector", *rest]).returncode


# --- test services (h-pg): tests/pg start a throwaway PostgreSQL cluster from Debian's package ---------
def missing_test_services() -> list[str]:
    """``postgresql`` when its programs (/usr/lib/postgresql/N/bin) are missing on a Linux machine."""
    if not sys.platform.startswith("linux") or shutil.which("initdb"):
        return []
    return [] if list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) else ["postgresql"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
