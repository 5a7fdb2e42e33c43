"""The hazard life cycle (隐患闭环): statuses, allowed steps, dated and attributed history.

A hazard is a finding with result ``fail``. Its status moves

    待整改 pending → 整改中 rectifying → 待复查 awaiting_review → 已销号 closed

or to 移交执法 escalated. 逾期 (overdue) is never stored: it is derived from the deadline
(before today, China time) while the hazard is still open. Every step updates the finding
and appends one :class:`~inspector.db.models.HazardEvent` in the same transaction; events
are never changed afterwards, so histories from several laptops merge by id.

销号 (closing) needs at least one "after" photo of the hazard and a reviewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Sequence

from inspector.errors import NotFoundError, UserError

if TYPE_CHECKING:
    from sqlmodel import Session

    from inspector.db.database import Database
    from inspector.db.models import Finding, HazardEvent, Notice

PENDING, RECTIFYING, AWAITING_REVIEW, CLOSED, ESCALATED = (
    "pending", "rectifying", "awaiting_review", "closed", "escalated")
OVERDUE = "overdue"
OPEN_STATUSES = (PENDING, RECTIFYING, AWAITING_REVIEW)
FINAL_STATUSES = (CLOSED, ESCALATED)
STATUS_LABELS = {
    PENDING: "待整改", RECTIFYING: "整改中", AWAITING_REVIEW: "待复查", CLOSED: "已销号",
    ESCALATED: "移交执法", OVERDUE: "逾期",
}
LEVEL_LABELS = {"general": "一般", "major": "重大"}

#: Which status may follow which. A step to the same status only records a new deadline
#: or a notice (an annotation); closed is final, an escalated hazard may still be closed.
ALLOWED: dict[str, tuple[str, ...]] = {
    PENDING: (RECTIFYING, AWAITING_REVIEW, CLOSED, ESCALATED),
    RECTIFYING: (AWAITING_REVIEW, CLOSED, ESCALATED),
    AWAITING_REVIEW: (RECTIFYING, CLOSED, ESCALATED),
    ESCALATED: (CLOSED,),
    CLOSED: (),
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    """Past its deadline and still open (not closed, not handed to enforcement)."""
    return deadline is not None and deadline < today and status not in FINAL_STATUSES


def effective_status(status: str, deadline: date | None, today: date) -> str:
    """The stored status, or ``overdue`` when the deadline has passed on an open hazard."""
    return OVERDUE if is_overdue(status, deadline, today) else status


def parse_status(text: str) -> str:
    """A status code from a code or its Chinese name (``逾期``/``overdue`` included)."""
    value = (text or "").strip()
    for code, label in STATUS_LABELS.items():
        if value in (code, label):
            return code
    names = "、".join(f"{label}（{code}）" for code, label in STATUS_LABELS.items())
    raise UserError(f"未知的隐患状态“{value}”，可用：{names}。")


def ledger_number(finding_id: str, found_on: date | None) -> str:
    """The hazard number printed in the ledger: ``XGKF-2025-1A2B3C4D`` (park, year, stable id part: the id's
    random digits, :func:`inspector.db.ids.short_id`)."""
    from inspector.db.ids import short_id

    year = found_on.year if found_on else 0
    return f"XGKF-{year:04d}-{short_id(finding_id).upper()}"


# --- steps ----------------------------------------------------------------------------------

def transition(db: "Database", finding_id: str, to_status: str, inspector_id: str | None, note: str = "",
               deadline: date | None = None, *, reinspection_id: str | None = None,
               notice_id: str | None = None, today: date | None = None) -> str:
    """Move a hazard to ``to_status`` (one transaction); returns the new event's id."""
    with db.session() as session:
        event = apply_transition(session, db.device_id, finding_id, to_status, inspector_id, note, deadline,
                                 reinspection_id=reinspection_id, notice_id=notice_id, today=today)
    return event.id


def close(db: "Database", finding_id: str, reviewer_id: str | None, note: str = "", *,
          reinspection_id: str | None = None) -> str:
    """销号: needs an "after" photo of the hazard and the reviewer who checked it."""
    return transition(db, finding_id, CLOSED, reviewer_id, note, reinspection_id=reinspection_id)


def escalate(db: "Database", finding_id: str, inspector_id: str | None, note: str, *,
             reinspection_id: str | None = None) -> str:
    """移交执法: the reason is required."""
    return transition(db, finding_id, ESCALATED, inspector_id, note, reinspection_id=reinspection_id)


