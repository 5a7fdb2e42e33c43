"""Demo data for the closed loop: hazard statuses with their history, re-inspections, after photos.

Called at the end of :func:`inspector.core.demo.generate.build_demo` with the batch just written.
Completed inspections get a rectification step (待整改 → 整改中); when the latest deadline
of an inspection has passed, most get a re-inspection that closes (销号, with an "after"
photo), extends or escalates each hazard; the rest stay open, some reported rectified
(待复查), some overdue. Draft inspections keep their hazards 待整改. Everything goes in
with bulk inserts in one transaction, like the rest of the demo.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from inspector.core.common.clock import CHINA_TZ

AFTER_POOL = 6
AFTER_SIZE = (480, 360)
EXTENSION_DAYS = 15  # new deadline after a failed re-inspection
SETTLED_AFTER_DAYS = 30  # in a settled office (the living demo), a case older than this has run its course


@dataclass
class _Rows:
    events: list[dict] = field(default_factory=list)
    visits: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    photos: list[dict] = field(default_factory=list)
    findings: dict[str, dict] = field(default_factory=dict)  # id -> changed columns


def add_closed_loop(batch) -> None:
    """Give the batch's hazards a life cycle, in memory: the demo's ``_Batch`` writes it all at once."""
    from inspector.db.models import Inspection

    builder = _LoopBuilder(batch)
    hazards: dict[str, list[dict]] = {}
    for finding in batch.hazards:
        hazards.setdefault(finding["inspection_id"], []).append(finding)
    for inspection in batch.rows[Inspection]:
        if inspection["id"] in hazards:
            builder.inspection(inspection, hazards[inspection["id"]])
    builder.apply()


class _LoopBuilder:
    def __init__(self, batch):
        from inspector.db.models import Enterprise

        self.batch, self.rng, self.now = batch, batch.rng, batch.now
        self.today = self.now.astimezone(CHINA_TZ).date()
        self.responsible = {e["id"]: e["legal_representative"] for e in batch.rows[Enterprise]}
        self.after_pool = _after_pool(self.rng) if batch.pool else []
        self.after_slot = self.rng.randrange(AFTER_POOL)
        self.settled = getattr(batch, "settled", False)
        self.rows = _Rows()

    def _base(self, when: datetime) -> dict:
        return self.batch._base(min(when, self.now))

    def _event(self, finding: dict, when: datetime, who: str, to_status: str, note: str,
               deadline: date | None = None, visit_id: str | None = None) -> None:
        when = min(when, self.now)
        changes = self.rows.findings.setdefault(finding["id"], {"status": "pending"})
        self.rows.events.append(self._base(when) | {
            "finding_id": finding["id"], "at": when, "inspector_id": who, "from_status": changes["status"],
            "to_status": to_status, "deadline": deadline, "reinspection_id": visit_id, "notice_id": None,
            "note": note,
        })
        changes.update(status=to_status, closed_at=when if to_status == "closed" else None, updated_at=when)
        if deadline is not None:
            changes["deadline"] = deadline

    def inspection(self, inspection: dict, found: list[dict]) -> None:
        team = inspection["inspector_ids"]
        for finding in found:
            self.rows.findings[finding["id"]] = {"status": "pending",
                                                 "responsible_person": self.responsible.get(inspection["enterprise_id"], "")}
        if inspection["status"] != "completed":
            return  # still a draft on site: hazards wait for their notice (待整改)
        issued = inspection["ended_at"] or inspection["started_at"]
        notified = [f for f in found if self.rng.random() > 0.05 or self._old(issued.astimezone(CHINA_TZ).date())]
        for finding in notified:
            self._event(finding, issued, team[0], "rectifying", "下达整改通知，企业开始整改")
        review_day = max(f["deadline"] for f in found) + timedelta(days=self.rng.randrange(1, 7))
        if notified and review_day < self.today and (self.rng.random() < 0.92 or self._old(review_day)):
            self._reinspect(inspection, notified, review_day, issued)
        else:
            self._waiting(notified, team, issued)

    def _old(self, day: date) -> bool:
        """Only in a settled office: ``day`` lies more than :data:`SETTLED_AFTER_DAYS` back."""
        return self.settled and day < self.today - timedelta(days=SETTLED_AFTER_DAYS)

    def _waiting(self, notified: list[dict], team: list[str], issued: datetime) -> None:
        for finding in notified:
            if finding["deadline"] <= self.today + timedelta(days=5) and self.rng.random() < 0.4:
                when = _at(min(finding["deadline"], self.today), 9) - timedelta(days=self.rng.randrange(0, 3))
                self._event(finding, max(when, issued + timedelta(hours=1)), team[-1], "awaiting_review",
                            "企业报告整改完成，申请复查")

    def _reinspect(self, inspection: dict, notified: list[dict], day: date, issued: datetime,
                   follow_up: bool = False) -> None:
        team, start = inspection["inspector_ids"], _at(day, 10)
        visit = self._base(start) | {
            "enterprise_id": inspection["enterprise_id"], "started_at": start,
            "ended_at": start + timedelta(hours=1), "inspector_ids": team, "status": "completed", "notes": "",
        }
        self.rows.visits.append(visit)
        again = []
        for finding in notified:
            if self.rng.random() < 0.7:
                reported = max(start - timedelta(days=1, hours=2), issued + timedelta(hours=1))
                self._event(finding, reported, team[-1], "awaiting_review",
                            "企业报告整改完成，申请复查")
            if self._judge(finding, visit, team[0], follow_up) == "not_rectified":
                again.append(finding)
        next_day = day + timedelta(days=EXTENSION_DAYS + self.rng.randrange(1, 5))
        if again and not follow_up and next_day < self.today and (self.rng.random() < 0.85 or self._old(next_day)):
            self._reinspect(inspection, again, next_day, start + timedelta(hours=1), follow_up=True)

    def _judge(self, finding: dict, visit: dict, reviewer: str, follow_up: bool) -> str:
        roll, start = self.rng.random(), visit["started_at"]
        extended = start.astimezone(CHINA_TZ).date() + timedelta(days=EXTENSION_DAYS)
        outcome, new_deadline = ("rectified", None) if roll < (0.85 if follow_up else 0.75) else (
            ("not_rectified", extended) if roll < 0.93 else ("escalated", None))
        if outcome == "rectified" and not self.after_pool:
            outcome, new_deadline = "not_rectified", extended
        if outcome == "not_rectified" and follow_up and self._old(extended):
            outcome, new_deadline = "escalated", None  # twice not rectified, long ago: handed to enforcement
        self.rows.items.append(self._base(start) | {
            "reinspection_id": visit["id"], "finding_id": finding["id"], "outcome": outcome,
            "new_deadline": new_deadline, "note": "",
        })
        at = start + timedelta(minutes=30)
        if outcome == "rectified":
            self._after_photo(finding, visit, at - timedelta(minutes=10))
            self._event(finding, at, reviewer, "closed", "复查合格，予以销号", visit_id=visit["id"])
        elif outcome == "not_rectified":
            old = self.rows.findings[finding["id"]].get("deadline", finding["deadline"])
            self._event(finding, at, reviewer, "rectifying", f"复查未整改完毕，原整改期限 {old.isoformat()}",
                        new_deadline, visit["id"])
        else:
            self._event(finding, at, reviewer, "escalated", "复查未整改，移交执法", visit_id=visit["id"])
        return outcome

    def _after_photo(self, finding: dict, visit: dict, when: datetime) -> None:
        self.after_slot += 1  # in turn: one visit's after photos differ while the pool lasts
        jpeg, thumbnail, digest = self.after_pool[self.after_slot % len(self.after_pool)]
        self.rows.photos.append(self._base(when) | {
            "finding_id": finding["id"], "seq": self.batch.photos_per_hazard, "caption": f"{finding['item_id']} 整改后",
            "jpeg": jpeg, "thumbnail": thumbnail, "original_sha256": digest, "jpeg_sha256": digest,
            "original_size": len(jpeg), "width": AFTER_SIZE[0], "height": AFTER_SIZE[1], "captured_at": when,
            "original_name": "IMG_after.jpg", "kind": "after", "reinspection_id": visit["id"],
        })

    def apply(self) -> None:
        """Fold the status changes into the batch's finding rows and hand over the new rows."""
        by_id = {finding["id"]: finding for finding in self.batch.hazards if finding["id"] in self.rows.findings}
        for finding_id, changes in self.rows.findings.items():
            finding = by_id[finding_id]
            finding["status"] = changes["status"]
            finding["closed_at"] = changes.get("closed_at")
            finding["responsible_person"] = changes.get("responsible_person", "")
            if changes.get("deadline") is not None:
                finding["deadline"] = changes["deadline"]
            if changes.get("updated_at") is not None:
                finding["updated_at"], finding["rev"] = changes["updated_at"], finding["rev"] + 1
        self.batch.extra_rows += [("reinspection", self.rows.visits), ("reinspection_item", self.rows.items),
                                  ("hazard_event", self.rows.events), ("photo", self.rows.photos)]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), CHINA_TZ).astimezone(timezone.utc)


def _after_pool(rng: random.Random) -> list[tuple[bytes, bytes, str]]:
    """A few tidy "after" pictures (plain wall, a neat object, a green tick), small JPEGs, hashed once."""
    from PIL import Image, ImageDraw

    from inspector.core.demo.photos import sha256

    pool = []
    for _ in range(AFTER_POOL):
        image = Image.new("RGB", AFTER_SIZE, tuple(rng.randrange(200, 240) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        draw.rectangle([0, 250, 480, 360], fill=tuple(rng.randrange(150, 190) for _ in range(3)))
        x = rng.randrange(60, 300)
        draw.rectangle([x, 120, x + 110, 250], fill=tuple(rng.randrange(40, 220) for _ in range(3)))
        draw.line([(360, 80), (390, 115), (445, 40)], fill=(46, 125, 50), width=12)
        jpeg = _jpeg(image, 80)
        pool.append((jpeg, _jpeg(image.resize((256, 192)), 75), sha256(jpeg)))
    return pool


def _jpeg(image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()
