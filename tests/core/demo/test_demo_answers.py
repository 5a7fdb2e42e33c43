"""The answered items that did not fail are written by SQLite from compact result strings (demo.answers), and a new
file gets them in chunks from a writer thread while the batch is generated: the rows must be what the walk-through
stores, and the same whichever way the batch was written."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date, datetime, time, timedelta, timezone

from inspector.core.common.clock import CHINA_TZ

NOW = datetime.combine(date(2026, 6, 15), time(12), CHINA_TZ).astimezone(timezone.utc)
#: A finding's content without its own, its inspection's and its device's random ids (which differ between builds).
CONTENT = ("SELECT i.started_at, e.name, f.seq, f.result, f.created_at, f.updated_at, f.rev, f.deleted_at, f.snapshot_id, "
           "f.item_id, f.item_text, f.status, f.closed_at, f.description, f.location, f.level, f.major_clause, "
           "f.requirement, f.basis, f.deadline, f.responsible_person, f.interim_measures, f.remarks "
           "FROM finding f JOIN inspection i ON i.id = f.inspection_id JOIN enterprise e ON e.id = i.enterprise_id")


def _content(path) -> dict[str, list]:
    connection = sqlite3.connect(path)
    try:
        return {
            "finding": sorted(connection.execute(CONTENT).fetchall(), key=repr),
            # the pool's pictures differ between builds (Pillow's noise is not seeded): their number, not their hash
            "photo": sorted(connection.execute("SELECT f.item_id, p.seq, p.kind, p.created_at, p.caption, p.width "
                                               "FROM photo p JOIN finding f ON f.id = p.finding_id").fetchall(), key=repr),
            "pictures": connection.execute("SELECT kind, count(DISTINCT jpeg_sha256) FROM photo GROUP BY kind "
                                           "ORDER BY kind").fetchall(),
            "hazard_event": sorted(connection.execute("SELECT at, from_status, to_status, deadline, note "
                                                      "FROM hazard_event").fetchall(), key=repr),
        }
    finally:
        connection.close()


def test_answered_items_are_stored_as_the_walk_through_stores_them(services):
    from inspector.core.demo.generate import build_demo

    result = build_demo(services.db, services.checklists.checklists, seed=8, inspections=30, now=NOW)
    connection = sqlite3.connect(services.db.path)
    rows = connection.execute(
        "SELECT f.id, f.created_at, f.updated_at, i.created_at, f.device_id, f.rev, f.deleted_at, f.status, f.closed_at, "
        "f.result, f.location, f.deadline, f.responsible_person FROM finding f "
        "JOIN inspection i ON i.id = f.inspection_id WHERE f.result <> 'fail'").fetchall()
    assert len(rows) == result.findings - result.hazards > 30 * 20
    for finding_id, created, updated, inspected, device, rev, deleted, status, closed, answer, *hazard in rows:
        parsed = uuid.UUID(finding_id)
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122 and str(parsed) == finding_id
        assert created == updated == inspected and device == services.db.device_id
        assert (rev, deleted, status, closed) == (1, None, "pending", None)
        assert answer in ("pass", "na") and hazard == ["", None, ""]
    assert connection.execute("SELECT count(*) FROM finding").fetchone()[0] == result.findings
    items = connection.execute("SELECT f.item_text, f.snapshot_id, f.item_id FROM finding f").fetchall()
    import json

    from inspector.core.records.checklists import checklist_from_snapshot

    lists = {sid: checklist_from_snapshot(json.loads(content))
             for sid, content in connection.execute("SELECT id, content FROM checklist_snapshot")}
    assert all(lists[sid].item(item_id).text == text for text, sid, item_id in items)
    connection.close()


def test_the_statement_writes_exactly_the_rows_the_python_expansion_gives(services, monkeypatch):
    """answers.insert (SQL) and answers.finding_rows (Python, for other databases) agree column by column, ids too."""
    from inspector.core.demo import answers, generate

    kept = []
    real = answers.insert

    def keep(connection, chunk, device_id):
        kept.append(chunk)
        return real(connection, chunk, device_id)

    monkeypatch.setattr(generate, "insert_answers", keep)
    generate.build_demo(services.db, services.checklists.checklists, seed=6, inspections=25, living_office=True, now=NOW)
    (chunk,) = kept
    holder = answers.Answers()
    holder.items, holder.rows = chunk.items, chunk.rows
    expected = sorted(answers.finding_rows(holder, services.db.device_id))
    connection = sqlite3.connect(services.db.path)
    written = sorted(connection.execute(f"SELECT {', '.join(answers.COLUMNS)} FROM finding WHERE result <> 'fail'"))
    connection.close()
    assert len(written) == chunk.count > 25 * 20 and written == expected


def test_a_new_file_written_in_chunks_holds_what_one_transaction_writes(tmp_path, monkeypatch):
    """Same seed and clock: the writer thread's chunks, the photos ahead and the stored tuples give the rows the
    plain path gives (small chunks, so the batch takes several)."""
    from inspector.core.demo import generate
    from inspector.services import Services

    monkeypatch.setattr(generate, "ANSWER_CHUNK", 7)
    plain = Services(tmp_path / "plain")
    checklists = plain.checklists.checklists
    generate.build_demo(plain.db, checklists, seed=9, inspections=40, photos_per_hazard=2, now=NOW)
    plain.close()
    (tmp_path / "new").mkdir()
    opened = []

    def open_database():
        opened.append(Services(tmp_path / "new"))
        return opened[0].db

    result = generate.build_demo_in_new_database(tmp_path / "new" / "inspector.db", tmp_path / "new" / "backups",
                                                 open_database, checklists, seed=9, inspections=40,
                                                 photos_per_hazard=2, now=NOW)
    device = opened[0].db.device_id
    opened[0].close()
    built = _content(tmp_path / "new" / "inspector.db")
    assert built == _content(tmp_path / "plain" / "inspector.db")
    assert len(built["finding"]) == result.findings and len(built["photo"]) > result.hazards * 2
    connection = sqlite3.connect(tmp_path / "new" / "inspector.db")
    assert connection.execute("SELECT count(*) FROM finding WHERE device_id <> ?", (device,)).fetchone() == (0,)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()


def test_no_inspection_of_the_batch_lies_later_today_than_now(services):
    """Run just after midnight in China (16:00 UTC), a random inspection dated today used to start at 8-16 h:
    hours still to come, which ``inspector check`` reports as later than now."""
    from inspector.core.demo.generate import build_demo

    now = datetime.combine(date(2026, 12, 2), time(0, 30), CHINA_TZ).astimezone(timezone.utc)
    build_demo(services.db, services.checklists.checklists, seed=1, inspections=400, living_office=True, now=now)
    connection = sqlite3.connect(services.db.path)
    stored_now = now.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    for table, column in [("inspection", "started_at"), ("inspection", "ended_at"), ("inspection", "created_at"),
                          ("finding", "created_at"), ("photo", "created_at"), ("photo", "captured_at"),
                          ("hazard_event", "at"), ("reinspection", "started_at")]:
        latest = connection.execute(f"SELECT max({column}) FROM {table}").fetchone()[0]
        assert latest <= stored_now, (table, column, latest)
    today = now.astimezone(CHINA_TZ).date()
    days = {datetime.fromisoformat(text[:19]).replace(tzinfo=timezone.utc).astimezone(CHINA_TZ).date()
            for (text,) in connection.execute("SELECT started_at FROM inspection")}
    assert today - timedelta(days=1) in days  # the batch still reaches up to the present
    connection.close()