def set_deadline(db: "Database", finding_id: str, deadline: date, inspector_id: str | None, note: str = "") -> str:
    """A new deadline without a change of status (延期), kept in the history like any step."""
    with db.session() as session:
        finding = live_hazard(session, finding_id)
        event = apply_transition(session, db.device_id, finding_id, finding.status, inspector_id, note, deadline)
    return event.id


def record_notice(db: "Database", notice_id: str, inspector_id: str | None, finding_ids: Sequence[str] = ()) -> int:
    """After a rectification notice was issued: pending hazards become 整改中, others get a note.

    ``finding_ids`` defaults to the notice's own; hazards already carrying an event of this
    notice are skipped, so calling it twice changes nothing. Returns the number of events.
    """
    from inspector.db.models import Notice

    with db.session() as session:
        notice = session.get(Notice, notice_id)
        if notice is None or notice.deleted_at is not None:
            raise NotFoundError(f"找不到文书 {notice_id}。")
        return record_notice_in_session(session, db.device_id, notice, inspector_id, finding_ids)


def record_notice_in_session(session: "Session", device_id: str, notice: "Notice", inspector_id: str | None,
                             finding_ids: Sequence[str] = ()) -> int:
    """:func:`record_notice` inside the caller's transaction (used when the notice is issued)."""
    from sqlmodel import select

    from inspector.db.models import Finding, HazardEvent

    done = set(session.exec(select(HazardEvent.finding_id).where(HazardEvent.notice_id == notice.id)).all())
    written = 0
    for finding_id in finding_ids or notice.finding_ids:
        finding = session.get(Finding, finding_id)
        if (finding is None or finding.deleted_at is not None or finding.result != "fail"
                or finding_id in done or finding.status in FINAL_STATUSES):
            continue  # deleted or corrected since, already recorded, or done with
        target = RECTIFYING if finding.status == PENDING else finding.status
        note = f"下达{notice.number_text}" if notice.number_text else "下达整改文书"
        apply_transition(session, device_id, finding_id, target, inspector_id, note, notice_id=notice.id)
        written += 1
    return written


#: ``{ids}`` is :func:`inspector.db.portable_sql.json_ids` of ``n.finding_ids`` (json_each on SQLite).
#: ``(f.status || '')`` keeps SQLite from walking ix_finding_status (every open finding, passed items
#: included) once per notice instead of looking up the notice's few findings by id: 236 s -> 0.1 s for
#: 1,851 notices on a 2,000-inspection demo.
_UNRECORDED_NOTICES_SQL = """
SELECT n.id, i.inspector_ids FROM notice n LEFT JOIN inspection i ON i.id = n.inspection_id
WHERE n.kind IN ('order', 'park') AND n.status = 'issued' AND n.deleted_at IS NULL
  AND EXISTS (SELECT 1 FROM {ids} JOIN finding f ON f.id = j.value
              WHERE (f.status || '') IN ('pending', 'rectifying', 'awaiting_review') AND NOT EXISTS (
                  SELECT 1 FROM hazard_event e WHERE e.finding_id = j.value AND e.notice_id = n.id))
ORDER BY n.issued_at
"""


def sync_notice_events(db: "Database") -> int:
    """:func:`record_notice` for every issued rectification notice not yet in its hazards' history
    (attributed to the inspection's first inspector); returns the number of events written."""
    import json

    from sqlalchemy import text

    from inspector.db.portable_sql import json_ids

    with db.session() as session:
        sql = _UNRECORDED_NOTICES_SQL.format(ids=json_ids(session, "n.finding_ids"))
        pending = session.execute(text(sql)).all()
    written = 0
    for notice_id, team in pending:
        ids = json.loads(team) if isinstance(team, str) else (team or [])
        if ids:
            written += record_notice(db, notice_id, ids[0])
    return written


