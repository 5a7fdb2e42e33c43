"""The demo's present day: a few cases dated relative to today, so every tab has something to show.

The random batch of :mod:`inspector.core.demo.generate` lies mostly in the past, where the
closed loop has run its course (销号 or 移交执法). On top of it, one inspection per scene
below (each at another enterprise of another industry, inspected with that industry's lists), dated
from today:

* overdue — order issued three weeks ago, deadlines a week past (逾期, 应复查);
* due soon — order issued, deadlines tomorrow and in three days (3日内到期);
* awaiting review — order issued, the enterprise reported it rectified yesterday (待复查);
* open major — a 重大事故隐患 under an issued order, deadline in three weeks (重大未销号);
* to issue — completed yesterday, hazards 待整改 with no document yet (生成文书 has work);
* draft — an inspection started this morning and half answered (草稿, resumes in the walk-through).

Then this device gets number blocks (号段) for every document kind of the current year (and
of any earlier year a scene's document falls in), and the scenes' documents are issued
for real: numbered, rendered and stored like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from inspector.core.common.clock import CHINA_TZ

if TYPE_CHECKING:
    from inspector.db.database import Database

BLOCK_SIZE = 100  # numbers per kind and year handed to the demo laptop
BLOCK_KINDS = ("order", "park", "record", "review")


@dataclass(frozen=True)
class Scene:
    name: str
    days_ago: int  # inspection day, counted back from today
    deadlines: tuple[int, ...]  # one hazard per entry: its deadline in days from today
    documents: tuple[str, ...] = ()  # kinds issued on the inspection day
    major: bool = False
    draft: bool = False
    reported_days_ago: int | None = None  # the enterprise reported it rectified (待复查)


SCENES = (
    Scene("overdue", 21, (-7, -3), documents=("park",)),
    Scene("due_soon", 12, (1, 3), documents=("order", "record")),
    Scene("awaiting_review", 16, (5,), documents=("park",), reported_days_ago=1),
    Scene("open_major", 6, (20, 10), documents=("order",), major=True),
    Scene("to_issue", 1, (10, 14)),
    Scene("draft", 0, (7,), draft=True),
)


def add_present_day(batch) -> list[tuple[Scene, dict]]:
    """Append the scenes' inspections (with hazards and photos) to the batch, in memory."""
    from inspector.db.models import Enterprise

    today = batch.now.astimezone(CHINA_TZ).date()
    names = {row["id"]: row["legal_representative"] for row in batch.rows[Enterprise]}
    staged = []
    for scene, enterprise_id in _cast(batch, SCENES):
        staged.append((scene, _scene_inspection(batch, scene, enterprise_id, today, names.get(enterprise_id, ""))))
    return staged


def _cast(batch, scenes) -> list[tuple[Scene, str]]:
    """One enterprise per scene, each of another industry where there are enough; a major scene goes to
    an enterprise one of whose lists has an item that is 重大 for it."""
    free = list(batch.enterprise_ids)
    cast: list[tuple[Scene, str]] = []
    for scene in sorted(scenes, key=lambda s: not s.major):
        fits = [e for e in free if not scene.major or _items(batch, e, major=True)]
        if not fits:
            continue
        used = {batch.trades[e].industry for _, e in cast}
        enterprise_id = next((e for e in fits if batch.trades[e].industry not in used), fits[0])
        free.remove(enterprise_id)
        cast.append((scene, enterprise_id))
    return sorted(cast, key=lambda item: scenes.index(item[0]))


def _items(batch, enterprise_id: str, *, major: bool) -> list[tuple]:
    """(list, item) pairs of the enterprise's lists in walk-through order whose failure is 重大 for its
    industry (``major``), or never is, whatever else fails beside it."""
    from inspector.core.records.industries import finding_level

    industry = batch.trades[enterprise_id].industry  # the lists too: those the industry is offered
    pairs = batch.scene_items.get((industry, major))
    if pairs is not None:
        return pairs
    pairs = batch.scene_items[(industry, major)] = []
    for checklist in batch.lists[enterprise_id]:
        every = {item.id for item in checklist.items}
        for item in checklist.items:
            level = finding_level(item, industry, {item.id} if major else every)[0]
            if (level == "major") == major:
                pairs.append((checklist, item))
    return pairs


