"""The office database's schema on a real PostgreSQL server: created from the one definition, stamped,
upgraded step by step, refused when newer or foreign, device id kept."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel, select

from inspector.db import migrations, server
from inspector.db.database import Database
from inspector.db.models import Enterprise
from inspector.errors import DatabaseError


def server_version(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version FROM schema_version")).scalar_one()
    engine.dispose()
    return version


def test_new_server_database_is_created_at_latest_version_and_matches_the_models(pg_url):
    db = Database.open_url(pg_url)
    assert db.backend == "postgresql" and len(db.device_id) == 36
    columns = {}
    with db.engine.connect() as connection:
        found = inspect(connection)
        for table in found.get_table_names():
            columns[table] = {c["name"]: c["nullable"] for c in found.get_columns(table)}
    db.close()
    assert server_version(pg_url) == migrations.latest_version()
    assert set(columns) == {t.name for t in SQLModel.metadata.sorted_tables} | {"schema_version"}
    for table in SQLModel.metadata.sorted_tables:
        assert columns[table.name] == {c.name: bool(c.nullable) for c in table.columns}, table.name


def test_device_id_is_kept_and_sessions_work(pg_url):
    first = Database.open_url(pg_url)
    with first.session() as session:
        session.add(Enterprise(name="兴国县某某化工有限公司", credit_code="91360732MA35XXXX1A", device_id=first.device_id))
    first.close()
    second = Database.open_url(pg_url)
    with second.session() as session:
        names = session.exec(select(Enterprise.name)).all()
    second.close()
    assert second.device_id == first.device_id
    assert names == ["兴国县某某化工有限公司"]


def test_every_step_after_the_baseline_runs_on_the_server(pg_url):
    """Baseline, then each numbered step one at a time (what an office server at an old version goes through)."""
    base, _ = server.baseline()
    engine = server.make_server_engine(pg_url)
    with engine.begin() as connection:
        assert server._create_baseline(connection) == base
    for version, name, sql in server.server_steps():
        server._run_server_step(engine, version, name, sql)
        assert server_version(pg_url) == version
    assert [s[0] for s in server.server_steps()] == list(range(base + 1, migrations.latest_version() + 1))
    engine.dispose()


def test_a_newer_server_database_is_refused_untouched(pg_url):
    Database.open_url(pg_url).close()
    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE schema_version SET version = version + 1"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="更新版本"):
        Database.open_url(pg_url)
    assert server_version(pg_url) == migrations.latest_version() + 1


def test_a_foreign_database_is_refused_untouched(pg_url):
    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR)"))
    with pytest.raises(DatabaseError, match="不是本程序"):
        Database.open_url(pg_url)
    with engine.connect() as connection:
        assert inspect(connection).get_table_names() == ["notes"]
    engine.dispose()


def test_an_unreachable_server_is_one_clear_error_without_the_password(pg_cluster):
    url = pg_cluster.url("nosuchdb").replace("postgres@", "postgres:s3cret@")
    with pytest.raises(DatabaseError) as caught:
        Database.open_url(url)
    assert "无法连接办公室数据库" in caught.value.message and "s3cret" not in caught.value.message


def test_the_migration_steps_number_claims_backfills_blocks_on_both_backends(pg_url, tmp_path):
    """Schema step 5 on a database that already holds blocks: each live block's numbers are claimed once."""
    from tests.pg.schema_helpers import blocks_then_step5

    for url in (pg_url, f"sqlite:///{tmp_path / 'office.db'}"):
        assert blocks_then_step5(url) == [("order", "P", 2026, 1, "b1"), ("order", "P", 2026, 2, "b1"),
                                          ("order", "P", 2026, 3, "b1"), ("order", "P", 2026, 4, "b2")], url


OPENER = """
import sys, time
from pathlib import Path
from inspector.db.database import Database
url, go = sys.argv[1], Path(sys.argv[2])
while not go.exists():
    time.sleep(0.002)
db = Database.open_url(url)
print(db.device_id)
db.close()
"""


def test_two_office_pcs_opening_a_new_database_at_once_agree_on_one_schema_and_device_id(pg_url, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(root))
    workers = [subprocess.Popen([sys.executable, "-c", OPENER, pg_url, str(go)], cwd=root, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    import time

    time.sleep(1.0)  # all three started and waiting
    go.touch()
    ids = []
    for worker in workers:
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err
        ids.append(out.strip())
    assert len(set(ids)) == 1 and len(ids[0]) == 36
    assert server_version(pg_url) == migrations.latest_version()