def apply_transition(session: "Session", device_id: str, finding_id: str, to_status: str,
                     inspector_id: str | None, note: str = "", deadline: date | None = None, *,
                     reinspection_id: str | None = None, notice_id: str | None = None,
                     today: date | None = None, at: datetime | None = None) -> "HazardEvent":
    """:func:`transition` inside the caller's session (several steps in one transaction)."""
    from inspector.core.common.clock import local_today
    from inspector.core.common.synced import mark_changed
    from inspector.db.models import HazardEvent
    from inspector.db.types import utcnow

    finding = live_hazard(session, finding_id)
    note = " ".join((note or "").split())
    _check_step(session, finding, to_status, inspector_id, note, deadline, notice_id, today or local_today())
    when = at or utcnow()
    event = HazardEvent(finding_id=finding.id, at=when, inspector_id=inspector_id, from_status=finding.status,
                        to_status=to_status, deadline=deadline, reinspection_id=reinspection_id,
                        notice_id=notice_id, note=note, device_id=device_id)
    finding.status = to_status
    finding.closed_at = when if to_status == CLOSED else None
    if deadline is not None:
        finding.deadline = deadline
    mark_changed(finding)
    session.add(finding)
    session.add(event)
    return event


def _check_step(session: "Session", finding: "Finding", to_status: str, inspector_id: str | None, note: str,
                deadline: date | None, notice_id: str | None, today: date) -> None:
    if to_status not in ALLOWED:
        parse_status(to_status)  # raises with the list of statuses
        raise UserError("逾期由整改期限自动判定，不能直接设置。")
    _check_inspector(session, inspector_id, "复查人" if to_status == CLOSED else "检查人员")
    same = to_status == finding.status
    if (same and not (deadline or notice_id)) or (not same and to_status not in ALLOWED[finding.status]):
        raise UserError(f"隐患当前状态为“{status_label(finding.status)}”，不能改为“{status_label(to_status)}”。")
    if same and finding.status not in OPEN_STATUSES:
        raise UserError(f"隐患已{status_label(finding.status)}，不能再更改整改期限。")
    if deadline is not None and deadline < today:
        raise UserError(f"新的整改期限 {deadline.isoformat()} 早于今天，请重新选择。")
    if finding.status == AWAITING_REVIEW and to_status == RECTIFYING and deadline is None:
        raise UserError("复查未通过、退回整改时须给出新的整改期限。")
    if to_status == ESCALATED and not note:
        raise UserError("移交执法须注明原因。")
    if to_status == CLOSED and after_photo_count(session, finding.id) == 0:
        raise UserError("销号须有整改后照片作为佐证，请先添加整改后照片。")


def _check_inspector(session: "Session", inspector_id: str | None, role: str) -> None:
    from inspector.db.models import Inspector

    if not inspector_id:
        raise UserError(f"请选择{role}：每一步都须注明经办人。")
    row = session.get(Inspector, inspector_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"找不到{role}（编号 {inspector_id}）。")


def live_hazard(session: "Session", finding_id: str) -> "Finding":
    from inspector.db.models import Finding

    finding = session.get(Finding, finding_id)
    if finding is None or finding.deleted_at is not None:
        raise NotFoundError(f"找不到隐患（编号 {finding_id}）。")
    if finding.result != "fail":
        raise UserError("该检查项不是隐患（结果不是“不合格”），没有整改状态。")
    return finding


def after_photo_count(session: "Session", finding_id: str) -> int:
    from sqlalchemy import text

    return session.execute(text(
        "SELECT count(*) FROM photo WHERE finding_id = :f AND kind = 'after' AND deleted_at IS NULL"
    ), {"f": finding_id}).scalar_one()


# --- history --------------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryStep:
    """One line of a hazard's history; the first (kind ``found``) comes from its inspection."""

    kind: str  # found / step / deadline / notice
    at: datetime
    inspector: str
    from_status: str
    to_status: str
    deadline: date | None
    note: str
    notice_number: str = ""
    reinspection_id: str | None = None
    event_id: str | None = None

    def describe(self) -> str:
        """One Chinese sentence: ``2025-03-07 张伟：整改中 → 待复查（企业报告整改完成）``."""
        from inspector.core.common.clock import format_local

        return step_text(format_local(self.at, with_time=False), self.inspector, self.kind, self.from_status,
                         self.to_status, self.deadline.isoformat() if self.deadline else "", self.note,
                         self.notice_number)


def step_text(day: str, who: str, kind: str, from_status: str, to_status: str, deadline: str, note: str,
              notice_number: str = "") -> str:
    """:meth:`HistoryStep.describe` from plain values (the ledger calls it for every event)."""
    if kind == "found":
        body = "检查发现隐患" + (f"，整改期限 {deadline}" if deadline else "")
    elif from_status == to_status:
        body = status_label(to_status) + (f"，整改期限改为 {deadline}" if deadline else "")
    else:
        body = f"{status_label(from_status)} → {status_label(to_status)}" + (f"，新整改期限 {deadline}" if deadline else "")
    parts = (notice_number if notice_number not in note else "", note)
    extra = "；".join(part for part in parts if part and part not in body)
    return f"{day} {who or '—'}：{body}" + (f"（{extra}）" if extra else "")


