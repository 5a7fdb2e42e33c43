"""The rows whose stamps the check of a written export rehashes: the most recent, and a window at a random
place. With time-ordered (v7) ids a random version-4 UUID as the window's start sorted after nearly every
id, so the random window came back empty and only the most recent rows were ever checked."""

from __future__ import annotations

import sqlite3

from inspector.core.sync.export_readback import samples


def test_the_random_window_finds_rows_of_time_ordered_ids(services):
    from inspector.core.records.enterprises import create_enterprise

    for number in range(60):
        create_enterprise(services.db, name=f"兴国县样本企业{number:02d}有限公司")
    connection = sqlite3.connect(":memory:")
    connection.execute("ATTACH DATABASE ? AS out", (str(services.db.path),))
    ids = [row[0] for row in connection.execute("SELECT id FROM out.enterprise")]
    assert len(ids) == 60 and all(i[14] == "7" for i in ids)  # the app's ids are version 7
    recent = {row[1] for row in connection.execute(
        "SELECT 'enterprise', id FROM out.enterprise ORDER BY updated_at DESC LIMIT 5")}
    for _ in range(20):  # the window's place is random: every draw gives a full one
        picked = [row for row in samples(connection, per_table=5) if row[0] == "enterprise"]
        window = [row for row in picked if row[1] not in recent]
        assert len(picked) >= 5 and len({row[1] for row in picked}) == len(picked)
        drawn = connection.execute(
            "SELECT count(*) FROM out.enterprise WHERE id IN (%s)" % ",".join("?" * len(picked)),
            [row[1] for row in picked]).fetchone()[0]
        assert drawn == len(picked)
        if window:
            break
    else:
        raise AssertionError("twenty draws and the random window never held a row outside the most recent five")
    connection.close()
