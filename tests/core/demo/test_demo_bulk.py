"""The demo's bulk inserts store values exactly as the ORM does, and its ids are real version-4 UUIDs."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest


@pytest.mark.parametrize("moment", [
    datetime(2026, 12, 1, 4, 5, 6, tzinfo=timezone.utc),  # no microseconds: isoformat would drop them
    datetime(2026, 12, 1, 4, 5, 6, 7, tzinfo=timezone.utc),
    datetime(2027, 1, 5, 9, 30, tzinfo=timezone(timedelta(hours=8))),  # not UTC: converted first
    datetime(999, 1, 1, tzinfo=timezone.utc),
])
def test_timestamps_are_the_text_the_column_type_stores(moment):
    from inspector.db.bulk import to_sql_value
    from inspector.db.types import to_utc_text

    assert to_sql_value(moment) == to_utc_text(moment)


def test_rows_written_in_bulk_read_back_through_the_orm_unchanged(services):
    from sqlmodel import select

    from inspector.db.bulk import bulk_connection, insert_rows
    from inspector.db.models import Enterprise, Inspection, Inspector

    when = datetime(2026, 12, 1, 1, 2, 3, tzinfo=timezone.utc)
    base = {"created_at": when, "updated_at": when, "device_id": "d", "rev": 1, "deleted_at": None}
    enterprise = base | {"id": "e1", "name": "兴国县某某有限公司", "credit_code": None, "address": "", "industry": "纺织服装",
                         "legal_representative": "", "contact_phone": "", "liaison": "", "name_initials": ""}
    inspectors = [base | {"id": f"p{n}", "name": "王伟", "certificate_no": "", "active": n == 1} for n in (1, 2)]
    inspections = [base | {"id": f"i{n}", "enterprise_id": "e1", "started_at": when + timedelta(days=n),
                           "ended_at": None if n else when, "inspector_ids": ["p1", "p2"], "place": "织造车间",
                           "snapshot_ids": [], "status": "draft", "notes": "", "method": ""} for n in (0, 1)]
    connection = bulk_connection(services.db.raw())
    with connection:
        connection.execute("BEGIN")
        insert_rows(connection, "enterprise", [enterprise])
        insert_rows(connection, "inspector", inspectors)
        insert_rows(connection, "inspection", inspections)
    connection.close()
    with services.db.session() as session:
        assert [p.active for p in session.exec(select(Inspector).order_by(Inspector.id))] == [True, False]
        read = {i.id: i for i in session.exec(select(Inspection))}
        assert read["i1"].started_at == when + timedelta(days=1) and read["i1"].ended_at is None
        assert read["i0"].ended_at == when and read["i0"].inspector_ids == ["p1", "p2"]
        assert session.get(Enterprise, "e1").updated_at == when


def test_demo_ids_are_version_7_uuids_of_the_records_creation_times():
    from datetime import datetime, timedelta, timezone

    from inspector.core.demo.ids import COUNTER_LIMIT, TimeOrderedIds, milliseconds

    ids, start = TimeOrderedIds(), datetime(2026, 3, 7, 0, 30, 0, 123456, tzinfo=timezone.utc)
    times = [start + timedelta(minutes=15 * (n // 40)) for n in range(20_000)]  # 40 records a moment
    seen = [ids.at(when) for when in times]
    run = ids.run(times[-1], 52)
    seen += [run[n:n + 36] for n in range(0, len(run), 36)]
    assert len(set(seen)) == len(seen) and seen == sorted(seen)  # creation order, made in it
    for text, when in zip(seen[::7], (times + [times[-1]] * 52)[::7]):
        parsed = uuid.UUID(text)
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122 and str(parsed) == text
        assert parsed.int >> 80 == milliseconds(when) == int(when.timestamp() * 1000)
    full = [ids.at(start) for _ in range(COUNTER_LIMIT + 3)]  # a millisecond runs out of numbers: the next one
    assert full == sorted(full) and len(set(full)) == len(full)
    assert uuid.UUID(full[-1]).int >> 80 == milliseconds(start) + 1
    earlier = ids.at(start - timedelta(days=1))  # made later, created earlier: sorts first
    assert earlier < min(seen)


def test_a_demo_batch_has_ids_in_the_order_of_its_records_creation(services):
    import sqlite3

    from inspector.core.demo.generate import build_demo

    build_demo(services.db, services.checklists.checklists, seed=5, inspections=60)
    connection = sqlite3.connect(services.db.path)
    for table in ("inspection", "finding", "photo", "hazard_event", "reinspection", "reinspection_item"):
        rows = connection.execute(f"SELECT id, created_at FROM {table} ORDER BY id").fetchall()
        assert rows and all(uuid.UUID(row_id).version == 7 for row_id, _ in rows), table
        assert [at for _, at in rows] == sorted(at for _, at in rows), table
    # an inspection's findings: ids in walk-through order, and the inspections made one after another
    findings = connection.execute("SELECT inspection_id, seq FROM finding ORDER BY id").fetchall()
    assert findings == sorted(findings, key=lambda row: (row[0], row[1]))
    assert [r for (r,) in connection.execute("SELECT id FROM inspection ORDER BY rowid")] == \
        [r for (r,) in connection.execute("SELECT id FROM inspection ORDER BY id")]


def test_a_hazards_photos_are_different_pictures_and_reuse_the_pool_hash(services):
    import sqlite3

    from inspector.core.demo.generate import build_demo

    build_demo(services.db, services.checklists.checklists, seed=4, inspections=12, photos_per_hazard=3)
    connection = sqlite3.connect(services.db.path)
    per_hazard = connection.execute("SELECT count(*), count(DISTINCT original_sha256) FROM photo "
                                    "WHERE kind = 'before' GROUP BY finding_id").fetchall()
    assert per_hazard and all(row == (3, 3) for row in per_hazard)
    pictures = connection.execute("SELECT count(DISTINCT jpeg_sha256) FROM photo WHERE kind = 'before'").fetchone()[0]
    assert pictures <= 8 < len(per_hazard) * 3
