"""隐患台账: one row per hazard with the columns of the reference's §5.2, from the local database.

:func:`ledger_rows` reads the rows (filters: found date range, sector, status);
:mod:`inspector.core.reports.ledger_export` writes them as .xlsx (with a photo appendix) or .csv.
The sector filter matches the enterprise's 行业 (a checklist sector code such as
``cold_storage`` is accepted for its Chinese name); the status filter takes a code or its
Chinese name, ``逾期`` included (derived from the deadline, see :mod:`inspector.core.loop.hazards`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from inspector.core.loop import hazards
from inspector.errors import UserError

if TYPE_CHECKING:
    from inspector.db.database import Database

_CERTIFICATE = re.compile(r"（[^）]*）")
OUTCOME_LABELS = {"rectified": "合格（已整改）", "not_rectified": "不合格（未整改）", "escalated": "不合格（移交执法）"}


def clean_text(value: str) -> str:
    """A cell's text without the characters XML forbids, cut to what Excel holds (written as a string cell)."""
    from inspector.core.common.spreadsheet_text import spreadsheet_text

    return spreadsheet_text(value)


@dataclass(frozen=True)
class LedgerPhoto:
    id: str
    kind: str  # before / after
    name: str
    sha256: str
    captured_local: datetime | None  # China time, naive
    width: int
    height: int


@dataclass
class LedgerRow:
    finding_id: str
    number: str  # 隐患编号
    enterprise: str
    credit_code: str
    industry: str  # 行业
    sector: str  # 所属专项 (the checklist's sector)
    found_on: date
    inspectors: str
    location: str
    item_id: str
    description: str
    level: str
    basis: str
    requirement: str
    deadline: date | None
    responsible_person: str
    notices: str  # 下达文书编号
    status: str  # code, see hazards.STATUS_LABELS (may be "overdue")
    reinspected_on: date | None = None
    reinspected_by: str = ""
    reinspection_result: str = ""
    review_notice: str = ""  # 复查文书编号
    closed_on: date | None = None
    closed_by: str = ""
    process: list[str] = field(default_factory=list)  # 处理过程, one line per step
    photos: list[LedgerPhoto] = field(default_factory=list)
    address: str = ""  # 企业地址
    method: str = ""  # 检查方式
    interim_measures: str = ""  # 临时管控措施
    governance_plan: str = ""  # 治理方案
    governance_funds: str = ""  # 治理资金
    responsible_phone: str = ""
    supervision: str = ""  # 挂牌督办
    enforcement: str = ""  # 处罚/立案
    remarks: str = ""  # 备注

    @property
    def responsible(self) -> str:
        """整改责任人及联系电话, as entered."""
        return "　".join(part for part in (self.responsible_person, self.responsible_phone) if part)

    @property
    def status_text(self) -> str:
        return hazards.status_label(self.status)

    def count(self, kind: str) -> int:
        return sum(photo.kind == kind for photo in self.photos)


#: (header, value of a row, column width in characters, kind: text / date / int / long)
COLUMNS: list[tuple[str, object, int, str]] = [
    ("隐患编号", lambda r: r.number, 20, "text"),
    ("企业名称", lambda r: r.enterprise, 30, "text"),
    ("统一社会信用代码", lambda r: r.credit_code, 21, "text"),
    ("企业地址", lambda r: r.address, 30, "text"),
    ("行业", lambda r: r.industry, 16, "text"),
    ("所属专项", lambda r: r.sector, 16, "text"),
    ("检查日期", lambda r: r.found_on, 12, "date"),
    ("检查方式", lambda r: r.method, 10, "text"),
    ("检查人员（执法证号）", lambda r: r.inspectors, 30, "text"),
    ("隐患部位", lambda r: r.location, 16, "text"),
    ("检查项编号", lambda r: r.item_id, 11, "text"),
    ("隐患描述", lambda r: r.description, 44, "long"),
    ("隐患等级", lambda r: hazards.LEVEL_LABELS.get(r.level, r.level), 9, "text"),
    ("判定依据", lambda r: r.basis, 36, "text"),
    ("整改要求", lambda r: r.requirement, 36, "text"),
    ("整改期限", lambda r: r.deadline, 12, "date"),
    ("临时管控措施", lambda r: r.interim_measures, 30, "long"),
    ("治理方案", lambda r: r.governance_plan, 30, "long"),
    ("治理资金", lambda r: r.governance_funds, 12, "text"),
    ("整改责任人及联系电话", lambda r: r.responsible, 22, "text"),
    ("下达文书编号", lambda r: r.notices, 26, "text"),
    ("状态", lambda r: r.status_text, 10, "text"),
    ("复查日期", lambda r: r.reinspected_on, 12, "date"),
    ("复查人", lambda r: r.reinspected_by, 14, "text"),
    ("复查结论", lambda r: r.reinspection_result, 18, "text"),
    ("复查文书编号", lambda r: r.review_notice, 26, "text"),
    ("销号日期", lambda r: r.closed_on, 12, "date"),
    ("销号人", lambda r: r.closed_by, 10, "text"),
    ("挂牌督办", lambda r: r.supervision, 14, "text"),
    ("处罚/立案", lambda r: r.enforcement, 22, "text"),
    ("整改前照片", lambda r: r.count("before"), 10, "int"),
    ("整改后照片", lambda r: r.count("after"), 10, "int"),
    ("处理过程", lambda r: "\n".join(r.process), 60, "long"),
    ("备注", lambda r: r.remarks, 20, "long"),
]
HEADERS = [column[0] for column in COLUMNS]


