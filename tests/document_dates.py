"""Demo inspections lie in the past; a document issued today may not carry deadlines already passed
(``inspector.core.documents.issue_dates``). Tests that issue today from demo data move them."""

from __future__ import annotations

from datetime import timedelta


def future_deadlines(db, days: int = 30) -> None:
    """Give every dated hazard (not the 立即整改 ones, due on the inspection day) a deadline after today."""
    from sqlmodel import select

    from inspector.core.common.clock import local, local_today
    from inspector.db.models import Finding, Inspection

    with db.session() as session:
        for finding in session.exec(select(Finding).where(Finding.result == "fail")).all():
            inspection = session.get(Inspection, finding.inspection_id)
            if finding.deadline is not None and finding.deadline > local(inspection.started_at).date():
                finding.deadline = local_today() + timedelta(days=days + finding.seq % 7)
                session.add(finding)