def _scene_inspection(batch, scene: Scene, enterprise_id: str, today: date, responsible: str) -> dict:
    from inspector.db.models import Inspector

    lists = batch.lists[enterprise_id]
    day = today - timedelta(days=scene.days_ago)
    start = datetime.combine(day, time(9, 30), CHINA_TZ).astimezone(timezone.utc)
    if scene.draft:
        start = min(start, batch.now - timedelta(minutes=40))
    inspection = batch.inspection(enterprise_id, start, not scene.draft, batch.trades[enterprise_id].places[0],
                                  [row["id"] for row in batch.rows[Inspector][:2]])
    total = sum(len(checklist.items) for checklist in lists)
    answered = max(3, total // 2) if scene.draft else total  # a draft: the first half of the walk-through
    failing = _failing_items(batch, enterprise_id, len(scene.deadlines), scene.major, answered)
    deadlines = {key: today + timedelta(days=days) for key, days in zip(failing, scene.deadlines)}
    answers, left = [], answered
    for checklist in lists:
        answers.append(["fail" if (checklist.id, item.id) in deadlines else "pass" for item in checklist.items[:left]])
        left = max(0, left - len(checklist.items))
    batch.add_findings(inspection, lists, answers, day, deadlines, responsible, photos=max(1, batch.photos_per_hazard))
    return inspection


def _failing_items(batch, enterprise_id: str, count: int, major: bool, answered: int) -> list[tuple[str, str]]:
    """The scene's hazards, (list id, item id): a 重大 one first when asked (of the industry list when it has
    one), then the first answered items that are never 重大, so the documents show the industry's own list."""
    order = {(c.id, i.id): n for n, (c, i) in enumerate((c, i) for c in batch.lists[enterprise_id] for i in c.items)}
    plain = [(c.id, i.id) for c, i in _items(batch, enterprise_id, major=False) if order[(c.id, i.id)] < answered]
    chosen = []
    if major:
        majors = _items(batch, enterprise_id, major=True)
        chosen.append(next(((c.id, i.id) for c, i in majors if c is batch.lists[enterprise_id][0]),
                           (majors[0][0].id, majors[0][1].id)))
    return (chosen + plain)[:count]


def warm_up_documents(config) -> None:
    """Import the modules issuing the present day's documents takes, and resolve their fonts, ahead: called
    while the generator's thread would only wait for the writer thread (a new file), it takes them off the
    critical path (~0.2 s of a cold ``inspector demo``). Issues nothing and writes nothing."""
    import inspector.core.documents.issue_dates  # noqa: F401
    import inspector.core.documents.notice_data  # noqa: F401
    import inspector.core.documents.notices  # noqa: F401
    import inspector.core.documents.render  # noqa: F401
    import inspector.core.documents.seal  # noqa: F401
    import inspector.core.loop.hazards  # noqa: F401
    from inspector.core.documents.fonts import font_set

    if config is None:
        from inspector.core.documents import load_config

        config = load_config()
    font_set(config.fonts)


# --- after the batch is written ---------------------------------------------------------------

def finish_present_day(db: "Database", staged: list[tuple[Scene, dict]], config, now: datetime) -> int:
    """Number blocks, then the scenes' documents and reports; returns the number of documents issued."""
    today = now.astimezone(CHINA_TZ).date()
    years = {today.year} | {_issue_day(scene, today).year for scene, _ in staged if scene.documents}
    for year in sorted(years):
        ensure_blocks(db, config, year)
    issued = 0
    for scene, inspection in staged:
        for kind in scene.documents:
            _issue(db, config, inspection, kind, _issue_day(scene, today), today)
            issued += 1
        if scene.reported_days_ago is not None:
            _report_rectified(db, inspection, now - timedelta(days=scene.reported_days_ago), today)
    return issued


def _issue_day(scene: Scene, today: date) -> date:
    return today - timedelta(days=scene.days_ago)


def ensure_blocks(db: "Database", config, year: int) -> None:
    """A block of :data:`BLOCK_SIZE` numbers per kind for this device, after any other device's."""
    from inspector.core.documents.numbering import add_block, list_blocks, series_prefix

    blocks = list_blocks(db)
    for kind in BLOCK_KINDS:
        prefix = series_prefix(config, kind)
        series = [b for b in blocks if (b.kind, b.prefix, b.year) == (kind, prefix, year)]
        if any(b.assigned_device_id == db.device_id for b in series):
            continue
        first = max((b.last for b in series), default=0) + 1
        add_block(db, kind=kind, prefix=prefix, year=year, first=first, last=first + BLOCK_SIZE - 1,
                  note="演示数据")


def _issue(db: "Database", config, inspection: dict, kind: str, day: date, today: date) -> None:
    from sqlalchemy import text

    from inspector.core.documents.notices import issue_for_inspection

    notice = issue_for_inspection(db, inspection["id"], kind, config, issued_on=day, today=today,
                                  backdate_reason="演示数据：模拟当日签发的文书" if day < today else "")
    moment = datetime.combine(day, time(11, 40), CHINA_TZ).astimezone(timezone.utc)
    with db.session() as session:  # the demo's documents were issued on their day, not now
        session.execute(text("UPDATE notice SET issued_at = :at, created_at = :at WHERE id = :id"),
                        {"at": _db_time(moment), "id": notice.id})
        session.execute(text("UPDATE hazard_event SET at = :at, created_at = :at WHERE notice_id = :id"),
                        {"at": _db_time(moment), "id": notice.id})


def _report_rectified(db: "Database", inspection: dict, when: datetime, today: date) -> None:
    from sqlmodel import select

    from inspector.core.loop.hazards import apply_transition
    from inspector.db.models import Finding

    with db.session() as session:
        hazards = session.exec(select(Finding).where(Finding.inspection_id == inspection["id"],
                                                     Finding.result == "fail")).all()
        for finding in hazards:
            apply_transition(session, db.device_id, finding.id, "awaiting_review", inspection["inspector_ids"][-1],
                             "企业报告整改完成，申请复查", today=today, at=when)


def _db_time(moment: datetime) -> str:
    from inspector.db.types import to_utc_text

    return to_utc_text(moment)
