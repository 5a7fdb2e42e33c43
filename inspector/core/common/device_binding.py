"""One device, one id: the device id is bound to the data directory's place and the machine.

Document numbers (文号) are drawn from number blocks assigned to a device id. A data directory
copied to a second laptop (or beside itself) would carry the same id and issue the same numbers.
So ``local_meta`` keeps, beside ``device_id``, a fingerprint of the machine and the data
directory's absolute path. When they differ at start-up the directory was copied or moved:

* re-key (the default, and what the command line does): a new device id; the number blocks stay
  with the old id, which belongs to the original laptop, so this copy cannot draw from them and
  must be given its own blocks by the office;
* keep (only when the person confirms in the GUI that the folder was moved, not copied): the id
  stays, the new place is recorded.

A database without a fingerprint (made before this existed) is simply bound where it is.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

DEVICE_KEY = "device_id"
BINDING_KEY = "device_binding"


class CopiedData:
    """A data directory whose database was bound to another place or machine (a plain value class: the
    check runs before the window's first frame, and ``dataclasses`` costs ~7 M instructions there)."""

    __slots__ = ("device_id", "data_dir")

    def __init__(self, device_id: str, data_dir: Path):
        self.device_id, self.data_dir = device_id, data_dir

    def __eq__(self, other) -> bool:
        return isinstance(other, CopiedData) and (self.device_id, self.data_dir) == (other.device_id, other.data_dir)

    def __hash__(self) -> int:
        return hash((self.device_id, self.data_dir))

    def __repr__(self) -> str:
        return f"CopiedData(device_id={self.device_id!r}, data_dir={self.data_dir!r})"


def machine_id() -> str:
    """A stable identifier of this computer (never sent anywhere; only hashed into the fingerprint)."""
    for candidate in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            text = Path(candidate).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if text:
            return text
    if sys.platform == "win32":
        try:
            import winreg

            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography") as key:
                return str(winreg.QueryValueEx(key, "MachineGuid")[0])
        except OSError:
            pass
    import platform
    import uuid

    return f"{platform.node()}|{uuid.getnode():012x}"


def fingerprint(data_dir: Path) -> str:
    place = os.path.normcase(str(Path(data_dir).resolve()))
    return sha256_hex(f"{machine_id()}\0{place}".encode("utf-8"))


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data`` in hex, from Python's built-in implementation when it has one: ``hashlib`` loads
    OpenSSL (~11 M instructions before the window's first frame, where :func:`copied_data` runs); the
    digest is the same (``tests/core/common/test_device_binding.py``)."""
    try:
        from _sha256 import sha256  # Python 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # Python 3.12 and later
        except ImportError:
            from hashlib import sha256
    return sha256(data).hexdigest()


def _connect(db_path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(db_path, isolation_level=None, timeout=10)
    connection.execute("PRAGMA busy_timeout=10000")
    return connection


def _meta(connection: sqlite3.Connection, key: str) -> str | None:
    row = connection.execute("SELECT value FROM local_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _set(connection: sqlite3.Connection, key: str, value: str) -> None:
    connection.execute("INSERT INTO local_meta (key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def copied_data(db_path: Path, data_dir: Path) -> CopiedData | None:
    """Whether the database at ``db_path`` was bound to another place or machine (read only; None if unsure)."""
    if not Path(db_path).is_file():
        return None
    try:
        connection = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            device, bound = _meta(connection, DEVICE_KEY), _meta(connection, BINDING_KEY)
        finally:
            connection.close()
    except sqlite3.Error:
        return None  # no local_meta yet, damaged or foreign: opening the database says what is wrong
    if device and bound and bound != fingerprint(data_dir):
        return CopiedData(device, Path(data_dir))
    return None


def bind(db_path: Path, data_dir: Path, *, rekey: bool = True) -> tuple[str, str | None]:
    """Bind the database to this place and machine: ``(device id, old id if it was re-keyed)``.

    ``rekey=False`` keeps the id of a directory that was moved (never of one that was copied).
    """
    import uuid  # only here and for a machine without a machine id: ~11 M instructions at start-up

    print_ = fingerprint(data_dir)
    connection = _connect(db_path)
    try:
        device = _meta(connection, DEVICE_KEY)
        if device and _meta(connection, BINDING_KEY) == print_:
            return device, None  # bound here already: nothing is written
        connection.execute("BEGIN IMMEDIATE")
        device, bound = _meta(connection, DEVICE_KEY), _meta(connection, BINDING_KEY)
        old = None
        if device and bound and bound != print_ and rekey:
            old, device = device, str(uuid.uuid4())
            _set(connection, DEVICE_KEY, device)
            _set(connection, f"previous_device_id:{old}", print_[:16])
        if not device:
            device = str(uuid.uuid4())
            _set(connection, DEVICE_KEY, device)
        if bound != print_:
            _set(connection, BINDING_KEY, print_)
        connection.execute("COMMIT")
        return device, old
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()


def rekey_notice(old: str, new: str) -> str:
    return (f"此数据目录是从别处复制或移动来的，本机已改用新的设备编号 {new}（原编号 {old[:8]}… 及其号段仍归原电脑，"
            "本机不能再用这些号段编号；签发文书前请由办公室为新编号分配号段）。")
