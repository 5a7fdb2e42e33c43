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
from datetime import date, datetime, time, timedelta, timezone
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

_SCOPE = """
SELECT f.id FROM finding f JOIN inspection i ON i.id = f.inspection_id JOIN enterprise e ON e.id = i.enterprise_id
WHERE f.result = 'fail' AND f.deleted_at IS NULL AND i.deleted_at IS NULL {where}
"""

#: Names of a JSON list of inspector ids, in list order, joined by 、 (``{label}``: name, or name with certificate)
_TEAM = """(SELECT group_concat(label, '、') FROM (SELECT {label} AS label FROM json_each({column}) j
            JOIN inspector p ON p.id = j.value ORDER BY j.key))"""
_NAME = "p.name"
_NAME_AND_CERTIFICATE = "p.name || CASE WHEN p.certificate_no != '' THEN '（' || p.certificate_no || '）' ELSE '' END"

# Times are stored as UTC text; China time has no daylight saving: date(x, '+8 hours') is the local date.
_MAIN = """
SELECT f.id, e.name, coalesce(e.credit_code, ''), e.industry, coalesce(s.sector, ''), date(i.started_at, '+8 hours'),
       coalesce({team}, ''), f.location, coalesce(f.item_id, ''), coalesce(nullif(f.description, ''), f.item_text),
       f.level, f.basis, f.major_clause, f.requirement, f.deadline, f.responsible_person, f.status,
       date(f.closed_at, '+8 hours'), e.address, i.method, f.interim_measures, f.governance_plan,
       f.governance_funds, f.responsible_phone, f.supervision, f.enforcement, f.remarks
FROM finding f JOIN inspection i ON i.id = f.inspection_id JOIN enterprise e ON e.id = i.enterprise_id
LEFT JOIN checklist_snapshot s ON s.id = f.snapshot_id
WHERE f.result = 'fail' AND f.deleted_at IS NULL AND i.deleted_at IS NULL {where}
ORDER BY i.started_at, e.name, f.seq
"""


def ledger_rows(db: "Database", flt: LedgerFilter | None = None, *, today: date | None = None,
                with_photos: bool = True) -> list[LedgerRow]:
    """The ledger rows, oldest finding first. ``with_photos=False`` skips the photo table
    (photo columns then count nothing), which is the slow part on a large database."""
    from inspector.core.common.clock import local_today

    flt, today = flt or LedgerFilter(), today or local_today()
    where, params = _where(flt, today)
    scope = "SELECT id FROM temp.ledger_scope"
    connection = db.raw()  # plain sqlite3: these reads fetch tens of thousands of rows
    try:
        connection.execute("CREATE TEMP TABLE ledger_scope (id TEXT PRIMARY KEY) WITHOUT ROWID")
        connection.execute("INSERT INTO temp.ledger_scope " + _SCOPE.format(where=where), params)
        main = _MAIN.format(where=where, team=_TEAM.format(column="i.inspector_ids", label=_NAME_AND_CERTIFICATE))
        rows = [_row(r, today) for r in connection.execute(main, params)]
        by_id = {row.finding_id: row for row in rows}
        _add_notices(connection, scope, params, by_id)
        _add_reinspections(connection, scope, params, by_id)
        _add_process(connection, scope, params, by_id)
        if with_photos:
            _add_photos(connection, scope, params, by_id)
    finally:
        connection.close()
    return rows


def _where(flt: LedgerFilter, today: date) -> tuple[str, dict]:
    clauses, params = [], {}
    if flt.date_from:
        clauses.append("i.started_at >= :t0")
        params["t0"] = _utc_text(flt.date_from)
    if flt.date_to:
        clauses.append("i.started_at < :t1")
        params["t1"] = _utc_text(flt.date_to + timedelta(days=1))
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


def _utc_text(day: date) -> str:
    from inspector.core.common.clock import CHINA_TZ
    from inspector.db.types import to_utc_text

    return to_utc_text(datetime.combine(day, time(0), CHINA_TZ).astimezone(timezone.utc))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _names_only(team: str) -> str:
    """``刘志强（36070001）、曾海燕`` -> ``刘志强、曾海燕``."""
    return _CERTIFICATE.sub("", team)


