"""The same data on the laptop's SQLite file and on the office's PostgreSQL server give the same ledger
(rows, every xlsx cell, the csv bytes) and the same monthly analysis (every figure, a closed month).

The demo database (closed loop: re-inspections, events, escalations, after photos) gets notices and the
cases where the backends could differ — a finding at 17:30 UTC (the next China day), a photo taken at
18:00 UTC, a finding without deadline at an enterprise without 行业, a team naming an unknown inspector,
a re-inspection that sets a new deadline — and is then copied row by row to a fresh server database.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta, timezone

import pytest

TODAY = date(2026, 12, 1)
COPIED = ["enterprise", "inspector", "checklist_snapshot", "inspection", "finding", "photo", "hazard_event",
          "reinspection", "reinspection_item", "notice"]


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def _add_edge_cases(db) -> None:
    from sqlmodel import select

    from inspector.db.models import Enterprise, Finding, HazardEvent, Inspection, Inspector, Notice, Photo

    with db.session() as session:
        findings = session.exec(select(Finding).where(Finding.result == "fail").order_by(Finding.id)).all()
        inspections = {i.id: i for i in session.exec(select(Inspection)).all()}
        officer = session.exec(select(Inspector).order_by(Inspector.id)).first()
        late = Enterprise(name="兴国县夜班加工有限公司", industry="", device_id=db.device_id)
        session.add(late)
        session.flush()
        night = Inspection(enterprise_id=late.id, started_at=_utc("2026-10-05T17:30:00"), status="completed",
                           inspector_ids=[officer.id, "00000000-0000-0000-0000-000000000000"], method="暗查暗访",
                           device_id=db.device_id)
        session.add(night)
        session.flush()
        open_one = Finding(inspection_id=night.id, item_id=None, item_text="自由记录", result="fail", seq=1,
                           description="夜间值守人员脱岗", level="major", major_clause="第三条", basis="依据",
                           status="escalated", device_id=db.device_id)
        dated = Finding(inspection_id=night.id, item_id="TY-01", item_text="检查项", result="fail", seq=2,
                        description="", level="general", deadline=date(2026, 10, 20), status="closed",
                        closed_at=_utc("2026-10-31T16:10:00"), device_id=db.device_id)
        session.add_all([open_one, dated])
        session.flush()
        session.add(Photo(finding_id=dated.id, jpeg=b"x", thumbnail=b"x", original_sha256="a" * 64,
                          jpeg_sha256="b" * 64, captured_at=_utc("2026-10-05T18:00:05.250000"),
                          original_name="IMG_0001.JPG", kind="before", device_id=db.device_id))
        session.add_all([
            HazardEvent(finding_id=dated.id, at=_utc("2026-10-06T16:30:00"), inspector_id=officer.id,
                        from_status="pending", to_status="rectifying", deadline=date(2026, 10, 25), note="延期",
                        device_id=db.device_id),
            HazardEvent(finding_id=open_one.id, at=_utc("2026-11-02T01:00:00"), inspector_id="unknown",
                        from_status="rectifying", to_status="escalated", note="移交", device_id=db.device_id),
        ])
        first, second = findings[0], findings[1]

        def notice(kind, ids, day, number, status="issued"):
            session.add(Notice(kind=kind, enterprise_id=inspections[first.inspection_id].enterprise_id,
                               inspection_id=first.inspection_id, finding_ids=ids, number_text=number,
                               issued_at=_utc(day), status=status, pdf=b"%PDF", pdf_sha256="0" * 64,
                               content_sha256="0" * 64, device_id=db.device_id))

        notice("order", [first.id, second.id], "2026-10-07T02:00:00", "兴经开责改〔2026〕7号")
        notice("park", [first.id], "2026-10-08T02:00:00", "兴经开安通〔2026〕3号")
        notice("review", [second.id, dated.id], "2026-11-08T02:00:00", "兴经开复查〔2026〕2号")
        notice("order", [second.id], "2026-11-09T02:00:00", "兴经开责改〔2026〕9号", status="voided")
        notice("record", [dated.id], "2026-11-10T02:00:00", "")


def _copy_to_server(source, target) -> None:
    from sqlalchemy import insert, select
    from sqlmodel import SQLModel

    import inspector.db.models  # noqa: F401  (the tables)

    tables = {table.name: table for table in SQLModel.metadata.sorted_tables}
    with source.engine.connect() as reading, target.engine.begin() as writing:
        for name in COPIED:
            rows = [dict(row) for row in reading.execute(select(tables[name])).mappings()]
            if rows:
                writing.execute(insert(tables[name]), rows)


@pytest.fixture
def both(demo_services, pg_db):
    _add_edge_cases(demo_services.db)
    _copy_to_server(demo_services.db, pg_db)
    return demo_services.db, pg_db


def _filters(db):
    from inspector.core.reports.ledger import LedgerFilter, make_filter

    return [LedgerFilter(), make_filter(db, date_from=date(2026, 3, 1), date_to=date(2026, 10, 6)),
            make_filter(db, status="逾期"), make_filter(db, status="已销号"), make_filter(db, status="移交执法"),
            make_filter(db, sector="cold_storage")]


def test_the_ledger_rows_are_the_same_on_both(both):
    from inspector.core.reports.ledger import ledger_rows

    laptop, server = both
    for laptop_filter, server_filter in zip(_filters(laptop), _filters(server)):
        assert laptop_filter == server_filter
        rows = ledger_rows(laptop, laptop_filter, today=TODAY)
        assert rows == ledger_rows(server, server_filter, today=TODAY), laptop_filter.describe()
    every = ledger_rows(server, today=TODAY)
    assert len(every) == len(ledger_rows(laptop, today=TODAY)) > 20
    by_number = {row.description: row for row in every}
    night = by_number["夜间值守人员脱岗"]
    assert night.found_on == date(2026, 10, 6) and night.industry == "" and night.deadline is None
    assert night.inspectors.count("、") == 0 and night.status == "escalated"  # the unknown id is left out
    dated = by_number["检查项"]
    assert dated.closed_on == date(2026, 11, 1) and dated.review_notice == "兴经开复查〔2026〕2号"
    assert dated.photos[0].captured_local == datetime(2026, 10, 6, 2, 0, 5)
    assert any("新整改期限 2026-10-25" in step for step in dated.process) and "整改期限 2026-10-20" not in dated.process[0]
    assert "兴经开责改〔2026〕7号；兴经开安通〔2026〕3号" in {row.notices for row in every}
    assert "兴经开责改〔2026〕9号" not in "".join(row.notices for row in every)  # voided
    assert any(row.reinspected_on and row.reinspected_by for row in every)
    assert sum(len(row.photos) for row in every) > 10


def _cells(path) -> dict:
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in workbook}


def test_the_xlsx_and_csv_files_are_the_same_on_both(both, tmp_path):
    from inspector.core.reports.ledger_export import export_ledger

    laptop, server = both
    for suffix in (".xlsx", ".csv"):
        counts = [export_ledger(db, tmp_path / f"{name}{suffix}", today=TODAY, unit="兴国县应急管理局")
                  for name, db in (("laptop", laptop), ("server", server))]
        assert counts[0] == counts[1] > 20
    laptop_cells, server_cells = _cells(tmp_path / "laptop.xlsx"), _cells(tmp_path / "server.xlsx")
    assert laptop_cells == server_cells
    assert len(laptop_cells["照片附录"]) > 10
    assert (tmp_path / "laptop.csv").read_bytes() == (tmp_path / "server.csv").read_bytes()
    with open(tmp_path / "server.csv", encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle))) == counts[0] + 1


def test_the_monthly_analysis_is_the_same_on_both(both):
    from inspector.core.reports.analysis import monthly_analysis, months_with_data
    from inspector.core.reports.analysis_codec import to_json

    laptop, server = both
    months = months_with_data(laptop)
    assert months == months_with_data(server) and len(months) >= 6
    escalated = documents = 0
    for month in months + [months[0] + timedelta(days=40)]:
        figures = to_json(monthly_analysis(laptop, month, today=TODAY))
        assert figures == to_json(monthly_analysis(server, month, today=TODAY)), month
        escalated += figures["activity"]["escalated"]
        documents += sum(figures["activity"]["documents"].values())
    assert escalated >= 2 and documents == 4  # the voided order is not counted


def test_a_closed_month_is_stored_and_read_back_the_same_on_both(both):
    from sqlalchemy import text

    from inspector.core.reports.analysis_codec import to_json
    from inspector.core.reports.analysis_snapshot import analysis_for, close_month

    laptop, server = both
    october = date(2026, 10, 1)
    stored = [close_month(db, october, closed_by="钟主任", document_number="兴经开安析〔2026〕10号", today=TODAY)
              for db in (laptop, server)]
    assert to_json(stored[0]) == to_json(stored[1])
    texts = []
    for db in (laptop, server):
        with db.session() as session:
            texts.append(session.execute(text("SELECT CAST(content AS TEXT), content_sha256 FROM analysis_snapshot"))
                         .one())
    assert texts[0] == texts[1]
    results = [analysis_for(db, october, today=TODAY) for db in (laptop, server)]
    assert results[0].analysis == results[1].analysis and results[0].warning == results[1].warning == ""
    assert [(r.closed.closed_by, r.closed.document_number) for r in results] == [("钟主任", "兴经开安析〔2026〕10号")] * 2
