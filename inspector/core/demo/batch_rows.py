"""The rows of one demo batch, made in memory: enterprises of the park, inspectors, inspections, their findings
and the hazards' photos (:class:`BatchRows`; :mod:`inspector.core.demo.generate` writes them).

Every enterprise is registered under an industry of the park (:mod:`inspector.core.demo.trades`) and
every inspection uses exactly the lists a new inspection offers that industry
(:func:`~inspector.core.records.industries.suggested_checklists`: the industry list and its specialty
lists), every item answered, about :data:`HAZARDS_PER_INSPECTION` of them failed, each hazard filled
in by :func:`~inspector.core.records.industries.finding_defaults` (重大 judged for the enterprise's
industry with the items failed beside it, as the walk-through does). The answered items that did not
fail are kept compact (:class:`~inspector.core.demo.answers.Answers`), the rest as dicts of column values.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from inspector.core.common.clock import CHINA_TZ as CHINA
from inspector.core.common.text_search import initials
from inspector.core.demo.answers import Answers, letters_of
from inspector.core.demo.ids import TimeOrderedIds
from inspector.core.demo.photos import make_pool
from inspector.core.demo.trades import TRADES, Trade
from inspector.core.records import credit_code
from inspector.core.records.checklists import Checklist, snapshot_of
from inspector.core.records.industries import finding_defaults, suggested_checklists
from inspector.db.bulk import to_sql_value
from inspector.db.models import Enterprise, Finding, Inspection, Inspector, Photo
from inspector.db.types import utcnow

PREFIXES = ["赣南", "兴国", "潋江", "红都", "将军", "长冈", "鼎龙", "杰村", "埠头", "高兴", "均村", "崇贤"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗钟曾谢"
GIVEN = ["伟", "芳", "军", "敏", "强", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "华", "平", "建国", "志强", "晓东", "海燕", "春生"]
STREETS = ["平川大道", "兴国大道", "工业园一路", "工业园三路", "长冈路", "将军大道", "鼎龙路", "潋江大道"]
HAZARDS_PER_INSPECTION = 3.0  # expected hazards of one inspection, however many items its lists have
MAX_FAIL_RATE = 0.14  # ... but a short list fails at most this share of its items
NA_RATE = 0.06  # 不适用


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


class BatchRows:
    """A batch's rows: :attr:`rows` per model (dicts), :attr:`answers` (compact), :attr:`hazards` (the failed items'
    finding dicts, which the closed loop edits), :attr:`extra_rows` (tables the closed loop and today's scenes add)."""

    def __init__(self, device_id: str, rng: random.Random, checklists: list[Checklist], photos_per_hazard: int, seed: int,
                 now: datetime | None = None):
        self.device_id, self.rng, self.photos_per_hazard = device_id, rng, photos_per_hazard
        self.checklists = list(checklists)
        self.snapshots = {c.id: snapshot_of(c) for c in checklists}
        self.pool = make_pool(seed, photos_per_hazard) if photos_per_hazard else []
        self.now = now or utcnow()
        self.ids = TimeOrderedIds()  # version 7, of each record's creation time
        self.rows: dict[type, list[dict]] = {t: [] for t in (Enterprise, Inspector, Inspection, Finding, Photo)}
        self.enterprise_ids: list[str] = []
        self.trades: dict[str, Trade] = {}  # enterprise id -> its trade (registered industry, places)
        self.lists: dict[str, list[Checklist]] = {}  # enterprise id -> the lists a new inspection offers it
        self.extra_rows: list[tuple[str, list[dict]]] = []  # (table, rows) written after the main tables
        self.hazards: list[dict] = []  # the failed items' finding rows (dicts: the closed loop edits them)
        self.settled = False
        self.answers = Answers()  # the answered items that did not fail, compact
        self._defaults: dict[tuple, dict] = {}
        self._items: dict[str, list] = {}  # checklist id -> its items in walk-through order (a property builds a list)
        self.scene_items: dict[tuple[str, bool], list] = {}  # (industry, major) -> office's item pairs, remembered

    def items_of(self, checklist: Checklist) -> list:
        items = self._items.get(checklist.id)
        if items is None:
            items = self._items[checklist.id] = checklist.items
        return items

    def _base(self, when: datetime) -> dict:
        return {"id": self.ids.at(when), "created_at": when, "updated_at": when, "device_id": self.device_id, "rev": 1,
                "deleted_at": None}

    def add_enterprises(self, count: int) -> None:
        offered = {t.industry: suggested_checklists(t.industry, self.checklists) for t in TRADES}
        trades = [t for t in TRADES if offered[t.industry]] or [self._fallback_trade(offered)]
        for index in range(count):
            trade = trades[index % len(trades)]
            name = f"{self.rng.choice(PREFIXES)}{self.rng.choice(trade.names)}"
            if index >= len(PREFIXES):
                name = name.replace("有限公司", f"{index}号有限公司", 1)
            row = self._base(self.now) | {
                "name": "兴国县" + name, "credit_code": credit_code.generate(self.rng),
                "address": f"兴国经济技术开发区{self.rng.choice(STREETS)}{self.rng.randrange(1, 300)}号",
                "industry": trade.industry, "legal_representative": person(self.rng),
                "contact_phone": f"1{self.rng.choice('3578')}{self.rng.randrange(10**8, 10**9)}", "liaison": person(self.rng),
            }
            row["name_initials"] = initials(row["name"])
            self.rows[Enterprise].append(row)
            self.enterprise_ids.append(row["id"])
            self.trades[row["id"]], self.lists[row["id"]] = trade, offered[trade.industry]

    def _fallback_trade(self, offered: dict[str, list[Checklist]]) -> Trade:
        """Only some lists loaded, none an industry of the park needs: registered under the first list's sector."""
        industry = self.checklists[0].sector_name
        offered[industry] = suggested_checklists(industry, self.checklists) or self.checklists[:1]
        return Trade(("实业有限公司",), industry, ("生产车间",))

    def add_inspectors(self, count: int) -> None:
        for _ in range(count):
            row = self._base(self.now) | {"name": person(self.rng), "certificate_no": f"3607{self.rng.randrange(10**9, 10**10)}", "active": True}
            self.rows[Inspector].append(row)

    def inspection_starts(self, count: int) -> list[datetime]:
        """When ``count`` random inspections began (China time), in the last 330 days at a work hour, never later
        than now, in time order: they are made, and get their ids, as the app made them, one after another."""
        starts = []
        for _ in range(count):
            day = (self.now - timedelta(days=self.rng.randrange(0, 330))).astimezone(CHINA).date()
            start = datetime.combine(day, time(self.rng.randrange(8, 16), self.rng.choice((0, 15, 30, 45))), CHINA)
            if start + timedelta(hours=2) > self.now:  # today, at an hour still to come: it was yesterday
                start -= timedelta(days=1)
            starts.append(start)
        return sorted(starts)

    def add_inspection(self, start: datetime) -> None:
        """A random inspection that began at ``start`` (China time; see :meth:`inspection_starts`)."""
        enterprise_id = self.rng.choice(self.enterprise_ids)
        lists = self.lists[enterprise_id]
        day = start.date()
        completed = self.rng.random() < 0.85 or (self.settled and day < self.now.astimezone(CHINA).date() - timedelta(days=2))
        inspection = self.inspection(enterprise_id, start.astimezone(timezone.utc), completed,
                                     self.rng.choice(self.trades[enterprise_id].places),
                                     [r["id"] for r in self.rng.sample(self.rows[Inspector], 2)])
        self.add_findings(inspection, lists, self._answers(lists), day)

    def inspection(self, enterprise_id: str, start: datetime, completed: bool, place: str, team: list[str]) -> dict:
        """An inspection row of the enterprise with the lists a new inspection offers it (appended to the batch)."""
        inspection = self._base(start) | {
            "enterprise_id": enterprise_id, "started_at": start,
            "ended_at": start + timedelta(hours=2) if completed else None, "inspector_ids": team, "place": place,
            "snapshot_ids": [self.snapshots[c.id]["id"] for c in self.lists[enterprise_id]],
            "status": "completed" if completed else "draft", "notes": "",
        }
        self.rows[Inspection].append(inspection)
        return inspection

    def _answers(self, lists: list[Checklist]) -> list[list[str]]:
        """Every item answered: about :data:`HAZARDS_PER_INSPECTION` failed, a few 不适用, the rest pass."""
        items = [self.items_of(c) for c in lists]
        fail = min(MAX_FAIL_RATE, HAZARDS_PER_INSPECTION / max(1, sum(map(len, items))))
        na, roll = fail + NA_RATE, self.rng.random
        return [["fail" if r < fail else ("na" if r < na else "pass") for r in [roll() for _ in part]] for part in items]

    def add_findings(self, inspection: dict, lists: list[Checklist], answers: list[list[str]], day: date,
                     deadlines: dict[tuple[str, str], date] | None = None, responsible: str = "",
                     photos: int | None = None) -> None:
        """One finding per answered item, numbered in walk-through order (``answers``: per list, the results
        of its first items). A failed item gets the hazard fields :func:`finding_defaults` gives the
        enterprise's industry, judged with the items failed beside it in the same list, as in the walk-through."""
        industry = self.trades[inspection["enterprise_id"]].industry
        photos = self.photos_per_hazard if photos is None else photos
        common = {"inspection_id": inspection["id"], "created_at": inspection["created_at"],
                  "updated_at": inspection["created_at"], "device_id": self.device_id, "rev": 1, "deleted_at": None}
        when = to_sql_value(inspection["created_at"])
        findings, offset = self.rows[Finding], 0
        slot = self.rng.randrange(len(self.pool)) if photos else 0  # the inspection's photos: pool pictures in turn
        for checklist, results in zip(lists, answers):
            letters = letters_of(results)  # the answers that did not fail: written by SQLite (demo.answers)
            ids = self.ids.run(inspection["created_at"], len(letters))  # in walk-through order, a hazard's too
            self.answers.add(inspection["id"], when, self.snapshots[checklist.id]["id"], checklist, offset, letters, ids)
            items = self.items_of(checklist)
            failed = {item.id for item, result in zip(items, results) if result == "fail"} if "f" in letters else ()
            for index, (item, result) in enumerate(zip(items, results) if failed else ()):
                if result != "fail":
                    continue
                key = (checklist.id, item.id)
                deadline = deadlines[key] if deadlines and key in deadlines else day + timedelta(days=item.deadline_days)
                row = {"id": ids[36 * index:36 * index + 36], "seq": offset + index + 1, "result": result} | common
                row |= self._answer_row(checklist, item) | self._hazard_fields(checklist, item, industry, failed) | {
                    "location": inspection["place"], "deadline": deadline, "responsible_person": responsible}
                findings.append(row)
                self.hazards.append(row)
                for photo in range(photos):
                    self._add_photo(row, photo, slot)
                    slot += 1
            offset += len(items)

    def _hazard_fields(self, checklist: Checklist, item, industry: str, failed: set[str]) -> dict:
        """:func:`finding_defaults`, remembered: its answer depends on the other failed items only through
        the item's multi-condition group (``major_rule.all_of``)."""
        group = frozenset(failed.intersection(item.major_rule.all_of)) if item.major_rule else frozenset()
        key = (industry, checklist.id, item.id, group)
        if key not in self._defaults:
            self._defaults[key] = finding_defaults(item, industry, failed)
        return self._defaults[key]

    def _answer_row(self, checklist: Checklist, item) -> dict:
        """The columns a failed item's finding copies from the list."""
        return {"snapshot_id": self.snapshots[checklist.id]["id"], "item_id": item.id, "item_text": item.text,
                "status": "pending", "closed_at": None}

    def _add_photo(self, finding: dict, index: int, slot: int) -> None:
        """Pool picture ``slot``, the same bytes (and hash) wherever it is used. An inspection takes the pictures
        in turn, so its hazards (and a notice's photo pages) show different pictures while the pool lasts."""
        photo = self.pool[slot % len(self.pool)]
        self.rows[Photo].append(self._base(finding["created_at"]) | {
            "finding_id": finding["id"], "seq": index, "caption": f"{finding['item_id']} 现场照片",
            "jpeg": photo.jpeg, "thumbnail": photo.thumbnail, "original_sha256": photo.sha256,
            "jpeg_sha256": photo.sha256, "original_size": len(photo.jpeg), "width": photo.width,
            "height": photo.height, "captured_at": finding["created_at"] + timedelta(minutes=index),
            "original_name": f"IMG_{index:04d}.jpg",
        })