def _row(r, today: date) -> LedgerRow:
    from inspector.core.records.checklist_model import SECTORS

    found_on, deadline = date.fromisoformat(r[5]), _day(r[14])
    basis = f"{r[12]}；{r[11]}" if r[10] == "major" and r[12] else r[11]
    first = hazards.step_text(r[5], _names_only(r[6]), "found", "", hazards.PENDING, r[14] or "", "")
    return LedgerRow(
        r[0], hazards.ledger_number(r[0], found_on), r[1], r[2], r[3], SECTORS.get(r[4], r[4]), found_on, r[6],
        r[7], r[8], r[9], r[10], basis, r[13], deadline, r[15], "", hazards.effective_status(r[16], deadline, today),
        closed_on=_day(r[17]), process=[first], address=r[18], method=r[19], interim_measures=r[20],
        governance_plan=r[21], governance_funds=r[22], responsible_phone=r[23], supervision=r[24],
        enforcement=r[25], remarks=r[26],
    )


def _add_notices(connection, scope: str, params: dict, rows: dict[str, LedgerRow]) -> None:
    found = connection.execute(
        "SELECT j.value, n.kind, n.number_text FROM notice n, json_each(n.finding_ids) j "
        f"WHERE n.status = 'issued' AND n.deleted_at IS NULL AND j.value IN ({scope}) ORDER BY n.issued_at", params)
    for finding_id, kind, number in found:
        row = rows.get(finding_id)
        if row is None or not number:
            continue
        if kind == "review":
            row.review_notice = number
        else:
            row.notices = f"{row.notices}；{number}" if row.notices else number


def _add_reinspections(connection, scope: str, params: dict, rows: dict[str, LedgerRow]) -> None:
    found = connection.execute(
        f"SELECT ri.finding_id, date(r.started_at, '+8 hours'), coalesce({_TEAM.format(column='r.inspector_ids', label=_NAME)}, ''), "
        "ri.outcome FROM reinspection_item ri JOIN reinspection r ON r.id = ri.reinspection_id "
        "WHERE ri.deleted_at IS NULL AND r.deleted_at IS NULL AND r.status = 'completed' "
        f"AND ri.finding_id IN ({scope}) ORDER BY r.started_at", params)
    for finding_id, day, team, outcome in found:  # the latest re-inspection wins
        row = rows[finding_id]
        row.reinspected_on, row.reinspected_by = date.fromisoformat(day), team
        row.reinspection_result = OUTCOME_LABELS.get(outcome, outcome)


def _add_process(connection, scope: str, params: dict, rows: dict[str, LedgerRow]) -> None:
    found = connection.execute(
        "SELECT e.finding_id, date(e.at, '+8 hours'), coalesce(p.name, ''), e.from_status, e.to_status, "
        "coalesce(e.deadline, ''), e.note, coalesce(n.number_text, '') FROM hazard_event e "
        "LEFT JOIN inspector p ON p.id = e.inspector_id LEFT JOIN notice n ON n.id = e.notice_id "
        f"WHERE e.deleted_at IS NULL AND e.finding_id IN ({scope}) ORDER BY e.at, e.created_at", params)
    step_text, closed = hazards.step_text, hazards.CLOSED
    changed: set[str] = set()
    for finding_id, day, who, before, after, deadline, note, number in found:
        row = rows[finding_id]
        row.process.append(step_text(day, who, "step", before, after, deadline, note, number))
        if deadline:
            changed.add(finding_id)
        if after == closed:
            row.closed_by = who
    for finding_id in changed:  # the deadline set when found is no longer the finding's: leave it out
        row = rows[finding_id]
        row.process[0] = step_text(row.found_on.isoformat(), _names_only(row.inspectors), "found", "",
                                   hazards.PENDING, "", "")


def _add_photos(connection, scope: str, params: dict, rows: dict[str, LedgerRow]) -> None:
    found = connection.execute(
        "SELECT finding_id, id, kind, original_name, original_sha256, datetime(captured_at, '+8 hours'), width, "
        f"height FROM photo WHERE deleted_at IS NULL AND finding_id IN ({scope}) ORDER BY kind DESC, seq, created_at",
        params)
    for finding_id, photo_id, kind, name, digest, taken, width, height in found:
        rows[finding_id].photos.append(LedgerPhoto(photo_id, kind, name, digest,
                                                   datetime.fromisoformat(taken) if taken else None, width, height))
