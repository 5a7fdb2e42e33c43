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


def order_hazards(db, inspection_id: str) -> int:
    """How many hazards of the inspection an order (责令限期整改指令书) lists: fire matters never enter it
    (they go to a referral or the park notice), so a fire-only inspection counts 0. Demo inspections use
    their industry's lists beside the fire list, so an enterprise's trade no longer tells which these are."""
    from inspector.core.documents.notice_data import inspection_document
    from inspector.errors import UserError

    try:
        return len(inspection_document(db, inspection_id, "order").finding_ids)
    except UserError:
        return 0


def order_hazard_counts(data_dir) -> dict[str, int]:
    """:func:`order_hazards` of every inspection of a data directory (for the CLI tests)."""
    from sqlmodel import select

    from inspector.db.models import Inspection
    from inspector.services import Services

    services = Services(data_dir)
    try:
        with services.db.session() as session:
            ids = list(session.exec(select(Inspection.id)).all())
        return {inspection_id: order_hazards(services.db, inspection_id) for inspection_id in ids}
    finally:
        services.close()