@dataclass(frozen=True)
class LedgerFilter:
    date_from: date | None = None
    date_to: date | None = None
    sector: str | None = None  # the enterprise's 行业, as stored
    status: str | None = None  # a code, "overdue" included

    def describe(self) -> str:
        parts = []
        if self.date_from or self.date_to:
            parts.append(f"发现日期 {self.date_from or '…'} 至 {self.date_to or '…'}")
        if self.sector:
            parts.append(f"行业：{self.sector}")
        if self.status:
            parts.append(f"状态：{hazards.status_label(self.status)}")
        return "；".join(parts) or "全部隐患"


def make_filter(db: "Database", *, date_from: date | None = None, date_to: date | None = None,
                sector: str | None = None, status: str | None = None) -> LedgerFilter:
    """Check the user's filter values; raises UserError with the allowed values."""
    if date_from and date_to and date_from > date_to:
        raise UserError(f"起始日期 {date_from} 晚于截止日期 {date_to}。")
    return LedgerFilter(date_from, date_to, resolve_sector(db, sector) if sector else None,
                        hazards.parse_status(status) if status else None)


def known_sectors(db: "Database") -> list[str]:
    """The enterprises' 行业 values in the database."""
    from sqlalchemy import text

    with db.session() as session:
        rows = session.execute(text(
            "SELECT DISTINCT industry FROM enterprise WHERE industry != '' ORDER BY industry")).scalars().all()
    return list(rows)


def resolve_sector(db: "Database", value: str) -> str:
    from inspector.core.records.checklist_model import SECTORS

    value = value.strip()
    name = SECTORS.get(value, value)
    sectors = known_sectors(db)
    if name in sectors or name in SECTORS.values():
        return name
    raise UserError(f"未知的行业“{value}”，可用：{'、'.join(sectors) or '（数据库中还没有企业）'}。")


# --- reading --------------------------------------------------------------------------------
# Portable SQL through SQLAlchemy (SQLite file or office server): the joins and filters in SQL, the
# China dates (from the stored UTC text), the JSON id lists and the 、-joined names in Python.

_FROM = """FROM finding f JOIN inspection i ON i.id = f.inspection_id JOIN enterprise e ON e.id = i.enterprise_id
WHERE f.result = 'fail' AND f.deleted_at IS NULL AND i.deleted_at IS NULL {where}"""
_SCOPE = "SELECT f.id " + _FROM

_MAIN = """
SELECT f.id, e.name, coalesce(e.credit_code, ''), e.industry, coalesce(s.sector, ''), i.started_at,
       i.inspector_ids, f.location, coalesce(f.item_id, ''), coalesce(nullif(f.description, ''), f.item_text),
       f.level, f.basis, f.major_clause, f.requirement, f.deadline, f.responsible_person, f.status,
       f.closed_at, e.address, i.method, f.interim_measures, f.governance_plan,
       f.governance_funds, f.responsible_phone, f.supervision, f.enforcement, f.remarks
FROM finding f JOIN inspection i ON i.id = f.inspection_id JOIN enterprise e ON e.id = i.enterprise_id
LEFT JOIN checklist_snapshot s ON s.id = f.snapshot_id
WHERE f.result = 'fail' AND f.deleted_at IS NULL AND i.deleted_at IS NULL {where}
ORDER BY i.started_at, e.name, f.seq, f.id
"""

