"""Closing a month: its analysis is stored as it was, so the report printed later says the same.

Figures of past months move (a deadline extended, a late 销号 recorded, a laptop's file merged): once
:func:`close_month` has stored a month, :func:`analysis_for` returns the stored analysis, with the
list of headline figures that a recomputation would now give differently.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from inspector.errors import UserError

if TYPE_CHECKING:
    from inspector.core.reports.analysis import MonthlyAnalysis
    from inspector.db.database import Database

COMPARED = {"found": "发现隐患", "found_major": "重大隐患", "closed": "销号", "cohort_closed": "本月隐患已销号",
            "cumulative_found": "累计发现", "cumulative_closed": "累计销号"}


@dataclass(frozen=True)
class ClosedMonth:
    closed_at: str
    closed_by: str
    document_number: str


@dataclass(frozen=True)
class AnalysisResult:
    analysis: "MonthlyAnalysis"
    closed: ClosedMonth | None = None
    changed_since: tuple[str, ...] = ()  # "发现隐患 12→13": figures a recomputation gives differently

    @property
    def warning(self) -> str:
        if not self.changed_since:
            return ""
        return ("本月已于关账后发生数据变化（" + "，".join(self.changed_since) + "），报告按关账时的数据出具。")


def close_month(db: "Database", month: date, *, closed_by: str, document_number: str = "",
                today: date | None = None) -> "MonthlyAnalysis":
    """Store the month's analysis as it is now; refuses a month not yet over, or one already closed."""
    from sqlalchemy import text as sql_text
    from sqlalchemy.exc import IntegrityError

    from inspector.core.common.clock import local_today
    from inspector.core.reports.analysis import add_months, monthly_analysis
    from inspector.core.reports.analysis_codec import to_json
    from inspector.db.types import to_utc_text, utcnow

    today = today or local_today()
    if add_months(month, 1) > today:
        raise UserError(f"{month.year}年{month.month}月尚未结束，不能关账。")
    if not closed_by.strip():
        raise UserError("关账须写明关账人。")
    analysis = monthly_analysis(db, month, today=today)
    content = to_json(analysis)
    text = json.dumps(content, ensure_ascii=False, sort_keys=True)
    row = {"month": _key(month), "content": text, "sha": hashlib.sha256(text.encode()).hexdigest(),
           "at": to_utc_text(utcnow()), "by": closed_by.strip(), "number": document_number.strip()}
    with db.session() as session:
        try:
            session.execute(sql_text(
                "INSERT INTO analysis_snapshot (month, content, content_sha256, closed_at, closed_by, document_number) "
                "VALUES (:month, :content, :sha, :at, :by, :number)"), row)
        except IntegrityError:  # the month is the key: two closings, even at once (the server waits), store one
            raise UserError(f"{month.year}年{month.month}月已经关账，不能再次关账。") from None
    return analysis


def analysis_for(db: "Database", month: date, *, today: date | None = None) -> AnalysisResult:
    """The stored analysis of a closed month (with what changed since), else a fresh one."""
    from inspector.core.reports.analysis import monthly_analysis
    from inspector.core.reports.analysis_codec import from_json

    current = monthly_analysis(db, month, today=today)
    stored = _stored(db, month)
    if stored is None:
        return AnalysisResult(current)
    content, closed = stored
    analysis = from_json(content)
    changed = tuple(f"{label} {getattr(analysis, name)}→{getattr(current, name)}" for name, label in COMPARED.items()
                    if getattr(analysis, name) != getattr(current, name))
    return AnalysisResult(analysis, closed, changed)


def _stored(db: "Database", month: date):
    """The stored text as it was written (a JSON column: CAST gives PostgreSQL's kept text, SQLite's own)."""
    from sqlalchemy import text

    with db.session() as session:
        row = session.execute(text(
            "SELECT CAST(content AS TEXT), content_sha256, closed_at, closed_by, document_number "
            "FROM analysis_snapshot WHERE month = :month"), {"month": _key(month)}).first()
    if row is None:
        return None
    if hashlib.sha256(row[0].encode()).hexdigest() != row[1]:
        raise UserError(f"{month.year}年{month.month}月关账数据的校验值不符，已损坏。")
    return json.loads(row[0]), ClosedMonth(row[2], row[3], row[4])


def _key(month: date) -> str:
    return month.strftime("%Y-%m")
