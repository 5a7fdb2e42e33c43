"""The list of stored notices (the 文书 tab, ``inspector notices``) and the inspections that hold two
live documents of one kind (old data, or two laptops that each issued one offline)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from inspector.core.documents.numbering import KIND_NAMES

if TYPE_CHECKING:
    from inspector.db.database import Database


@dataclass(frozen=True)
class NoticeSummary:
    """One row of the notices list (no PDF bytes)."""

    id: str
    kind: str
    number_text: str
    number_id: str | None
    enterprise_id: str
    enterprise: str
    inspection_id: str | None
    reinspection_id: str | None
    issued_at: datetime  # when the laptop stored it
    status: str
    supersedes_id: str | None
    correction_reason: str
    void_reason: str
    pdf_sha256: str
    issued_on: date | None = None  # the printed record date
    backdate_reason: str = ""

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)

    def as_json(self) -> dict:
        return self.__dict__ | {"issued_at": self.issued_at.isoformat(), "kind_name": self.kind_name,
                                "issued_on": self.record_date.isoformat()}

    @property
    def record_date(self) -> date:
        from inspector.core.common.clock import local

        return self.issued_on or local(self.issued_at).date()


_SUMMARY_SQL = """
SELECT n.id, n.kind, n.number_text, n.number_id, n.enterprise_id, coalesce(e.name, ''), n.inspection_id,
       n.reinspection_id, n.issued_at, n.status, n.supersedes_id, n.correction_reason, n.void_reason, n.pdf_sha256,
       n.issued_on, n.backdate_reason
FROM notice n LEFT JOIN enterprise e ON e.id = n.enterprise_id
WHERE n.deleted_at IS NULL
ORDER BY n.issued_at DESC, n.id
"""


def notice_summaries(db: "Database") -> list[NoticeSummary]:
    """Every stored notice, newest record date first (then newest stored first)."""
    from sqlalchemy import text

    from inspector.core.common.clock import local
    from inspector.db.portable_sql import as_date
    from inspector.db.types import from_utc_text

    with db.session() as session:
        rows = session.execute(text(_SUMMARY_SQL)).all()
    summaries = [NoticeSummary(*row[:8], from_utc_text(row[8]), *row[9:14], as_date(row[14]), row[15] or "")
                 for row in rows]
    # the record date is the China date of issued_at unless one was printed: computed here, not in SQL
    # (SQLite's date(x, '+8 hours') has no portable form); the sort is stable, so issued_at DESC stays
    return sorted(summaries, key=lambda s: s.issued_on or local(s.issued_at).date(), reverse=True)


_DOUBLE_LIVE_SQL = """
SELECT n.kind, coalesce(n.inspection_id, n.reinspection_id) AS source, n.number_text, coalesce(e.name, '')
FROM notice n LEFT JOIN enterprise e ON e.id = n.enterprise_id
JOIN (SELECT kind, coalesce(inspection_id, reinspection_id) AS source FROM notice
      WHERE status = 'issued' AND deleted_at IS NULL AND coalesce(inspection_id, reinspection_id) IS NOT NULL
      GROUP BY kind, coalesce(inspection_id, reinspection_id) HAVING count(*) > 1) d
  ON d.kind = n.kind AND d.source = coalesce(n.inspection_id, n.reinspection_id)
WHERE n.status = 'issued' AND n.deleted_at IS NULL
ORDER BY n.kind, source, n.issued_at, n.id
"""


def double_live_notices(db: "Database") -> list[str]:
    """One Chinese sentence per inspection (or re-inspection) with two or more live documents of a kind.

    Issuing refuses that, but databases from before the rule, or two laptops that each issued one
    offline and were merged, can hold such pairs: someone must void or correct all but one.
    """
    from sqlalchemy import text

    with db.session() as session:
        rows = session.execute(text(_DOUBLE_LIVE_SQL)).all()
    groups: dict[tuple[str, str], tuple[str, list[str]]] = {}  # the numbers joined here: no group_concat
    for kind, source, number, enterprise in rows:
        groups.setdefault((kind, source), (enterprise, []))[1].append(number)
    return [f"{enterprise}的同一次检查有多份有效的{KIND_NAMES.get(kind, kind)}：{'、'.join(numbers)}，请作废或更正多余的一份。"
            for (kind, _source), (enterprise, numbers) in groups.items()]
