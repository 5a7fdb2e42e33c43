"""Wrap the PyInstaller onedir build in a Debian package (Debian 12, 统信 UOS, 麒麟 Kylin).

Layout: ``/opt/inspector/`` (the build), ``/usr/bin/inspector`` (a two-line launcher), the desktop entry
``/usr/share/applications/inspector.desktop`` (Chinese name) and the icon in the hicolor theme. The data
stays in each user's ``~/.local/share/Inspector``: the package never touches it, so removing or purging
the package keeps every inspection.

``Depends:`` is computed, not guessed: every ELF file of the bundle goes through ``ldd``; each library
resolved outside the bundle is mapped to its package with ``dpkg -S``, and ``libc6`` gets the highest
``GLIBC_x.y`` symbol version the bundle uses (``objdump -T``); :data:`DATA_DEPENDS` adds the package of
the configuration a bundled library reads (fontconfig's). A library that is needed but not installed
on the build machine stops the build, naming it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "inspector"
MAINTAINER = "Xingguo ETDZ Work Safety Office <inspector@localhost>"
DESCRIPTION = """Offline work-safety inspections (兴国经开区安全生产检查)
 Records inspections and findings with photos on a laptop, issues and prints
 rectification notices (责令限期整改指令书) and syncs by exporting a database
 file. Carries its own Python and Qt: no Python packages needed."""
# Packages holding data files (not ELF dependencies, so ldd cannot see them) that a bundled library reads
DATA_DEPENDS = {"libfontconfig.so.1": "fontconfig-config"}  # /etc/fonts/fonts.conf: else no system font
LAUNCHER = """#!/bin/sh
exec /opt/inspector/inspector "$@"
"""


def say(message: str) -> None:
    print(f"[deb] {message}", flush=True)


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def _ldd(path: Path) -> list[tuple[str, str | None]]:
    """(soname, resolved path or None) for each library ``path`` needs."""
    out = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
    needed = []
    for line in out.splitlines():
        match = re.match(r"\s*(\S+) => (not found|(\S+))", line)
        if match:
            needed.append((match[1], match[3]))
    return needed


def system_libraries(bundle: Path) -> tuple[set[str], set[str]]:
    """(paths of libraries outside the bundle, sonames found nowhere) that the bundle's ELF files need."""
    files = elf_files(bundle)
    names = {path.name for path in bundle.rglob("*")}
    outside, missing = set(), set()
    with ThreadPoolExecutor(max_workers=4) as pool:
        for needed in pool.map(_ldd, files):
            for soname, resolved in needed:
                if soname in names or (resolved and Path(resolved).resolve().is_relative_to(bundle.resolve())):
                    continue
                if resolved:
                    outside.add(resolved)
                else:
                    missing.add(soname)
    return outside, missing


def _candidates(path: str) -> list[str]:
    """The names dpkg may know a library by on a merged-/usr system."""
    real = os.path.realpath(path)
    found = []
    for one in (path, real):
        found.append(one)
        found.append(one[4:] if one.startswith("/usr/") else "/usr" + one)
    return list(dict.fromkeys(found))


def packages_owning(paths: set[str]) -> tuple[set[str], set[str]]:
    """(package names, paths no package owns) for ``paths``, through ``dpkg -S``."""
    wanted = {path: _candidates(path) for path in paths}
    queries = sorted({name for names in wanted.values() for name in names})
    out = subprocess.run(["dpkg", "-S", *queries], capture_output=True, text=True).stdout if queries else ""
    owner: dict[str, set[str]] = {}
    for line in out.splitlines():
        packages, _, file = line.partition(": ")
        owner.setdefault(file.strip(), set()).update(p.strip().split(":")[0] for p in packages.split(","))
    found, orphans = set(), set()
    for path, names in wanted.items():
        owners = set().union(*(owner.get(name, set()) for name in names))
        if owners:
            found |= owners
        else:
            orphans.add(path)
    return found, orphans


def glibc_floor(bundle: Path) -> str | None:
    """The highest GLIBC_x.y symbol version any ELF file of the bundle needs."""
    versions = set()
    for path in elf_files(bundle):
        dump = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
        versions.update(re.findall(r"\bGLIBC_(\d+\.\d+(?:\.\d+)?)\b", dump))
    if not versions:
        return None
    return max(versions, key=lambda v: tuple(int(part) for part in v.split(".")))


def depends(bundle: Path) -> str:
    outside, missing = system_libraries(bundle)
    if missing:
        raise SystemExit(f"the bundle needs libraries this machine lacks (install them, then build again): "
                         f"{' '.join(sorted(missing))}")
    packages, orphans = packages_owning(outside)
    if orphans:
        raise SystemExit(f"no Debian package owns these libraries the bundle needs: {' '.join(sorted(orphans))}")
    floor = glibc_floor(bundle)
    names = {path.name for path in bundle.rglob("*")}
    packages |= {package for library, package in DATA_DEPENDS.items() if library in names}
    entries = sorted(packages - {"libc6"})
    return ", ".join([f"libc6 (>= {floor})" if floor else "libc6", *entries])


def machine_arch() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()


def stage(bundle: Path, staging: Path) -> None:
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(bundle, staging / "opt" / PACKAGE, symlinks=True)
    launcher = staging / "usr" / "bin" / PACKAGE
    launcher.parent.mkdir(parents=True)
    launcher.write_text(LAUNCHER)
    launcher.chmod(0o755)
    resources = ROOT / "resources"
    apps = staging / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy(resources / "inspector.desktop", apps / "inspector.desktop")
    icons = staging / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps"
    icons.mkdir(parents=True)
    shutil.copy(resources / "icons" / "inspector.png", icons / "inspector.png")
    docs = staging / "usr" / "share" / "doc" / PACKAGE
    docs.mkdir(parents=True)
    fonts = resources / "fonts"
    notes = [f"Fonts bundled under /opt/inspector/_internal/resources/fonts:\n\n{(fonts / 'README.md').read_text()}"]
    notes += [f"\n--- {p.name} ---\n{p.read_text(errors='replace')}" for p in sorted(fonts.glob("LICENSE-*.txt"))]
    (docs / "copyright").write_text("Inspector: proprietary, Xingguo ETDZ.\n\n" + "".join(notes))
    for path in staging.rglob("*"):
        if path.is_dir():
            path.chmod(0o755)


def control(staging: Path, version: str, arch: str, depends_line: str) -> str:
    size_kb = sum(p.stat().st_size for p in staging.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    return (f"Package: {PACKAGE}\nVersion: {version}\nArchitecture: {arch}\nMaintainer: {MAINTAINER}\n"
            f"Installed-Size: {size_kb}\nDepends: {depends_line}\nSection: misc\nPriority: optional\n"
            f"Description: {DESCRIPTION}\n")


def build_deb(bundle: Path, version: str, out_dir: Path, arch: str | None = None) -> Path:
    arch = arch or machine_arch()
    if arch != machine_arch():
        raise SystemExit(f"build the {arch} package on an {arch} machine: PyInstaller bundles this machine's "
                         "Python and Qt (see docs/install.md, arm64)")
    staging = ROOT / "build" / "deb" / f"{PACKAGE}_{version}_{arch}"
    stage(bundle, staging)
    depends_line = depends(staging / "opt" / PACKAGE)
    say(f"Depends: {depends_line}")
    (staging / "DEBIAN").mkdir(mode=0o755)
    (staging / "DEBIAN" / "control").write_text(control(staging, version, arch, depends_line))
    target = out_dir / f"{PACKAGE}_{version}_{arch}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z1", "--build", str(staging), str(target)],
                   check=True, capture_output=True)
    return target
