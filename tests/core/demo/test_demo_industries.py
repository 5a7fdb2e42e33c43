"""Demo enterprises are registered under a real industry and inspected with what a new inspection offers it.

Everything is read back from the database (enterprise.industry, inspection.snapshot_ids, the snapshots'
content, the findings), then compared with :func:`suggested_checklists` / :func:`finding_defaults`.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, time, timezone

import pytest

from inspector.core.common.clock import CHINA_TZ
from inspector.core.records.checklists import checklist_from_snapshot
from inspector.core.records.industries import finding_defaults, matching_industries, suggested_checklists
from inspector.core.records.sectors import INDUSTRY_SECTORS, SECTORS

SPECIALTY_NAMES = {name for sector, name in SECTORS.items() if sector not in INDUSTRY_SECTORS}  # not an industry


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One living demo over every trade (built once: the tests only read it)."""
    from inspector.core.demo.generate import build_demo
    from inspector.core.demo.trades import TRADES
    from inspector.services import Services

    services = Services(tmp_path_factory.mktemp("demo-industries"))
    now = datetime.combine(date(2026, 6, 15), time(12), CHINA_TZ).astimezone(timezone.utc)
    build_demo(services.db, services.checklists.checklists, seed=11, inspections=120, enterprises=len(TRADES),
               living_office=True, now=now)
    yield services
    services.close()


@pytest.fixture
def demo(built):
    connection = sqlite3.connect(built.db.path)
    yield connection
    connection.close()


def _inspections(connection):
    snapshots = {sid: checklist_from_snapshot(json.loads(content)) for sid, content in
                 connection.execute("SELECT id, content FROM checklist_snapshot")}
    rows = connection.execute("SELECT i.id, i.status, i.snapshot_ids, e.industry, e.name FROM inspection i "
                              "JOIN enterprise e ON e.id = i.enterprise_id").fetchall()
    return [(iid, status, [(s, snapshots[s]) for s in json.loads(sids)], industry, name)
            for iid, status, sids, industry, name in rows]


def test_every_inspection_used_the_lists_suggested_for_its_enterprises_industry(built, demo):
    loaded = built.checklists.checklists
    inspections = _inspections(demo)
    assert len(inspections) == 126
    for _, _, used, industry, name in inspections:
        assert industry not in SPECIALTY_NAMES and matching_industries(industry), (name, industry)
        assert [checklist.id for _, checklist in used] == [c.id for c in suggested_checklists(industry, loaded)], (name, industry)
    industries = {industry for *_, industry, _ in inspections}
    assert len(industries) >= 15


@pytest.mark.parametrize("word, sectors", [("纺织", {"textile", "fire"}), ("铸造", {"machinery"}),
                                           ("家具", {"furniture", "dust"}), ("冷链", {"cold_storage", "trade"})])
def test_the_trades_get_their_industry_list_beside_the_specialty_lists(demo, word, sectors):
    lists = [{checklist.sector for _, checklist in used} for _, _, used, industry, _ in _inspections(demo) if word in industry]
    assert lists and all(sectors <= used for used in lists), lists


def test_findings_follow_the_walk_through_and_hazards_carry_the_industrys_defaults(demo):
    majors = 0
    for inspection_id, status, used, industry, _ in _inspections(demo):
        findings = demo.execute("SELECT snapshot_id, item_id, seq, result, description, level, major_clause, "
                                "requirement, basis FROM finding WHERE inspection_id = ? ORDER BY seq",
                                (inspection_id,)).fetchall()
        items = [(sid, item.id) for sid, checklist in used for item in checklist.items]
        seqs = [row[2] for row in findings]
        if status == "completed":
            assert seqs == list(range(1, len(items) + 1))  # every item of every list answered
        assert [(row[0], row[1]) for row in findings] == [items[n - 1] for n in seqs]
        for row in findings:
            if row[3] != "fail":
                assert row[4:] == ("", "general", "", "", "")
                continue
            checklist = dict(used)[row[0]]
            failed = {r[1] for r in findings if r[0] == row[0] and r[3] == "fail"}
            expected = finding_defaults(checklist.item(row[1]), industry, failed)
            assert dict(zip(("description", "level", "major_clause", "requirement", "basis"), row[4:])) == expected
            majors += expected["level"] == "major"
    assert majors >= 3
