"""Enterprises: register, edit, delete (tombstone), search, inspection history and open hazards.

Every function is its own unit of work: it opens a short session and commits before it
returns, so what a caller shows as saved is on disk. Credit codes are optional, but an
entered one must be valid (GB 32100-2015) and unique among the registered enterprises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text
from sqlmodel import Session, col, or_, select

from inspector.core.records import credit_code as credit_codes
from inspector.core.common.synced import set_fields, tombstone
from inspector.core.common.text_search import initials
from inspector.db.database import Database
from inspector.db.models import Enterprise
from inspector.db.queries import InspectionSummary
from inspector.db.types import from_utc_text
from inspector.errors import NotFoundError, UserError

#: Fields a person edits, with their Chinese labels (also the import's column names).
DETAIL_FIELDS = {
    "address": "地址",
    "industry": "行业",
    "legal_representative": "法定代表人",
    "contact_phone": "联系电话",
    "liaison": "包保责任人",
}
MAX_FIELD = 500


@dataclass(frozen=True)
class OpenHazard:
    finding_id: str
    inspection_id: str
    inspected_at: datetime
    item_id: str | None
    description: str
    location: str
    level: str
    deadline: date | None
    status: str


def create_enterprise(db: Database, *, name: str, credit_code: str = "", **details: str) -> Enterprise:
    values = _clean(name=name, credit_code=credit_code, details=details)
    with db.session() as session:
        _refuse_duplicate(session, values["name"], values["credit_code"])
        enterprise = Enterprise(**values, device_id=db.device_id)
        session.add(enterprise)
    return enterprise


def update_enterprise(db: Database, enterprise_id: str, *, name: str, credit_code: str = "", **details: str) -> Enterprise:
    values = _clean(name=name, credit_code=credit_code, details=details)
    with db.session() as session:
        enterprise = _get(session, enterprise_id)
        _refuse_duplicate(session, values["name"], values["credit_code"], except_id=enterprise_id)
        if set_fields(enterprise, values):
            session.add(enterprise)
    return enterprise


def delete_enterprise(db: Database, enterprise_id: str) -> None:
    """Tombstone an enterprise; its inspections stay (they are records) and still name it."""
    with db.session() as session:
        enterprise = _get(session, enterprise_id)
        tombstone(enterprise)
        session.add(enterprise)


def get_enterprise(db: Database, enterprise_id: str) -> Enterprise:
    with db.session() as session:
        return _get(session, enterprise_id)


def list_enterprises(db: Database) -> list[Enterprise]:
    with db.session() as session:
        statement = select(Enterprise).where(col(Enterprise.deleted_at).is_(None)).order_by(Enterprise.name_initials)
        return list(session.exec(statement).all())


def search_enterprises(db: Database, query: str = "", *, limit: int | None = None) -> list[Enterprise]:
    """Enterprises whose name, pinyin initials or credit code contain ``query`` (every word of it)."""
    statement = select(Enterprise).where(col(Enterprise.deleted_at).is_(None))
    for word in query.split():
        pattern = f"%{_escape_like(word)}%"
        statement = statement.where(or_(
            col(Enterprise.name).like(pattern, escape="\\"),
            col(Enterprise.name_initials).like(pattern.lower(), escape="\\"),
            col(Enterprise.credit_code).like(pattern.upper(), escape="\\"),
        ))
    statement = statement.order_by(Enterprise.name_initials, Enterprise.name).limit(limit)
    with db.session() as session:
        return list(session.exec(statement).all())


_HISTORY_SQL = """
SELECT i.id, e.id, e.name, e.industry, i.started_at, i.status, i.place,
       (SELECT count(*) FROM finding f WHERE f.inspection_id = i.id AND f.deleted_at IS NULL),
       (SELECT count(*) FROM finding f WHERE f.inspection_id = i.id AND f.deleted_at IS NULL AND f.result = 'fail'),
       (SELECT count(*) FROM finding f WHERE f.inspection_id = i.id AND f.deleted_at IS NULL
                                          AND f.result = 'fail' AND f.level = 'major'),
       (SELECT count(*) FROM photo p JOIN finding f ON p.finding_id = f.id
         WHERE f.inspection_id = i.id AND p.deleted_at IS NULL AND f.deleted_at IS NULL)
