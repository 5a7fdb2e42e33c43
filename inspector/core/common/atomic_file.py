"""Compatibility names for :mod:`inspector.core.common.outputs` (new code calls that module directly).

``AtomicOutput(path)`` and ``write_atomically(path, data)`` replace an existing file (their callers
asked first, e.g. through a save dialog) but, like every output, refuse a data directory's
database, settings and backups, and write through temp + fsync + rename.
"""

from __future__ import annotations

from pathlib import Path

from inspector.core.common.outputs import OutputFile, write_output


def AtomicOutput(path: Path, fmt: str | None = None, *, force: bool = True) -> OutputFile:  # noqa: N802
    return OutputFile(path, fmt, force=force)


def write_atomically(path: Path, data: bytes, fmt: str | None = None, *, force: bool = True) -> Path:
    return write_output(path, data, fmt, force=force)
