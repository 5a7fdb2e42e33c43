"""Which bundled libraries are needed by whom (ELF ``NEEDED`` entries, read with ``objdump -p``)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def is_elf(path: Path) -> bool:
    if not path.is_file() or path.is_symlink():
        return False
    with open(path, "rb") as handle:
        return handle.read(4) == b"\x7fELF"


def needed(path: Path) -> list[str]:
    dump = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True).stdout
    return re.findall(r"^\s*NEEDED\s+(\S+)", dump, re.MULTILINE)


def closure(roots: list[Path], by_name: dict[str, Path]) -> set[Path]:
    """Every bundled library reachable from ``roots`` through NEEDED entries."""
    seen: set[Path] = set()
    todo = list(roots)
    while todo:
        for name in needed(todo.pop()):
            lib = by_name.get(name)
            if lib is not None and lib not in seen:
                seen.add(lib)
                todo.append(lib)
    return seen


def is_root(path: Path, bundle: Path) -> bool:
    """Loaded by Python or Qt rather than through NEEDED: the program, extension modules, Qt plugins."""
    name = path.name
    return (path.parent == bundle or ".cpython-" in name or name.endswith(".abi3.so") or "plugins" in path.parts
            or "lib-dynload" in path.parts)


def libraries_only_needed_by(bundle: Path, dropped: list[Path]) -> list[Path]:
    """Bundled libraries that nothing but ``dropped`` needs (so they can go too)."""
    elves = [path for path in bundle.rglob("*") if is_elf(path)]
    real = set(elves)
    by_name = {path.name: path for path in elves}
    for link in bundle.rglob("*.so*"):  # PyInstaller 6 keeps sonames as symlinks to the real file
        if link.is_symlink() and link.resolve() in real:
            by_name.setdefault(link.name, link.resolve())
    dropped_set = {path.resolve() for path in dropped}
    roots = [path for path in elves if is_root(path, bundle) and path not in dropped_set]
    kept = closure(roots, by_name) | set(roots)
    links = {link: link.resolve() for link in bundle.rglob("*.so*") if link.is_symlink()}
    only_dropped = closure(list(dropped_set), by_name) - kept
    return sorted(only_dropped | {link for link, target in links.items() if target in only_dropped})