FROM inspection i JOIN enterprise e ON e.id = i.enterprise_id
WHERE i.enterprise_id = :enterprise_id AND i.deleted_at IS NULL
ORDER BY i.started_at DESC
"""

_OPEN_HAZARDS_SQL = """
SELECT f.id, i.id, i.started_at, f.item_id, f.description, f.location, f.level, f.deadline, f.status
FROM finding f JOIN inspection i ON i.id = f.inspection_id
WHERE i.enterprise_id = :enterprise_id AND i.deleted_at IS NULL AND f.deleted_at IS NULL
  AND f.result = 'fail' AND f.status != 'closed'
ORDER BY CASE WHEN f.level = 'major' THEN 0 ELSE 1 END, i.started_at DESC, f.seq, f.id
"""


def enterprise_history(db: Database, enterprise_id: str) -> list[InspectionSummary]:
    """The enterprise's inspections, newest first, with counts of items, hazards and photos."""
    with db.session() as session:
        rows = session.execute(text(_HISTORY_SQL), {"enterprise_id": enterprise_id}).all()
    return [InspectionSummary(r[0], r[1], r[2], r[3], from_utc_text(r[4]), *r[5:]) for r in rows]


def open_hazards(db: Database, enterprise_id: str) -> list[OpenHazard]:
    """Hazards of the enterprise not yet closed (销号), major ones first."""
    from inspector.db.portable_sql import as_date

    with db.session() as session:
        rows = session.execute(text(_OPEN_HAZARDS_SQL), {"enterprise_id": enterprise_id}).all()
    return [
        OpenHazard(r[0], r[1], from_utc_text(r[2]), r[3], r[4], r[5], r[6],
                   as_date(r[7]), r[8])  # a DATE: text on SQLite, a date on the server
        for r in rows
    ]


# --- validation -----------------------------------------------------------------


def _clean(*, name: str, credit_code: str, details: dict[str, str]) -> dict:
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"unknown enterprise fields: {sorted(unknown)}")
    name = " ".join((name or "").split())
    if not name:
        raise UserError("企业名称不能为空。")
    values = {"name": _limit(name, "企业名称"), "credit_code": normalized_credit_code(credit_code),
              "name_initials": initials(name)}
    for field, value in details.items():
        values[field] = _limit((value or "").strip(), DETAIL_FIELDS[field])
    return values


def normalized_credit_code(code: str | None) -> str | None:
    """None for an empty code; the normalised code when valid; UserError saying why otherwise."""
    code = credit_codes.normalize(code or "")
    if not code:
        return None
    problem = credit_codes.problem(code)
    if problem:
        raise UserError(f"{problem}。")
    return code


def _limit(value: str, label: str) -> str:
    if len(value) > MAX_FIELD:
        raise UserError(f"{label}过长（{len(value)} 字，上限 {MAX_FIELD}）。")
    return value


def _refuse_duplicate(session: Session, name: str, code: str | None, except_id: str | None = None) -> None:
    same = select(Enterprise).where(col(Enterprise.deleted_at).is_(None))
    if except_id:
        same = same.where(Enterprise.id != except_id)
    if code:
        other = session.exec(same.where(Enterprise.credit_code == code)).first()
        if other:
            raise UserError(f"统一社会信用代码 {code} 已登记给“{other.name}”。")
    if session.exec(same.where(Enterprise.name == name)).first():
        raise UserError(f"企业“{name}”已经登记过。")


def _get(session: Session, enterprise_id: str) -> Enterprise:
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None or enterprise.deleted_at is not None:
        raise NotFoundError(f"找不到企业（编号 {enterprise_id}）。")
    return enterprise


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
