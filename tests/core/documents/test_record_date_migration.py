"""Migration 0005: notices keep the date they printed; old rows get it from their PDF's payload."""

from __future__ import annotations

import shutil
import sqlite3

from inspector.core.documents import notices, read_embedded_payload
from inspector.db.database import Database
from tests.helpers import FIXTURES


def test_old_notices_get_the_date_their_pdf_printed(tmp_path):
    path = tmp_path / "schema_v3.db"
    shutil.copy(FIXTURES / "schema_v3.db", path)
    with sqlite3.connect(path) as old:
        [(pdf, issued_at)] = old.execute("SELECT pdf, issued_at FROM notice").fetchall()
    printed = read_embedded_payload(pdf)["issued_on"]
    db = Database.open(path, tmp_path / "backups")
    [summary] = notices.notice_summaries(db)
    assert summary.record_date.isoformat() == printed and summary.backdate_reason == ""
    notice = notices.get_notice(db, summary.id)
    assert notice.issued_on.isoformat() == printed and notice.printed_deadlines == {}
    assert notices.verify_pdf(db, pdf).ok and f"{printed}签发" in notices.verify_pdf(db, pdf).message


def test_a_pdf_without_a_payload_falls_back_to_the_china_date_of_issued_at(tmp_path):
    import importlib

    step = importlib.import_module("inspector.db.migrations.0005_notice_record_date")
    assert step.printed_date(b"%PDF-1.4 no payload") is None
    assert step.printed_date(b"/XGAQPayload (XGAQ1|park||X|2026-03-12|" + b"a" * 64 + b")") == "2026-03-12"
    connection = sqlite3.connect(":memory:")
    assert step._china_date(connection, "2026-03-11T17:30:00Z") == "2026-03-12"  # 01:30 in China
