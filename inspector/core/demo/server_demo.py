"""Demo data on an office database (PostgreSQL): the laptop's living office, for training on the office side.

Never mixed into real records: the server database must be empty (no row in any table but ``local_meta``,
where a new office database keeps its device id and backup schedule), else :func:`build_demo_on_server`
refuses with one sentence and writes nothing. Otherwise:

1. the demo is built **to the side**, into a private SQLite file, by the laptop's own generator
   (:func:`inspector.core.demo.generate.build_demo`, its public entry point) with the server's device id, so
   the demo's number blocks, documents and signing key are the office database's own (staff can go on
   issuing numbers from them);
2. its rows are copied into the server in **one transaction** under the office write lock (the device-id
   row ``FOR UPDATE``, the lock merges and number issuing take), after checking again that the server is
   still empty (two PCs starting a demo at once: the second finds the first's rows and refuses), parents
   first, in SQLite value form converted per column (:class:`~inspector.core.sync.server_rows.ServerTable`),
   by binary ``COPY`` where the driver has it (:func:`~inspector.core.sync.server_copy.copy_rows`), else
   ``executemany`` INSERT. The laptop-only change journal (``sync_stamp``, ``local_change``: the server
   computes versions from the rows) and the file's device binding are not copied; the file's other
   ``local_meta`` keys (the signing key) are added where the server lacks them.

A failure anywhere leaves the server as it was (the one transaction); the side file is always deleted.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from inspector.errors import UserError

#: Tables of the SQLite file that stay there: the change journal (laptop triggers) and the undo of merges.
NOT_COPIED = ("local_meta", "sync_stamp", "local_change", "merge_undo")
#: local_meta keys that belong to the side file, never to the office database.
FILE_ONLY_META = ("device_id", "device_binding")
#: What the refusal names when present (table, Chinese noun and measure word).
NAMED = (("enterprise", "企业", "家"), ("inspection", "检查", "次"), ("notice", "文书", "份"),
         ("inspector", "检查人员", "名"), ("number_block", "号段", "个"))

SIDE_FILE = "inspector.db"  # the side file's name (a data folder's database: the kept one opens as one)
_EXISTS = "SELECT CASE WHEN EXISTS (SELECT 1 FROM {table}) THEN 1 ELSE 0 END"
_LOCK = "SELECT value FROM local_meta WHERE key = 'device_id' FOR UPDATE"


def build_demo_on_server(db, checklists, *, seed: int = 1, inspections: int = 8, photos_per_hazard: int = 1,
                         living_office: bool = False, config=None, now: datetime | None = None, progress=None,
                         side_folder: Path | None = None):
    """The demo of :func:`~inspector.core.demo.generate.build_demo` in an empty office database (see module).
    ``side_folder``: build the side file there (``inspector.db``) and keep it, to compare with (tests)."""
    refuse_unless_empty(db)
    if side_folder is not None:
        return _build_and_copy(db, checklists, Path(side_folder), seed, inspections, photos_per_hazard,
                               living_office, config, now, progress)
    with tempfile.TemporaryDirectory(prefix="inspector-server-demo-") as folder:
        return _build_and_copy(db, checklists, Path(folder), seed, inspections, photos_per_hazard,
                               living_office, config, now, progress)


def _build_and_copy(db, checklists, folder: Path, seed, inspections, photos_per_hazard, living_office, config,
                    now, progress):
    from inspector.core.demo.generate import build_demo

    side = _side_database(folder, db.device_id)
    try:
        result = build_demo(side, checklists, seed=seed, inspections=inspections,
                            photos_per_hazard=photos_per_hazard, living_office=living_office, config=config,
                            now=now, progress=_scaled(progress, 0, 90))
    finally:
        side.close()
    copy_demo_into_server(folder / SIDE_FILE, db, progress=_scaled(progress, 90, 10))
    return result


def refuse_unless_empty(db, connection=None) -> None:
    """One sentence (UserError) when the office database holds any row outside ``local_meta``."""
    from sqlalchemy import text

    def check(conn) -> None:
        held = [table for table in copied_tables() + ["sync_stamp", "local_change", "merge_undo"]
                if conn.execute(text(_EXISTS.format(table=table))).scalar_one()]
        if held:
            raise UserError(_refusal(conn, held))

    if connection is not None:
        check(connection)
        return
    with db.engine.connect() as conn:
        check(conn)


def copied_tables() -> list[str]:
    """The app's tables that carry the demo, parents before the rows that refer to them."""
    import inspector.db.models  # noqa: F401  (fills the metadata)
    from sqlmodel import SQLModel

    return [table.name for table in SQLModel.metadata.sorted_tables if table.name not in NOT_COPIED]


