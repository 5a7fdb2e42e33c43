"""Scheduled backups of the office database: due → one pg_dump by one office PC, pruned to the newest N.

The schedule is kept in the database, not on a PC: the ``local_meta`` row ``server_backup_last`` holds
(as JSON) when the last backup of this database finished, on which computer and in which file. A run:

1. makes sure the row exists (``INSERT … WHERE NOT EXISTS``; two PCs racing: the primary key lets one in);
2. opens a transaction and locks the row with ``SELECT … FOR UPDATE SKIP LOCKED``. No row comes back
   while another PC holds it, i.e. is making a backup right now: this run does nothing. The lock is
   the database's, so it is released whatever happens to the PC holding it (killed, unplugged);
3. compares the row's time with the server's clock (``CURRENT_TIMESTAMP``, one clock for every PC):
   not older than the interval → nothing;
4. runs pg_dump (:func:`create_server_backup`, reason ``scheduled``) while holding the lock, writes the
   new time into the row and commits; then prunes this PC's automatic backups of the database.

pg_dump takes no lock the row lock conflicts with, so the backup sees every other PC's work and they keep
working meanwhile. A manual backup also moves the time forward (:func:`note_server_backup`, skipped if a
scheduled one holds the row at that moment: that one writes a newer time anyway).
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

KEY = "server_backup_last"
DEFAULT_INTERVAL_HOURS = 24.0
DEFAULT_KEEP = 10

_ENSURE = ("INSERT INTO local_meta (key, value) SELECT CAST(:key AS VARCHAR), CAST('' AS VARCHAR) "
           "WHERE NOT EXISTS (SELECT 1 FROM local_meta WHERE key = :key)")
_LOCK = "SELECT value, CURRENT_TIMESTAMP FROM local_meta WHERE key = :key FOR UPDATE SKIP LOCKED"
_WRITE = "UPDATE local_meta SET value = :value WHERE key = :key"


@dataclass(frozen=True)
class LastBackup:
    """The newest backup of the office database any office PC made (from the database's own row)."""

    at: datetime
    host: str
    file: str
    reason: str


@dataclass(frozen=True)
class ScheduledRun:
    status: str  # made / not_due / busy (another PC is backing up) / off (interval 0)
    made: Path | None = None
    last: LastBackup | None = None
    pruned: list[Path] = field(default_factory=list)


def parse_last(value: str | None) -> LastBackup | None:
    """The row's JSON as a LastBackup; anything unreadable counts as "no backup yet"."""
    try:
        data = json.loads(value or "")
        at = datetime.fromisoformat(data["at"])
    except (ValueError, TypeError, KeyError):
        return None
    at = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
    return LastBackup(at.astimezone(timezone.utc), str(data.get("host", "")), str(data.get("file", "")),
                      str(data.get("reason", "")))


def last_server_backup(db) -> LastBackup | None:
    """When the last backup of this office database was made, by which PC, into which file (None: never)."""
    from sqlalchemy import text

    with db.engine.connect() as connection:
        value = connection.execute(text("SELECT value FROM local_meta WHERE key = :key"), {"key": KEY}).scalar()
    return parse_last(value)


def run_scheduled_server_backup(db, backups_dir: Path, *, interval_hours: float = DEFAULT_INTERVAL_HOURS,
                                keep: int = DEFAULT_KEEP) -> ScheduledRun:
    """Back the office database up when its last backup is older than the interval (see the module)."""
    from sqlalchemy import text

    from inspector.core.sync.server_backups import create_server_backup, database_name, prune_server_backups

    if interval_hours <= 0:
        return ScheduledRun("off", last=last_server_backup(db))
    _ensure_row(db)
    with db.engine.connect() as connection:
        with connection.begin():
            row = connection.execute(text(_LOCK), {"key": KEY}).first()
            if row is None:
                return ScheduledRun("busy", last=None)
            last, now = parse_last(row[0]), _aware(row[1])
            if last is not None and now - last.at < timedelta(hours=interval_hours):
                return ScheduledRun("not_due", last=last)
            path = create_server_backup(db, backups_dir, "scheduled")
            done = _aware(connection.execute(text("SELECT CURRENT_TIMESTAMP")).scalar_one())
            record = LastBackup(done, socket.gethostname(), str(path), "scheduled")
            connection.execute(text(_WRITE), {"key": KEY, "value": _as_json(record)})
    pruned = prune_server_backups(backups_dir, keep, database=database_name(db, safe=True))
    return ScheduledRun("made", made=path, last=record, pruned=pruned)


def note_server_backup(db, path: Path, reason: str) -> None:
    """Move the schedule's time forward after a backup made by hand (not while a scheduled one runs)."""
    from sqlalchemy import text

    _ensure_row(db)
    with db.engine.connect() as connection:
        with connection.begin():
            row = connection.execute(text(_LOCK), {"key": KEY}).first()
            if row is None:
                return
            record = LastBackup(_aware(row[1]), socket.gethostname(), str(path), reason)
            connection.execute(text(_WRITE), {"key": KEY, "value": _as_json(record)})


def _ensure_row(db) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    try:
        with db.engine.begin() as connection:
            connection.execute(text(_ENSURE), {"key": KEY})
    except IntegrityError:  # another PC inserted it at the same moment: the key let exactly one in
        pass


def _aware(moment) -> datetime:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def _as_json(record: LastBackup) -> str:
    return json.dumps({"at": record.at.isoformat(), "host": record.host, "file": record.file,
                       "reason": record.reason}, ensure_ascii=False)
