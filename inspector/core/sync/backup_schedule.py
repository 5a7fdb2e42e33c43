"""How often the scheduled backup runs and how many automatic backups are kept — read, checked, saved.

Where the schedule lives depends on what is open:

- **a laptop's file**: this computer's ``settings.json`` (``backup_interval_hours``, ``backups_keep``), as the
  scheduled file backup (``backups.run_scheduled_backup``) always read it;
- **the office database (PostgreSQL)**: the database itself, ``local_meta`` row ``server_backup_schedule``
  (JSON: interval, keep, which computer saved it and when). Every office PC and the server's timer then run
  the same schedule (``server_schedule.run_scheduled_server_backup`` decides "due" from the database's own
  ``server_backup_last`` row). Until the office saves a schedule, a PC falls back on its own settings
  (then the defaults, 24 hours and 10 backups), as before this row existed.

Portable SQL only (``UPDATE``, then ``INSERT … WHERE NOT EXISTS``), so the same code runs on either backend.
"""

from __future__ import annotations

import json
import math
import socket
from dataclasses import dataclass

from inspector.errors import UserError

KEY = "server_backup_schedule"
DEFAULT_INTERVAL_HOURS = 24.0
DEFAULT_KEEP = 10
MAX_INTERVAL_HOURS = 720.0  # 30 days: a longer gap is no schedule for an office's only copy of its records
MAX_KEEP = 1000

INTERVAL_SENTENCE = (f"备份间隔应为 0 到 {MAX_INTERVAL_HOURS:g} 之间的小时数（可带小数，0 表示不定时备份），"
                     "例如 24，未保存。")
KEEP_SENTENCE = f"保留份数应为 1 到 {MAX_KEEP} 之间的整数，例如 10，未保存。"

_UPDATE = "UPDATE local_meta SET value = :value WHERE key = :key"
_INSERT = ("INSERT INTO local_meta (key, value) SELECT CAST(:key AS VARCHAR), CAST(:value AS VARCHAR) "
           "WHERE NOT EXISTS (SELECT 1 FROM local_meta WHERE key = :key)")


@dataclass(frozen=True)
class BackupSchedule:
    interval_hours: float  # 0: no scheduled backup
    keep: int  # the newest automatic backups kept in a computer's backups folder
    shared: bool = False  # True: read from the office database (every office PC runs it)
    host: str = ""  # the computer that saved it (office database only)


def check_schedule(interval_hours: float, keep: int) -> BackupSchedule:
    """The schedule when both values are within bounds, else a UserError with the one sentence to show."""
    if isinstance(interval_hours, bool) or not isinstance(interval_hours, (int, float)) \
            or not math.isfinite(interval_hours) or not 0 <= interval_hours <= MAX_INTERVAL_HOURS:
        raise UserError(INTERVAL_SENTENCE)
    if isinstance(keep, bool) or not isinstance(keep, int) or not 1 <= keep <= MAX_KEEP:
        raise UserError(KEEP_SENTENCE)
    return BackupSchedule(float(interval_hours), keep)


def parse_schedule(interval_text: str, keep_text: str) -> BackupSchedule:
    """What a person typed in the two fields (full-width digits too) as a checked schedule."""
    interval_text, keep_text = interval_text.strip(), keep_text.strip()
    try:
        interval = float(interval_text)
    except ValueError:
        raise UserError(INTERVAL_SENTENCE) from None
    try:
        keep = int(keep_text)
    except ValueError:
        raise UserError(KEEP_SENTENCE) from None
    return check_schedule(interval, keep)


def read_schedule(db, settings) -> BackupSchedule:
    """The schedule that applies to what is open (see the module): the office database's, else the settings'."""
    if db.backend != "sqlite":
        stored = _stored(db)
        if stored is not None:
            return stored
    return _from_settings(settings)


def save_schedule(db, settings, schedule: BackupSchedule) -> BackupSchedule:
    """Keep a checked schedule where :func:`read_schedule` finds it; returns it as read back."""
    schedule = check_schedule(schedule.interval_hours, schedule.keep)
    if db.backend == "sqlite":
        settings.set("backup_interval_hours", schedule.interval_hours)
        settings.set("backups_keep", schedule.keep)
        return read_schedule(db, settings)
    from sqlalchemy import text

    value = json.dumps({"interval_hours": schedule.interval_hours, "keep": schedule.keep,
                        "host": socket.gethostname()}, ensure_ascii=False)
    with db.engine.begin() as connection:
        if connection.execute(text(_UPDATE), {"key": KEY, "value": value}).rowcount == 0:
            connection.execute(text(_INSERT), {"key": KEY, "value": value})
    return read_schedule(db, settings)


def _stored(db) -> BackupSchedule | None:
    from sqlalchemy import text

    with db.engine.connect() as connection:
        value = connection.execute(text("SELECT value FROM local_meta WHERE key = :key"), {"key": KEY}).scalar()
    try:
        data = json.loads(value or "")
        schedule = check_schedule(data["interval_hours"], data["keep"])
    except (ValueError, TypeError, KeyError, UserError):
        return None  # missing or unreadable: the PC's settings apply, as before the row existed
    return BackupSchedule(schedule.interval_hours, schedule.keep, shared=True, host=str(data.get("host", "")))


def _from_settings(settings) -> BackupSchedule:
    try:
        return check_schedule(float(settings.get("backup_interval_hours", DEFAULT_INTERVAL_HOURS)),
                              int(settings.get("backups_keep", DEFAULT_KEEP)))
    except (ValueError, TypeError, UserError):
        return BackupSchedule(DEFAULT_INTERVAL_HOURS, DEFAULT_KEEP)