def copy_demo_into_server(side_file: Path, db, *, progress=None) -> int:
    """Every row of the side file's copied tables into the (still empty) server, one transaction; rows copied."""
    import sqlite3

    from sqlalchemy import text

    tables = copied_tables()
    source = sqlite3.connect(f"file:{side_file}?mode=ro", uri=True)
    copied = 0
    try:
        with db.engine.connect() as server:
            with server.begin():
                server.execute(text(_LOCK))  # the office write lock: no merge, issuing or other demo meanwhile
                refuse_unless_empty(db, server)
                for done, table in enumerate(tables):
                    copied += _copy_table(source, server, table)
                    if progress:
                        progress(done + 1, len(tables))
                _add_meta(source, server)
    finally:
        source.close()
    return copied


def _copy_table(source, server, table: str) -> int:
    from sqlalchemy import text

    from inspector.core.sync.server_copy import copy_rows
    from inspector.core.sync.server_rows import BATCH, ServerTable
    from sqlmodel import SQLModel

    columns = [column.name for column in SQLModel.metadata.tables[table].columns]
    target = ServerTable(table, columns)
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = source.execute(f"SELECT {names} FROM {table}")
    insert, copied = text(target.insert_sql()), 0
    while chunk := cursor.fetchmany(BATCH):  # bounded memory: a large demo's photos are hundreds of MB
        if not copy_rows(server, target, chunk):  # no COPY in this driver: plain INSERTs
            server.execute(insert, [target.to_server(row) for row in chunk])
        copied += len(chunk)
    return copied


def _add_meta(source, server) -> None:
    from sqlalchemy import text

    rows = [(key, value) for key, value in source.execute("SELECT key, value FROM local_meta ORDER BY key")
            if key not in FILE_ONLY_META]
    insert = text("INSERT INTO local_meta (key, value) SELECT CAST(:key AS VARCHAR), CAST(:value AS VARCHAR) "
                  "WHERE NOT EXISTS (SELECT 1 FROM local_meta WHERE key = :key)")
    for key, value in rows:
        server.execute(insert, {"key": key, "value": value})


def _side_database(folder: Path, device_id: str):
    """A new SQLite file of the app's schema whose device id is the office database's."""
    import sqlite3

    from inspector.db.database import Database

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SIDE_FILE
    if path.exists():
        raise UserError(f"{path} 已存在，未写入任何数据。")
    Database.open(path, folder / "backups").close()
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute("UPDATE local_meta SET value = :id WHERE key = 'device_id'", {"id": device_id})
    finally:
        connection.close()
    side = Database.open(path, folder / "backups")
    assert side.device_id == device_id
    return side


def _refusal(conn, held: list[str]) -> str:
    from sqlalchemy import text

    parts = []
    for table, noun, measure in NAMED:
        if table in held:
            count = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            parts.append(f"{noun} {count} {measure}")
    what = "、".join(parts) if parts else f"表 {held[0]} 中的记录"
    return (f"办公室数据库中已有数据（{what}）：演示数据只能生成到空的办公室数据库，以免混入真实记录；"
            "请新建一个空数据库用于培训，未写入任何数据。")


def _scaled(progress, start: int, share: int):
    """``progress(done, total)`` mapped onto ``start`` … ``start + share`` of 100."""
    if progress is None:
        return None
    return lambda done, total: progress(start + (share * done // total if total else share), 100)
