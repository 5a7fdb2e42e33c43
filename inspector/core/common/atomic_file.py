"""Write a file all at once: a temporary file in the same folder, renamed into place.

A reader never sees half a document, and a failed write leaves an existing file as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from inspector.errors import UserError


class AtomicOutput:
    """Write a file through a temporary file in the same folder, renamed into place at the end.

    The temporary file is created on entry, so an unwritable path fails before anything
    is issued; on error the target is left as it was.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._temp: str | None = None
        self._handle = None

    def __enter__(self) -> "AtomicOutput":
        folder = self.path.parent if str(self.path.parent) else Path(".")
        if self.path.is_dir():
            raise UserError(f"输出路径 {self.path} 是一个文件夹，请给出文件名。")
        if not folder.is_dir():
            raise UserError(f"无法写入 {self.path}：文件夹 {folder} 不存在。")
        try:
            handle, self._temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise UserError(f"无法写入 {self.path}：{exc.strerror or exc}。") from None
        self._handle = os.fdopen(handle, "wb")
        return self

    def write(self, data: bytes) -> None:
        self._handle.write(data)

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._handle.flush()
                os.fsync(self._handle.fileno())
            self._handle.close()
            if exc_type is None:
                os.replace(self._temp, self.path)
        except OSError as error:
            raise UserError(f"无法写入 {self.path}：{error.strerror or error}。") from None
        finally:
            if self._temp and os.path.exists(self._temp):
                os.unlink(self._temp)


def write_atomically(path: Path, data: bytes) -> None:
    with AtomicOutput(path) as out:
        out.write(data)
