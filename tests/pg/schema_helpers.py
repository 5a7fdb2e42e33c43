"""Build a database just before a given schema step, on SQLite or on the server, to test that step."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text

from inspector.db import migrations, server

BLOCKS = [  # id, first, last, deleted: b2 overlaps b1 at 3 (blocks merged from two laptops), b3 withdrawn
    ("b1", 1, 3, None), ("b2", 3, 4, None), ("b3", 5, 9, "2026-01-01T00:00:00.000000Z"),
]
INSERT_BLOCK = (
    "INSERT INTO number_block (id, created_at, updated_at, device_id, rev, deleted_at, kind, prefix, year,"
    " first, last, assigned_device_id, note) VALUES (:id, '2026-01-01T00:00:00.000000Z',"
    " '2026-01-01T00:00:00.000000Z', 'd', 1, :deleted, 'order', 'P', 2026, :first, :last, 'd', '')"
)
CLAIMS = "SELECT kind, prefix, year, seq, block_id FROM number_claim ORDER BY seq"


def step_version(name: str) -> int:
    return next(step.version for step in migrations.discover_steps() if step.name == name)


def blocks_then_step5(url: str) -> list[tuple]:
    target = step_version("number_claims")
    rows = [{"id": i, "first": f, "last": last, "deleted": d} for i, f, last, d in BLOCKS]
    if url.startswith("sqlite:///"):
        return _sqlite(Path(url[len("sqlite:///"):]), target, rows)
    return _server(url, target, rows)


def _sqlite(path: Path, target: int, rows: list[dict]) -> list[tuple]:
    connection = sqlite3.connect(path, isolation_level=None)
    steps = migrations.discover_steps()
    for step in steps[: target - 1]:
        migrations._run_step(connection, step, path)
    for row in rows:
        connection.execute(INSERT_BLOCK, row)
    migrations._run_step(connection, steps[target - 1], path)
    claims = connection.execute(CLAIMS).fetchall()
    connection.close()
    return claims


def _server(url: str, target: int, rows: list[dict]) -> list[tuple]:
    engine = server.make_server_engine(url)
    with engine.begin() as connection:
        server._create_baseline(connection)
    steps = server.server_steps()
    for version, name, sql in steps:
        if version < target:
            server._run_server_step(engine, version, name, sql)
    with engine.begin() as connection:
        for row in rows:
            connection.execute(text(INSERT_BLOCK), row)
    version, name, sql = next(step for step in steps if step[0] == target)
    server._run_server_step(engine, version, name, sql)
    with engine.connect() as connection:
        claims = [tuple(row) for row in connection.execute(text(CLAIMS))]
    engine.dispose()
    return claims