_NOTICES = """SELECT n.finding_ids, n.kind, n.number_text FROM notice n
WHERE n.status = 'issued' AND n.deleted_at IS NULL AND n.number_text != '' ORDER BY n.issued_at, n.id"""

_REINSPECTIONS = """SELECT ri.finding_id, r.started_at, r.inspector_ids, ri.outcome
FROM reinspection_item ri JOIN reinspection r ON r.id = ri.reinspection_id
WHERE ri.deleted_at IS NULL AND r.deleted_at IS NULL AND r.status = 'completed' AND ri.finding_id IN (SELECT id FROM ledger_scope)
ORDER BY r.started_at, r.id"""

_PROCESS = """SELECT e.finding_id, e.at, coalesce(p.name, ''), e.from_status, e.to_status, e.deadline, e.note,
       coalesce(n.number_text, '')
FROM hazard_event e LEFT JOIN inspector p ON p.id = e.inspector_id LEFT JOIN notice n ON n.id = e.notice_id
WHERE e.deleted_at IS NULL AND e.finding_id IN (SELECT id FROM ledger_scope) ORDER BY e.at, e.created_at, e.id"""

_PHOTOS = """SELECT finding_id, id, kind, original_name, original_sha256, captured_at, width, height FROM photo
WHERE deleted_at IS NULL AND finding_id IN (SELECT id FROM ledger_scope) ORDER BY kind DESC, seq, created_at, id"""


def ledger_rows(db: "Database", flt: LedgerFilter | None = None, *, today: date | None = None,
                with_photos: bool = True) -> list[LedgerRow]:
    """The ledger rows, oldest finding first. ``with_photos=False`` skips the photo table
    (photo columns then count nothing), which is the slow part on a large database."""
    from sqlalchemy import text

    from inspector.core.common.clock import local_today

    flt, today = flt or LedgerFilter(), today or local_today()
    where, params = _where(flt, today)
    with db.session() as session:
        def query(sql: str) -> list[tuple]:
            result = session.execute(text(sql), params)
            try:  # the DBAPI's own tuples in one fetch: text() has no result types to apply, rows are many
                return result.cursor.fetchall()
            finally:
                result.close()

        people = _people(session)
        rows = [_row(r, today, people) for r in query(_MAIN.format(where=where))]
        by_id = {row.finding_id: row for row in rows}
        _add_notices(query(_NOTICES), by_id)
        _fill_scope(session, where, params)
        _add_reinspections(query(_REINSPECTIONS), people, by_id)
        _add_process(query(_PROCESS), by_id)
        if with_photos:
            _add_photos(query(_PHOTOS), by_id)
        session.execute(text("DROP TABLE ledger_scope"))
    return rows


def _fill_scope(session, where: str, params: dict) -> None:
    """The listed hazards' ids in a temporary table, so the filter runs once, not in every query below.

    Plain SQL temporary tables (SQLite and PostgreSQL); ``IF NOT EXISTS`` and the DELETE cover a table
    left on a pooled SQLite connection by an earlier failure (PostgreSQL drops it with the rollback)."""
    from sqlalchemy import text

    session.execute(text("CREATE TEMPORARY TABLE IF NOT EXISTS ledger_scope (id VARCHAR(36) PRIMARY KEY)"))
    session.execute(text("DELETE FROM ledger_scope"))
    session.execute(text("INSERT INTO ledger_scope " + _SCOPE.format(where=where)), params)


def _where(flt: LedgerFilter, today: date) -> tuple[str, dict]:
    from inspector.core.reports.china_time import utc_bound

    clauses, params = [], {}
    if flt.date_from:
        clauses.append("i.started_at >= :t0")
        params["t0"] = utc_bound(flt.date_from)
    if flt.date_to:
        clauses.append("i.started_at < :t1")
        params["t1"] = utc_bound(flt.date_to + timedelta(days=1))
    if flt.sector:
        clauses.append("e.industry = :sector")
        params["sector"] = flt.sector
    if flt.status == hazards.OVERDUE:
        clauses.append("f.deadline < :today AND f.status IN ('pending', 'rectifying', 'awaiting_review')")
        params["today"] = today.isoformat()
    elif flt.status:
        clauses.append("f.status = :status")
        params["status"] = flt.status
    return "".join(f" AND {clause}" for clause in clauses), params


