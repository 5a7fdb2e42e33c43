"""The inspection list's rows at county scale: no dict per row, and what repeats (an enterprise's id,
name, sector and initials, the status, the place) held once for all its inspections."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def test_an_enterprises_inspections_share_its_strings_and_rows_have_no_dict(services):
    from inspector.db.models import Enterprise, Inspection
    from inspector.db.queries import inspection_summaries

    start = datetime(2026, 3, 1, 1, 0, tzinfo=timezone.utc)
    with services.db.session() as session:
        enterprise = Enterprise(name="兴国县冷链物流有限公司", credit_code="", industry="冷库/涉氨制冷",
                                name_initials="xgxllwlyxgs", device_id=services.db.device_id)
        session.add(enterprise)
        session.flush()
        for n in range(3):
            session.add(Inspection(enterprise_id=enterprise.id, started_at=start + timedelta(days=n), place="冷库",
                                   status="completed", inspector_ids=[], device_id=services.db.device_id))
        session.commit()
    with services.db.session() as session:
        rows = inspection_summaries(session)
    assert [row.started_at for row in rows] == [start + timedelta(days=n) for n in (2, 1, 0)]  # newest first
    first, *others = rows
    for row in others:
        for name in ("enterprise_id", "enterprise", "industry", "enterprise_initials", "status", "place"):
            assert getattr(row, name) is getattr(first, name), name  # one object, not a copy per row
    assert not hasattr(first, "__dict__")
    assert first.as_json() == {"id": first.id, "enterprise_id": enterprise.id, "enterprise": "兴国县冷链物流有限公司",
                               "industry": "冷库/涉氨制冷", "started_at": (start + timedelta(days=2)).isoformat(),
                               "status": "completed", "place": "冷库", "findings": 0, "hazards": 0, "major": 0,
                               "photos": 0}
