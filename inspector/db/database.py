"""The database: open (with migrations), sessions, device id.

A laptop's database is an SQLite file (:meth:`Database.open`); the office may use a PostgreSQL
server instead (:meth:`Database.open_url`, schema in :mod:`inspector.db.server`). Both hand out
the same SQLModel sessions over the same tables.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from inspector.db import migrations
from inspector.db.types import utcnow
from inspector.errors import DatabaseError, UserError


def _set_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # a laptop's battery can die: fsync every commit
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _set_pragmas)
    return engine


def describe_sqlite_error(exc: BaseException, path: Path) -> str:
    text = str(getattr(exc, "orig", exc))
    if "disk is full" in text or "database or disk is full" in text:
        return f"磁盘空间已满，数据未写入 {path.name}，请清理磁盘后重试。"
    if "readonly" in text or "read-only" in text:
        return f"数据库 {path.name} 是只读的，无法保存。"
    if "locked" in text:
        return f"数据库 {path.name} 正被其他程序占用，请稍后重试。"
    from inspector.errors import known_io_text

    known = known_io_text(getattr(exc, "orig", exc))
    if known:
        return f"文件 {path.name} 读写失败：{known}。"
    return f"数据库 {path.name} 读写失败：{text}"


class Database:
    """One database (an SQLite file, or an office server); hand out a short-lived session per unit of work."""

    backend = "sqlite"

    def __init__(self, path: Path | None, engine: Engine, device_id: str):
        self.path = path
        self.engine = engine
        self.device_id = device_id

    @property
    def label(self) -> str:
        """How messages name this database: the file name, or the server's database."""
        return self.path.name

    @classmethod
    def open_url(cls, url: str, backups_dir: Path | None = None, password: str | None = None) -> "Database":
        """Open a database named by URL: ``sqlite:///FILE`` or ``postgresql+psycopg://...`` (``password``
        from the keyring; without it libpq looks at the URL, ``PGPASSWORD`` and ``~/.pgpass``)."""
        if url.startswith("sqlite:///"):
            path = Path(url[len("sqlite:///"):])
            return cls.open(path, backups_dir or path.parent / "backups")
        return ServerDatabase.open_server(url, password)

    @classmethod
    def open(cls, path: Path, backups_dir: Path) -> "Database":
        stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
        migrations.upgrade(path, backups_dir, stamp)
        engine = make_engine(path)
        try:
            device_id = _ensure_device_id(engine)
        except (SADatabaseError, sqlite3.DatabaseError) as exc:
            engine.dispose()
            raise DatabaseError(describe_sqlite_error(exc, path)) from exc
        return cls(path, engine, device_id)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back on error."""
        session = Session(self.engine, expire_on_commit=False)
        try:
            yield session
            session.commit()
        except (OperationalError, SADatabaseError) as exc:
            session.rollback()
            raise UserError(self.describe_error(exc)) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def describe_error(self, exc: BaseException) -> str:
        return describe_sqlite_error(exc, self.path)

    def raw(self) -> sqlite3.Connection:
        """A plain sqlite3 connection (for bulk paths and checks); caller closes it."""
        connection = sqlite3.connect(self.path, isolation_level=None)
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA busy_timeout=10000")
        return connection

    def close(self) -> None:
        self.engine.dispose()


def _ensure_device_id(engine: Engine) -> str:
    """The device id kept in ``local_meta`` (created on first open; portable SQL, named parameters)."""
    with engine.begin() as connection:
        row = connection.execute(text("SELECT value FROM local_meta WHERE key = 'device_id'")).fetchone()
        if row:
            return row[0]
        from inspector.db.ids import new_device_id

        device_id = new_device_id()
        connection.execute(text("INSERT INTO local_meta (key, value) VALUES ('device_id', :id)"), {"id": device_id})
        return device_id


class ServerDatabase(Database):
    """The office's database on a server: the same sessions; no file, so no ``raw()`` sqlite3 connection."""

    backend = "postgresql"

    def __init__(self, url: str, engine: Engine, device_id: str):
        super().__init__(None, engine, device_id)
        self.url = url

    @property
    def label(self) -> str:
        from sqlalchemy.engine import make_url

        return f"办公室数据库 {make_url(self.url).database}"

    @classmethod
    def open_server(cls, url: str, password: str | None = None) -> "ServerDatabase":
        from sqlalchemy.exc import DBAPIError

        from inspector.db.server import describe_server_error, make_server_engine, upgrade_server

        engine = make_server_engine(url, password)
        try:
            upgrade_server(engine, url)
            device_id = _ensure_device_id_once(engine)
        except DBAPIError as exc:
            engine.dispose()
            raise DatabaseError(describe_server_error(exc, url)) from exc
        except BaseException:
            engine.dispose()
            raise
        return cls(url, engine, device_id)

    def describe_error(self, exc: BaseException) -> str:
        from inspector.db.server import describe_server_error

        return describe_server_error(exc, self.url)

    def raw(self):
        raise DatabaseError("此功能目前只支持本机 SQLite 数据库，尚未支持办公室数据库（PostgreSQL）。")


def _ensure_device_id_once(engine: Engine) -> str:
    """The office database's device id; two PCs opening a new database at once agree on one."""
    from sqlalchemy.exc import IntegrityError

    try:
        return _ensure_device_id(engine)
    except IntegrityError:
        return _ensure_device_id(engine)