class _People:
    """Inspectors by id (every row, as the joins of the ledger read them): names for the team columns."""

    def __init__(self, rows):
        self.with_certificate: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self._teams: dict[tuple, str] = {}  # many hazards share an inspection's team: decode each once
        for person_id, name, certificate in rows:
            if name is None:
                continue
            self.names[person_id] = name
            self.with_certificate[person_id] = f"{name}（{certificate}）" if certificate else name

    def team(self, ids, labels: dict[str, str]) -> str:
        """The labels of a JSON list of inspector ids, in list order, joined by 、 (unknown ids left out)."""
        from inspector.core.reports.china_time import id_list

        key = (id(labels), ids if isinstance(ids, str) else repr(ids))
        team = self._teams.get(key)
        if team is None:
            team = self._teams[key] = "、".join(labels[i] for i in id_list(ids) if isinstance(i, str) and i in labels)
        return team


def _people(session) -> _People:
    from sqlalchemy import text

    return _People(session.execute(text("SELECT id, name, certificate_no FROM inspector")))


def _names_only(team: str) -> str:
    """``刘志强（36070001）、曾海燕`` -> ``刘志强、曾海燕``."""
    return _CERTIFICATE.sub("", team)


def _row(r, today: date, people: _People) -> LedgerRow:
    from inspector.core.records.checklist_model import SECTORS
    from inspector.core.reports.china_time import as_date, china_date, iso_day

    found_on, deadline = china_date(r[5]), as_date(r[14])
    team = people.team(r[6], people.with_certificate)
    basis = f"{r[12]}；{r[11]}" if r[10] == "major" and r[12] else r[11]
    first = hazards.step_text(found_on.isoformat(), _names_only(team), "found", "", hazards.PENDING, iso_day(r[14]), "")
    return LedgerRow(
        r[0], hazards.ledger_number(r[0], found_on), r[1], r[2], r[3], SECTORS.get(r[4], r[4]), found_on, team,
        r[7], r[8], r[9], r[10], basis, r[13], deadline, r[15], "", hazards.effective_status(r[16], deadline, today),
        closed_on=china_date(r[17]), process=[first], address=r[18], method=r[19], interim_measures=r[20],
        governance_plan=r[21], governance_funds=r[22], responsible_phone=r[23], supervision=r[24],
        enforcement=r[25], remarks=r[26],
    )


def _add_notices(found, rows: dict[str, LedgerRow]) -> None:
    """下达文书编号 and 复查文书编号 from the issued notices naming each hazard, oldest first."""
    from inspector.core.reports.china_time import id_list

    for finding_ids, kind, number in found:
        if not number:
            continue
        for finding_id in id_list(finding_ids):
            row = rows.get(finding_id) if isinstance(finding_id, str) else None
            if row is None:
                continue
            if kind == "review":
                row.review_notice = number
            else:
                row.notices = f"{row.notices}；{number}" if row.notices else number


def _add_reinspections(found, people: _People, rows: dict[str, LedgerRow]) -> None:
    from inspector.core.reports.china_time import china_date

    for finding_id, started_at, team, outcome in found:  # the latest re-inspection wins
        row = rows[finding_id]
        row.reinspected_on, row.reinspected_by = china_date(started_at), people.team(team, people.names)
        row.reinspection_result = OUTCOME_LABELS.get(outcome, outcome)


def _add_process(found, rows: dict[str, LedgerRow]) -> None:
    from inspector.core.reports.china_time import china_day_text, iso_day

    step_text, closed = hazards.step_text, hazards.CLOSED
    changed: set[str] = set()
    for finding_id, at, who, before, after, deadline, note, number in found:
        row, deadline = rows[finding_id], iso_day(deadline)
        row.process.append(step_text(china_day_text(at), who, "step", before, after, deadline, note, number))
        if deadline:
            changed.add(finding_id)
        if after == closed:
            row.closed_by = who
    for finding_id in changed:  # the deadline set when found is no longer the finding's: leave it out
        row = rows[finding_id]
        row.process[0] = step_text(row.found_on.isoformat(), _names_only(row.inspectors), "found", "",
                                   hazards.PENDING, "", "")


def _add_photos(found, rows: dict[str, LedgerRow]) -> None:
    from inspector.core.reports.china_time import china_datetime

    for finding_id, photo_id, kind, name, digest, taken, width, height in found:
        rows[finding_id].photos.append(LedgerPhoto(photo_id, kind, name, digest, china_datetime(taken), width, height))
