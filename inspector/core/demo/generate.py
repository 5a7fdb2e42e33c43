"""Realistic demo data: enterprises in the park, inspectors, inspections with findings and photos.

Built with SQLAlchemy Core bulk inserts in one transaction, so ``--inspections 10000`` takes
seconds. Each run adds a new batch; the seed makes a batch reproducible. With
``living_office=True`` (the CLI's and the GUI's demo) a present day is added on top: cases
dated from today, number blocks and issued documents (:mod:`inspector.core.demo.office`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from inspector.core.records import credit_code
from inspector.core.records.checklists import Checklist, snapshot_of
from inspector.core.common.clock import CHINA_TZ as CHINA
from inspector.core.demo.photos import make_pool, sha256, unique_copy
from inspector.core.common.text_search import initials
from inspector.db.bulk import insert_rows
from inspector.db.database import Database
from inspector.db.models import Enterprise, Finding, Inspection, Inspector, Photo
from inspector.db.types import new_id, utcnow

PREFIXES = ["赣南", "兴国", "潋江", "红都", "将军", "长冈", "鼎龙", "杰村", "埠头", "高兴", "均村", "崇贤"]
TRADES = {
    "cold_storage": ["冷链物流有限公司", "食品冷藏有限公司", "脐橙仓储冷链有限公司"],
    "hot_work": ["钢结构工程有限公司", "机械制造有限公司", "金属制品有限公司"],
    "gas": ["餐饮管理有限公司", "食品有限公司（职工食堂）", "酒店管理有限公司"],
    "ebike": ["电子科技有限公司（员工宿舍）", "服装有限公司", "物业管理有限公司"],
    "fire": ["商贸有限公司", "纺织有限公司", "超市连锁有限公司"],
    "dust": ["木业有限公司", "铝制品有限公司", "粮油加工有限公司"],
    "confined_space": ["污水处理有限公司", "酿造有限公司", "造纸有限公司"],
    "hazchem": ["化工材料有限公司", "涂料有限公司", "新材料科技有限公司"],
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗钟曾谢"
GIVEN = ["伟", "芳", "军", "敏", "强", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "华", "平", "建国", "志强", "晓东", "海燕", "春生"]
STREETS = ["平川大道", "兴国大道", "工业园一路", "工业园三路", "长冈路", "将军大道", "鼎龙路", "潋江大道"]
PLACES = {
    "cold_storage": ["氨制冷机房", "冷藏库房", "穿堂及月台"], "hot_work": ["焊接车间", "钢结构安装现场", "维修车间"],
    "gas": ["职工食堂后厨", "液化石油气瓶间", "餐厅操作间"], "ebike": ["员工宿舍楼一层", "电动自行车棚", "厂区充电区"],
    "fire": ["生产车间", "成品仓库", "营业场所"], "dust": ["打磨车间", "除尘系统区域", "粉料投料间"],
    "confined_space": ["污水处理池", "发酵罐区", "地下管沟"], "hazchem": ["危化品仓库", "甲类仓库", "调配间"],
}


@dataclass(frozen=True)
class DemoResult:
    enterprises: int
    inspectors: int
    inspections: int
    findings: int
    hazards: int
    photos: int
    documents: int = 0


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def build_demo(db: Database, checklists: list[Checklist], *, seed: int = 1, inspections: int = 8,
               enterprises: int | None = None, photos_per_hazard: int = 1, living_office: bool = False,
               config=None, now: datetime | None = None, progress=None) -> DemoResult:
    """Add one demo batch. ``living_office`` adds today's cases, number blocks and documents
    (``config``: the document configuration to number and render them with); ``now`` fixes
    the clock (tests); ``progress(done, total)`` is called as the steps finish."""
    if not checklists:
        from inspector.errors import UserError

        raise UserError("没有可用的检查表，无法生成演示数据。")
    report = progress or (lambda done, total: None)
    rng = random.Random(seed)
    builder = _Batch(db.device_id, rng, checklists, photos_per_hazard, seed, now)
    builder.settled = living_office  # an office that keeps up: old cases are done, drafts are recent
    count = enterprises or max(6, min(400, inspections // 20))
    builder.add_enterprises(count)
    builder.add_inspectors(6)
    for index in range(inspections):
        builder.add_inspection()
        if index % 500 == 499:
            report(index + 1, inspections + 2)
    _add_closed_loop(builder)
    staged = _stage_present_day(builder, seed) if living_office else []
    builder.write(db)
    report(inspections + 1, inspections + 2)
    documents = _finish_present_day(db, staged, config, builder.now) if living_office else 0
    report(inspections + 2, inspections + 2)
    return builder.result(documents)


def _stage_present_day(builder: "_Batch", seed: int) -> list:
    from inspector.core.demo.office import add_present_day

    if not builder.pool:
        builder.pool = make_pool(seed)  # today's hazards need their photos to be issued
    return add_present_day(builder)


def _finish_present_day(db: Database, staged: list, config, now: datetime) -> int:
    from inspector.core.demo.office import finish_present_day

    if config is None:
        from inspector.core.documents import load_config

        config = load_config()
    return finish_present_day(db, staged, config, now)


def _add_closed_loop(builder: "_Batch") -> None:
    """Hazard statuses with history, re-inspections and after photos (inspector.core.demo.closed_loop)."""
    from inspector.core.demo.closed_loop import add_closed_loop

    add_closed_loop(builder)


class _Batch:
    def __init__(self, device_id: str, rng: random.Random, checklists: list[Checklist], photos_per_hazard: int, seed: int,
                 now: datetime | None = None):
        self.device_id, self.rng, self.photos_per_hazard = device_id, rng, photos_per_hazard
        self.by_sector = {c.sector: c for c in checklists}
        self.general = self.by_sector.get("general")
        self.snapshots = {c.id: snapshot_of(c) for c in checklists}
        self.pool = make_pool(seed) if photos_per_hazard else []
        self.now = now or utcnow()
        self.rows: dict[type, list[dict]] = {t: [] for t in (Enterprise, Inspector, Inspection, Finding, Photo)}
        self.enterprise_sectors: list[tuple[str, str]] = []
        self.extra_rows: list[tuple[str, list[dict]]] = []  # (table, rows) written after the main tables
        self.settled = False

    def _base(self, when: datetime) -> dict:
        return {"id": new_id(), "created_at": when, "updated_at": when, "device_id": self.device_id, "rev": 1, "deleted_at": None}

    def add_enterprises(self, count: int) -> None:
        sectors = [s for s in TRADES if s in self.by_sector] or list(self.by_sector)
        for index in range(count):
            sector = sectors[index % len(sectors)]
            name = f"{self.rng.choice(PREFIXES)}{self.rng.choice(TRADES.get(sector, ['实业有限公司']))}"
            if index >= len(PREFIXES):
                name = name.replace("有限公司", f"{index}号有限公司", 1)
            row = self._base(self.now) | {
                "name": "兴国县" + name, "credit_code": credit_code.generate(self.rng),
                "address": f"兴国经济技术开发区{self.rng.choice(STREETS)}{self.rng.randrange(1, 300)}号",
                "industry": self.by_sector[sector].sector_name, "legal_representative": person(self.rng),
                "contact_phone": f"1{self.rng.choice('3578')}{self.rng.randrange(10**8, 10**9)}", "liaison": person(self.rng),
            }
            row["name_initials"] = initials(row["name"])
            self.rows[Enterprise].append(row)
            self.enterprise_sectors.append((row["id"], sector))

    def add_inspectors(self, count: int) -> None:
        for _ in range(count):
            row = self._base(self.now) | {"name": person(self.rng), "certificate_no": f"3607{self.rng.randrange(10**9, 10**10)}", "active": True}
            self.rows[Inspector].append(row)

    def add_inspection(self) -> None:
        enterprise_id, sector = self.rng.choice(self.enterprise_sectors)
        lists = [self.by_sector[sector]] + ([self.general] if self.general and self.rng.random() < 0.3 else [])
        day = (self.now - timedelta(days=self.rng.randrange(0, 330))).astimezone(CHINA).date()
        start = datetime.combine(day, time(self.rng.randrange(8, 16), self.rng.choice((0, 15, 30, 45))), CHINA)
        completed = self.rng.random() < 0.85 or (self.settled and day < self.now.astimezone(CHINA).date() - timedelta(days=2))
        inspection = self._base(start.astimezone(timezone.utc)) | {
            "enterprise_id": enterprise_id, "started_at": start.astimezone(timezone.utc),
            "ended_at": (start + timedelta(hours=2)).astimezone(timezone.utc) if completed else None,
            "inspector_ids": [r["id"] for r in self.rng.sample(self.rows[Inspector], 2)],
            "place": self.rng.choice(PLACES.get(sector, ["生产车间"])), "snapshot_ids": [self.snapshots[c.id]["id"] for c in lists],
            "status": "completed" if completed else "draft", "notes": "",
        }
        self.rows[Inspection].append(inspection)
        seq = 0
        for checklist in lists:
            for item in checklist.items:
                seq += 1
                self._add_finding(inspection, checklist, item, seq, start.date())

    def _add_finding(self, inspection: dict, checklist: Checklist, item, seq: int, day) -> None:
        roll = self.rng.random()
        result = "fail" if roll < 0.14 else ("na" if roll < 0.2 else "pass")
        failed = result == "fail"
        row = self._base(inspection["created_at"]) | {
            "inspection_id": inspection["id"], "snapshot_id": self.snapshots[checklist.id]["id"],
            "item_id": item.id, "item_text": item.text, "seq": seq, "result": result,
            "description": item.hazard if failed else "", "location": inspection["place"] if failed else "",
            "level": "major" if failed and item.major else "general", "major_clause": item.major_clause if failed else "",
            "requirement": item.requirement if failed else "", "basis": item.basis if failed else "",
            "deadline": day + timedelta(days=item.deadline_days) if failed else None,
            "status": "pending", "responsible_person": "", "closed_at": None,
        }
        self.rows[Finding].append(row)
        if failed:
            for index in range(self.photos_per_hazard):
                self._add_photo(row, index)

    def _add_photo(self, finding: dict, index: int) -> None:
        base = self.rng.choice(self.pool)
        jpeg = unique_copy(base.jpeg, f"inspector-demo {finding['id']} {index}")
        digest = sha256(jpeg)
        self.rows[Photo].append(self._base(finding["created_at"]) | {
            "finding_id": finding["id"], "seq": index, "caption": f"{finding['item_id']} 现场照片",
            "jpeg": jpeg, "thumbnail": base.thumbnail, "original_sha256": digest, "jpeg_sha256": digest,
            "original_size": len(jpeg), "width": base.width, "height": base.height,
            "captured_at": finding["created_at"] + timedelta(minutes=index), "original_name": f"IMG_{index:04d}.jpg",
        })

    def write(self, db: Database) -> None:
        """One transaction through plain sqlite3: all of the batch or nothing."""
        connection = db.raw()
        try:
            connection.execute("BEGIN IMMEDIATE")
            snapshots = [s | {"created_at": self.now} for s in self.snapshots.values()]
            insert_rows(connection, "checklist_snapshot", snapshots, or_ignore=True)
            for model in (Enterprise, Inspector, Inspection, Finding, Photo):
                insert_rows(connection, model.__tablename__, self.rows[model])
            for table, rows in self.extra_rows:
                insert_rows(connection, table, rows)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()

    def result(self, documents: int = 0) -> DemoResult:
        findings = self.rows[Finding]
        return DemoResult(len(self.rows[Enterprise]), len(self.rows[Inspector]), len(self.rows[Inspection]),
                          len(findings), sum(f["result"] == "fail" for f in findings), len(self.rows[Photo]),
                          documents)
