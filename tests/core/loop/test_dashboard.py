"""Dashboard: overdue, due within 3 days, re-inspections due, open major; per enterprise and sector."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from inspector.core.loop.dashboard import categories_of, load_dashboard
from tests.loop_helpers import make_site, today


def test_categories_follow_deadline_status_and_level():
    day = date(2025, 3, 10)
    assert categories_of("rectifying", "general", date(2025, 3, 9), day) == {"overdue", "reinspection_due"}
    assert categories_of("rectifying", "general", day, day) == {"due_soon"}
    assert categories_of("pending", "general", date(2025, 3, 13), day) == {"due_soon"}
    assert categories_of("pending", "general", date(2025, 3, 14), day) == frozenset()
    assert categories_of("awaiting_review", "general", date(2025, 4, 1), day) == {"reinspection_due"}
    assert categories_of("pending", "major", None, day) == {"open_major"}


def test_counts_and_groups_on_a_built_database(services):
    from inspector.core.loop import hazards
    db = services.db
    late = make_site(db, hazards=2, levels=("general", "major"), found_days_ago=20, deadline_days=5,
                     name="兴国县甲冷链有限公司")
    soon = make_site(db, hazards=1, levels=("general",), found_days_ago=1, deadline_days=3,
                     name="兴国县乙燃气有限公司", industry="燃气（餐饮/瓶装液化石油气）")
    done = make_site(db, hazards=1, levels=("major",), found_days_ago=1, deadline_days=30,
                     name="兴国县丙木业有限公司", industry="粉尘涉爆")
    hazards.escalate(db, done.finding_ids[0], done.inspector_ids[0], "拒不整改")
    board = load_dashboard(db)
    assert board.counts == {"overdue": 2, "due_soon": 1, "reinspection_due": 2, "open_major": 1}
    assert {h.finding_id for h in board.hazards_in("overdue")} == set(late.finding_ids)
    assert [h.finding_id for h in board.hazards_in("due_soon")] == soon.finding_ids
    assert board.hazards_in("overdue")[0].days_overdue(board.today) == 15
    assert [g.name for g in board.by_enterprise] == ["兴国县甲冷链有限公司", "兴国县乙燃气有限公司"]
    assert board.by_enterprise[0].counts["overdue"] == 2
    assert {g.name: g.counts["due_soon"] for g in board.by_sector} == {"冷库/涉氨制冷": 0, "燃气（餐饮/瓶装液化石油气）": 1}
    assert board.hazards_in(enterprise_id=soon.enterprise_id) == board.hazards_in("due_soon")
    assert board.as_json()["counts"]["overdue"] == 2


def test_demo_dashboard_matches_plain_sql(demo_services, demo_dir):
    board = load_dashboard(demo_services.db)
    connection = sqlite3.connect(demo_dir / "inspector.db")
    overdue = connection.execute(
        "SELECT count(*) FROM finding WHERE result = 'fail' AND deleted_at IS NULL AND deadline < ? "
        "AND status IN ('pending', 'rectifying', 'awaiting_review')", (today().isoformat(),)).fetchone()[0]
    major = connection.execute(
        "SELECT count(*) FROM finding WHERE result = 'fail' AND deleted_at IS NULL AND level = 'major' "
        "AND status IN ('pending', 'rectifying', 'awaiting_review')").fetchone()[0]
    connection.close()
    assert board.counts["overdue"] == overdue > 0
    assert board.counts["open_major"] == major
    assert sum(g.counts["overdue"] for g in board.by_enterprise) == overdue
    assert sum(g.counts["overdue"] for g in board.by_sector) == overdue
    assert all(h.deadline < board.today for h in board.hazards_in("overdue"))
    assert board.today + timedelta(days=3) >= max((h.deadline for h in board.hazards_in("due_soon")),
                                                  default=board.today)


def test_a_big_dashboard_holds_the_first_hazards_of_each_category_and_counts_them_all(services):
    db = services.db
    late = make_site(db, hazards=3, levels=("general", "major", "general"), found_days_ago=20, deadline_days=5,
                     name="兴国县甲冷链有限公司")
    other = make_site(db, hazards=2, levels=("general", "general"), found_days_ago=10, deadline_days=3,
                      name="兴国县乙燃气有限公司", industry="燃气（餐饮/瓶装液化石油气）")
    full, board = load_dashboard(db), load_dashboard(db, limit=2)
    assert full.complete and not board.complete
    assert board.counts == full.counts == {"overdue": 5, "due_soon": 0, "reinspection_due": 5, "open_major": 1}
    assert [(g.key, g.counts) for g in board.by_enterprise] == [(g.key, g.counts) for g in full.by_enterprise]
    assert [(g.key, g.counts) for g in board.by_sector] == [(g.key, g.counts) for g in full.by_sector]
    assert 2 <= len(board.hazards) < len(full.hazards) == 5  # the first two of each category
    for category in ("overdue", "reinspection_due", "open_major"):
        assert board.hazards_in(category) == full.hazards_in(category)[:2]
    for site in (late, other):  # a group is read from the database: its first ones (the limit) too
        assert board.hazards_in("overdue", enterprise_id=site.enterprise_id) == full.hazards_in(
            "overdue", enterprise_id=site.enterprise_id)[:2]
    assert {h.finding_id for h in board.hazards_in(enterprise_id=other.enterprise_id)} == set(other.finding_ids)
    assert board.hazards_in("open_major", enterprise_id=late.enterprise_id)[0].finding_id == late.finding_ids[1]
    assert board.hazards_in("overdue", sector="燃气（餐饮/瓶装液化石油气）") == full.hazards_in(
        "overdue", sector="燃气（餐饮/瓶装液化石油气）")
    assert board.as_json()["complete"] is False