_HISTORY_SQL = """
SELECT e.id, e.at, coalesce(i.name, ''), e.from_status, e.to_status, e.deadline, e.note,
       coalesce(n.number_text, ''), e.reinspection_id
FROM hazard_event e
LEFT JOIN inspector i ON i.id = e.inspector_id
LEFT JOIN notice n ON n.id = e.notice_id
WHERE e.finding_id = :f AND e.deleted_at IS NULL
ORDER BY e.at, e.created_at, e.id
"""


def history(db: "Database", finding_id: str) -> list[HistoryStep]:
    """The hazard's steps, oldest first, starting with its finding."""
    with db.session() as session:
        return history_in(session, finding_id)


def history_in(session: "Session", finding_id: str) -> list[HistoryStep]:
    from sqlalchemy import text

    from inspector.db.types import from_utc_text

    steps = [_found_step(session, finding_id)]
    for row in session.execute(text(_HISTORY_SQL), {"f": finding_id}).all():
        kind = "notice" if row[7] else "step"
        if row[3] == row[4] and not row[7]:
            kind = "deadline"
        steps.append(HistoryStep(kind, from_utc_text(row[1]), row[2], row[3], row[4], _date(row[5]), row[6],
                                 row[7], row[8], row[0]))
    return steps


def _found_step(session: "Session", finding_id: str) -> HistoryStep:
    from inspector.db.models import Inspection, Inspector

    finding = live_hazard(session, finding_id)
    inspection = session.get(Inspection, finding.inspection_id)
    names = [row.name for row in (session.get(Inspector, i) for i in (inspection.inspector_ids or [])) if row]
    first_deadline = _first_deadline(session, finding)
    return HistoryStep("found", inspection.started_at, "、".join(names), "", PENDING, first_deadline,
                       finding.location)


def _first_deadline(session: "Session", finding: "Finding") -> date | None:
    """The deadline set when the hazard was found: the current one unless a step changed it
    (events keep the new deadline, not the old one)."""
    from sqlalchemy import text

    changed = session.execute(text(
        "SELECT count(*) FROM hazard_event WHERE finding_id = :f AND deadline IS NOT NULL AND deleted_at IS NULL"
    ), {"f": finding.id}).scalar_one()
    return None if changed else finding.deadline


def _date(value) -> date | None:
    from inspector.db.portable_sql import as_date

    return as_date(value)


# --- lookup ---------------------------------------------------------------------------------

def resolve_finding_id(db: "Database", text_id: str) -> str:
    """A hazard id from its full id, an id prefix (8+ characters) or its ledger number (the number part of a
    time-ordered id is its last 8 digits: :func:`ledger_number`)."""
    from sqlalchemy import text

    value = (text_id or "").strip()
    if value.upper().startswith("XGKF-"):
        value = value.rsplit("-", 1)[-1]
    if len(value) < 8:
        raise UserError("隐患编号至少要写 8 位（或写台账中的 XGKF-年份-编号）。")
    with db.session() as session:
        rows = session.execute(text(
            "SELECT id FROM finding WHERE (lower(id) LIKE :p OR (:short = 1 AND substr(id, 15, 1) = '7' AND lower(id) LIKE :s)) "
            "AND result = 'fail' AND deleted_at IS NULL LIMIT 2"
        ), {"p": value.lower() + "%", "s": "%" + value.lower(), "short": int(len(value) == 8)}).scalars().all()
    if not rows:
        raise NotFoundError(f"找不到隐患 {text_id}。")
    if len(rows) > 1:
        raise UserError(f"编号 {text_id} 对应多条隐患，请写得更完整一些。")
    return rows[0]


def resolve_inspector_id(db: "Database", name_or_id: str) -> str:
    """An inspector id from an id or a (unique) name."""
    from sqlalchemy import text

    value = (name_or_id or "").strip()
    with db.session() as session:
        rows = session.execute(text(
            "SELECT id FROM inspector WHERE (id = :v OR name = :v) AND deleted_at IS NULL"
        ), {"v": value}).scalars().all()
    if not rows:
        raise NotFoundError(f"找不到检查人员“{value}”。")
    if len(rows) > 1:
        raise UserError(f"有多名检查人员叫“{value}”，请改用编号。")
    return rows[0]
