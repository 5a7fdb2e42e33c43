"""A clean Debian 12 root for the packaging test, made with mmdebstrap from Debian's packages.

The root (``--variant=apt``: essential packages and apt, no Python at all) is cached as a tarball under
:data:`CACHE` and unpacked fresh for every run; apt's downloaded .debs are cached there too, and so is
the built inspector .deb (keyed by a hash of the sources it is made from).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("INSPECTOR_TEST_ROOT_CACHE", "/var/cache/inspector-test-root"))
SUITE = "bookworm"
ROOT_TARBALL = CACHE / f"debian-{SUITE}-apt-v1.tar"
MIRRORS = [f"deb http://deb.debian.org/debian {SUITE} main",
           f"deb http://deb.debian.org/debian {SUITE}-updates main",
           f"deb http://deb.debian.org/debian-security {SUITE}-security main"]
BUILD_INPUTS = ["inspector", "resources", "checklists", "packaging", "pyproject.toml"]


def run(*command: str, timeout: int = 600, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive", LC_ALL="C.UTF-8")
    env.update(kwargs.pop("env", {}))
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, **kwargs)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done


def host_install(*packages: str) -> bool:
    """apt-get install on the host (as root), refreshing the package lists once if needed."""
    if run("apt-get", "install", "-y", "-q", *packages, check=False).returncode == 0:
        return True
    run("apt-get", "update", "-q", check=False)
    return run("apt-get", "install", "-y", "-q", *packages, check=False).returncode == 0


def why_not_possible() -> str | None:
    """None when this machine can make and enter a Debian root, else the reason."""
    if not sys.platform.startswith("linux"):
        return "the .deb test needs Linux"
    if os.geteuid() != 0:
        return "making a Debian root with mmdebstrap and chroot needs root: run the test as root"
    if not shutil.which("mmdebstrap"):
        if not shutil.which("apt-get") or not host_install("mmdebstrap"):
            return "mmdebstrap is not installed and apt-get could not install it"
    return None


def _x_socket_folder() -> None:
    """/tmp/.X11-unix as an X server makes it (world-writable, sticky), so the root's bind mount has a source
    and the Xvfb started later puts its socket where the root sees it."""
    folder = Path("/tmp/.X11-unix")
    if not folder.is_dir():
        folder.mkdir(exist_ok=True)
        folder.chmod(0o1777)


def sources_hash() -> str:
    digest = hashlib.sha256()
    for name in BUILD_INPUTS:
        base = ROOT / name
        files = sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if base.is_dir() \
            else [base]
        for path in files:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def built_deb() -> Path:
    """The .deb of these sources: from the cache, else built with ``packaging/build.py --deb`` (~1.5 min)."""
    cached = CACHE / "deb" / f"inspector-{sources_hash()}.deb"
    if cached.exists():
        return cached
    if subprocess.run([sys.executable, "-c", "import PyInstaller"], capture_output=True).returncode != 0:
        run(sys.executable, "-m", "pip", "install", "-q", "pyinstaller>=6.10,<7")
    run(sys.executable, str(ROOT / "packaging" / "build.py"), "--deb", timeout=1200, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)})
    made = max((ROOT / "dist").glob("inspector_*.deb"), key=lambda p: p.stat().st_mtime)
    cached.parent.mkdir(parents=True, exist_ok=True)
    for old in cached.parent.glob("inspector-*.deb"):
        old.unlink()
    shutil.copy(made, cached)
    return cached


def root_tarball() -> Path:
    if not ROOT_TARBALL.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = ROOT_TARBALL.with_suffix(".partial.tar")
        run("mmdebstrap", "--variant=apt", "--quiet", SUITE, str(partial), *MIRRORS, timeout=900)
        partial.rename(ROOT_TARBALL)
    return ROOT_TARBALL


class DebianRoot:
    """An unpacked root with /proc, /dev, the X socket folder and apt's cache mounted; ``sh`` runs in it."""

    def __init__(self, path: Path):
        self.path = path
        self.mounts: list[Path] = []

    def mount(self, source: str, target: str, *options: str) -> None:
        where = self.path / target.lstrip("/")
        where.mkdir(parents=True, exist_ok=True)
        run("mount", *options, source, str(where))
        self.mounts.append(where)

    def sh(self, script: str, timeout: int = 300, check: bool = True) -> subprocess.CompletedProcess:
        return run("chroot", str(self.path), "/bin/sh", "-c", script, timeout=timeout, check=check,
                   env={"HOME": "/root", "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"})

    def popen(self, script: str, env: dict) -> subprocess.Popen:
        return subprocess.Popen(["chroot", str(self.path), "/bin/sh", "-c", script], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, env=dict(os.environ, HOME="/root", **env))

    def unmount_all(self) -> None:
        for where in reversed(self.mounts):
            subprocess.run(["umount", "-l", str(where)], capture_output=True)
        self.mounts.clear()


@contextmanager
def debian_root(workdir: Path):
    """A fresh Debian 12 root from the cached tarball, removed afterwards."""
    started = time.monotonic()
    path = workdir / "root"
    path.mkdir()
    with tarfile.open(root_tarball()) as tar:
        tar.extractall(path, numeric_owner=True, filter="fully_trusted")
    root = DebianRoot(path)
    archives = CACHE / "apt-archives"
    (archives / "partial").mkdir(parents=True, exist_ok=True)
    try:
        root.mount("proc", "/proc", "-t", "proc")
        root.mount("/dev", "/dev", "--bind")
        _x_socket_folder()  # a machine where no X server has run yet has none
        root.mount("/tmp/.X11-unix", "/tmp/.X11-unix", "--bind")
        root.mount(str(archives), "/var/cache/apt/archives", "--bind")
        shutil.copy("/etc/resolv.conf", path / "etc" / "resolv.conf")
        root.unpacked_in = time.monotonic() - started
        yield root
    finally:
        root.unmount_all()
        still = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()
                 if line.split()[1].startswith(str(path))]
        if still:  # never delete through a mount (the host's /dev, X sockets or apt cache)
            raise AssertionError(f"could not unmount {still}; remove {path} by hand")
        shutil.rmtree(path, ignore_errors=True)
