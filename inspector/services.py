"""The composition root: builds the objects the CLI and the GUI work with.

Nothing is opened until asked for, so ``inspector --help`` and start-up stay fast.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Callable

from inspector.paths import DataPaths, bundled_checklists_dir, remove_start_up_leftovers, resolve_data_dir


class Services:
    """``notify`` receives one-line notices (the CLI prints them on stderr). ``keep_moved_device`` is the
    GUI's answer when the data directory was moved or copied: True keeps the device id (moved), anything
    else gives this copy a new one."""

    def __init__(self, data_dir: str | Path | None = None, database_url: str | None = None, *,
                 notify: Callable[[str], None] | None = None, saved_office: bool = False):
        self.paths = DataPaths(resolve_data_dir(data_dir))
        self.notify = notify
        self.keep_moved_device: bool | None = None
        self.notices: list[str] = []
        if database_url and not database_url.startswith("postgresql"):
            from inspector.errors import UserError

            raise UserError("--database 只用于办公室数据库（postgresql+psycopg://…）；本机数据库文件请用 --data-dir 指定目录。")
        self.database_url = database_url  # the office's server; None: the SQLite file in the data directory
        if database_url is None and saved_office:  # the connection kept by `inspector office connect`
            from inspector.db.office_link import saved_url

            self.database_url = saved_url(self.paths.settings)

    @cached_property
    def db(self):
        from inspector.db.database import Database

        self.paths.ensure()
        remove_start_up_leftovers(self.paths)
        if self.database_url:
            from inspector.db.office_link import password_for

            server = Database.open_url(self.database_url, self.paths.backups, password_for(self.database_url))
            try:
                _after_server_upgrade(server)
            except BaseException:
                server.close()
                raise
            return server
        database = Database.open(self.paths.database, self.paths.backups)
        try:
            self._bind_device(database)
            _after_upgrade(database)
        except BaseException:
            database.close()
            raise
        return database

    def copied_data(self):
        """The data directory was copied or moved here (the GUI asks before opening); None otherwise,
        and None on the office database (the server's device id is not bound to this folder)."""
        from inspector.core.common.device_binding import copied_data

        if self.database_url:
            return None
        return copied_data(self.paths.database, self.paths.root)

    @property
    def on_server(self) -> bool:
        """Works on the office database (PostgreSQL) rather than the SQLite file in the data directory."""
        return bool(self.database_url)

    def reopen(self, database_url: str | None) -> "Services":
        """The same data directory, settings and checklists on another database: the GUI's 连接/断开办公室数据库
        and its fallback to the local file. Sharing the one Settings object keeps two copies from
        overwriting each other's keys in settings.json. This object is left open: the caller closes it."""
        other = Services(self.paths.root, database_url, notify=self.notify)
        other.settings = self.settings
        if "checklists" in self.__dict__:
            other.checklists = self.checklists
        return other

    def _bind_device(self, database) -> None:
        import sqlite3

        from inspector.core.common.device_binding import bind, rekey_notice
        from inspector.errors import DatabaseError

        try:
            device, old = bind(database.path, self.paths.root, rekey=self.keep_moved_device is not True)
        except sqlite3.Error as exc:
            from inspector.db.database import describe_sqlite_error

            raise DatabaseError(describe_sqlite_error(exc, database.path)) from exc
        database.device_id = device
        if old:
            self._notice(rekey_notice(old, device))

    def _notice(self, text: str) -> None:
        self.notices.append(text)
        if self.notify:
            self.notify(text)

    @cached_property
    def checklists(self):
        """Bundled checklists, then the data directory's own (which replace same-id ones)."""
        from inspector.core.records.checklists import load_checklists

        return load_checklists([bundled_checklists_dir(), self.paths.checklists])

    @cached_property
    def settings(self):
        from inspector.settings import Settings

        return Settings.load(self.paths.settings)

    def close(self) -> None:
        if "db" in self.__dict__:
            self.db.close()


def _after_server_upgrade(db) -> None:
    """The office server's counterpart of :func:`_after_upgrade`: new version hashes of widened tables."""
    from sqlalchemy.exc import DBAPIError

    from inspector.core.sync.server_rehash import rehash_server
    from inspector.errors import DatabaseError

    try:
        rehash_server(db)
    except DBAPIError as exc:
        raise DatabaseError(db.describe_error(exc)) from exc


def _after_upgrade(db) -> None:
    """What a migration leaves to the core: new version hashes of widened synced tables (one query when none)."""
    from inspector.core.sync.rehash import rehash_pending

    connection = db.raw()
    try:
        rehash_pending(connection)
    finally:
        connection.close()
