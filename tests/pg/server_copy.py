"""Copy a laptop's SQLite database into a fresh office server database (for re-running tests that start
from the demo, which is generated with SQLite's own API: ``inspector.core.demo.generate.write``).

Every table of the SQLModel metadata is read through SQLAlchemy from the file and inserted into the
server in foreign-key order, in one transaction; the server's own rows (its device id) are replaced,
so the copy carries the laptop's device id, number blocks and number claims as they are.
"""

from __future__ import annotations

from pathlib import Path


def copy_into_server(sqlite_file: Path, server_url: str) -> None:
    from sqlalchemy import create_engine, delete, select

    import inspector.db.models  # noqa: F401  (fills the metadata)
    from inspector.db.database import Database
    from sqlmodel import SQLModel

    Database.open_url(server_url).close()  # the schema and its stamp
    source, target = create_engine(f"sqlite:///{sqlite_file}"), create_engine(server_url)
    tables = SQLModel.metadata.sorted_tables
    try:
        with source.connect() as reader, target.begin() as writer:
            for table in reversed(tables):
                writer.execute(delete(table))
            for table in tables:
                rows = [dict(row._mapping) for row in reader.execute(select(table))]
                if rows:
                    writer.execute(table.insert(), rows)
    finally:
        source.dispose()
        target.dispose()
