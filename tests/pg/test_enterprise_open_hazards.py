"""The 企业 tab's detail (``core/records/enterprises.open_hazards``: an enterprise's hazards not yet closed) on the
laptop's file and on the office server (``any_db``). On the server a DATE column comes back as a ``date``: the
old ``date.fromisoformat(deadline)`` raised TypeError there, so selecting an enterprise with a dated hazard in
the GUI on the office database raised in the Qt event loop (found by tests/pg/test_gui_server_finding_fields.py)."""

from __future__ import annotations

from datetime import timedelta

from tests.loop_helpers import make_site


def test_open_hazards_with_deadlines_major_first_and_closed_ones_left_out(any_db):
    from inspector.core.common.clock import local
    from inspector.core.loop import hazards
    from inspector.core.records.enterprises import open_hazards

    site = make_site(any_db, hazards=3, levels=("general", "major"), found_days_ago=10, deadline_days=7)
    found = open_hazards(any_db, site.enterprise_id)
    general, major, third = site.finding_ids
    assert [h.finding_id for h in found][0] == major and {h.finding_id for h in found} == set(site.finding_ids)
    found_on = local(found[0].inspected_at).date()  # make_site: the deadline is 7 days after the China day found
    assert [h.deadline for h in found] == [found_on + timedelta(days=7)] * 3

    hazards.escalate(any_db, third, site.inspector_ids[0], "拒不整改")  # escalated: still not closed
    assert {h.finding_id for h in open_hazards(any_db, site.enterprise_id)} == set(site.finding_ids)
    with any_db.session() as session:
        from inspector.db.models import Finding

        session.get(Finding, general).status = "closed"
    assert [h.finding_id for h in open_hazards(any_db, site.enterprise_id)] == [major, third]
