"""``inspector reinspect``: the 复查 tab's steps on the command line, over ``core/loop/reinspections.py``.

list (enterprises with open hazards) → start ENTERPRISE (a draft visit, the one the GUI resumes) →
record HAZARD --result 已整改|未整改|移交执法 (after photos, new deadline, note) → complete ENTERPRISE
(every outcome applied in one transaction). ``show ENTERPRISE`` prints the hazards and the outcomes so far.
Works on the laptop's file and on the office server alike (the core API is portable SQL).
"""

from __future__ import annotations

import sys
from pathlib import Path

from inspector.cli.output import print_json, print_table
from inspector.errors import NotFoundError, UserError

RESULT_NAMES = {"已整改": "rectified", "合格": "rectified", "未整改": "not_rectified", "移交执法": "escalated"}


def register(subparsers) -> None:
    reinspect = subparsers.add_parser("reinspect", help="复查：list 待复查企业，start 开始，record 记录结论，complete 完成")
    inner = reinspect.add_subparsers(dest="reinspect_command", metavar="list|show|start|record|complete")
    reinspect.set_defaults(handler=lambda args, services: _usage(reinspect))
    listing = inner.add_parser("list", help="有未销号隐患的企业（逾期、待复查多的在前）")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_list)
    show = inner.add_parser("show", help="企业的待复查隐患及本次复查已记录的结论")
    show.add_argument("enterprise", metavar="企业名称或编号")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=run_show)
    start = inner.add_parser("start", help="开始对一家企业的复查（已有进行中的复查时继续它）")
    start.add_argument("enterprise", metavar="企业名称或编号")
    start.add_argument("--inspector", required=True, action="append", metavar="姓名或编号", help="复查人员（可写多次）")
    start.add_argument("--notes", default="", help="备注")
    start.set_defaults(handler=run_start)
    _register_record(inner)
    complete = inner.add_parser("complete", help="完成复查：已整改的销号，未整改的改期，其余移交执法")
    complete.add_argument("enterprise", metavar="企业名称或编号")
    complete.add_argument("--reviewer", metavar="姓名或编号", help="销号的复查人（默认第一名复查人员）")
    complete.set_defaults(handler=run_complete)


def _register_record(inner) -> None:
    record = inner.add_parser("record", help="记录一项隐患的复查结论（可同时附整改后照片）")
    record.add_argument("hazard", metavar="隐患编号")
    record.add_argument("--result", required=True, metavar="已整改|未整改|移交执法")
    record.add_argument("--photo", dest="photos", action="append", type=Path, default=[], metavar="FILE",
                        help="本次复查拍摄的整改后照片（可写多次；判定已整改时必须有）")
    record.add_argument("--deadline", metavar="YYYY-MM-DD", help="未整改时的新整改期限")
    record.add_argument("--note", default="", help="复查意见")
    record.set_defaults(handler=run_record)


def _usage(parser) -> int:
    parser.print_help(sys.stderr)
    return 2


# --- list and show --------------------------------------------------------------------------

def run_list(args, services) -> int:
    from inspector.core.loop.hazards import sync_notice_events
    from inspector.core.loop.reinspections import enterprises_to_review

    sync_notice_events(services.db)  # hazards of notices issued since: 待整改 → 整改中, as the GUI shows them
    found = enterprises_to_review(services.db)
    drafts = _drafts(services.db)
    if args.json:
        print_json([{"id": e.id, "name": e.name, "industry": e.industry, "open_hazards": e.open_hazards,
                     "overdue": e.overdue, "awaiting_review": e.awaiting_review, "draft": drafts.get(e.id)}
                    for e in found])
        return 0
    if not found:
        print("没有未销号的隐患，无需复查。")
        return 0
    print_table(["企业", "行业", "未销号", "逾期", "待复查", "复查", "编号"],
                [[e.name, e.industry, e.open_hazards, e.overdue, e.awaiting_review,
                  "进行中" if e.id in drafts else "", e.id] for e in found])
    return 0


def _drafts(db) -> dict[str, str]:
    """Enterprise id → its latest unfinished re-inspection."""
    from sqlalchemy import text

    with db.session() as session:
        rows = session.execute(text(
            "SELECT enterprise_id, id FROM reinspection WHERE status = 'draft' AND deleted_at IS NULL "
            "ORDER BY started_at, id")).all()
    return {row[0]: row[1] for row in rows}


def run_show(args, services) -> int:
    from inspector.core.loop.reinspections import draft_reinspection, open_hazards

    enterprise_id, name = _enterprise(services.db, args.enterprise)
    visit_id = draft_reinspection(services.db, enterprise_id)
    found = open_hazards(services.db, enterprise_id, visit_id)
    if args.json:
        print_json({"enterprise_id": enterprise_id, "enterprise": name, "reinspection_id": visit_id,
                    "hazards": [_hazard_json(h) for h in found]})
        return 0
    state = f"进行中的复查 {visit_id}" if visit_id else "尚未开始复查（inspector reinspect start）"
    print(f"{name}：待复查隐患 {len(found)} 项；{state}")
    if found:
        print_table(["隐患编号", "等级", "隐患", "整改期限", "状态", "整改后照片", "复查结论"],
                    [_hazard_row(h) for h in found])
    return 0


def _hazard_row(hazard) -> list:
    from inspector.core.loop.hazards import status_label
    from inspector.core.loop.reinspections import OUTCOME_LABELS

    outcome = OUTCOME_LABELS.get(hazard.outcome, "") if hazard.outcome else ""
    if hazard.new_deadline:
        outcome += f"（新期限 {hazard.new_deadline.isoformat()}）"
    return [_number(hazard), "重大" if hazard.level == "major" else "一般", hazard.description[:24],
            hazard.deadline.isoformat() if hazard.deadline else "", status_label(hazard.status), len(hazard.after), outcome]


def _hazard_json(hazard) -> dict:
    return {"finding_id": hazard.finding_id, "number": _number(hazard), "level": hazard.level,
            "description": hazard.description, "location": hazard.location, "status": hazard.status,
            "deadline": hazard.deadline.isoformat() if hazard.deadline else None,
            "before_photos": len(hazard.before), "after_photos": len(hazard.after), "outcome": hazard.outcome,
            "new_deadline": hazard.new_deadline.isoformat() if hazard.new_deadline else None, "note": hazard.note}


def _number(hazard) -> str:
    from inspector.core.common.clock import local
    from inspector.core.loop.hazards import ledger_number

    return ledger_number(hazard.finding_id, local(hazard.found_at).date())


# --- start, record, complete ----------------------------------------------------------------

def run_start(args, services) -> int:
    from inspector.core.loop.hazards import resolve_inspector_id
    from inspector.core.loop.reinspections import draft_reinspection, start_reinspection

    enterprise_id, name = _enterprise(services.db, args.enterprise)
    team = [resolve_inspector_id(services.db, person) for person in args.inspector]
    draft = draft_reinspection(services.db, enterprise_id)
    if draft:
        print(f"{name}已有进行中的复查（编号 {draft}），继续记录即可。")
        return 0
    visit_id = start_reinspection(services.db, enterprise_id, team, args.notes)
    print(f"已开始对{name}的复查（编号 {visit_id}）。")
    return 0


def run_record(args, services) -> int:
    """After photos first only for 已整改 (its outcome needs them); otherwise the outcome is checked and saved
    first, so a refused outcome (a missing or past deadline) leaves no photo behind."""
    from inspector.core.loop import reinspections as core
    from inspector.core.loop.hazards import resolve_finding_id
    from inspector.cli.loop import parse_date

    outcome = _outcome(args.result)
    finding_id = resolve_finding_id(services.db, args.hazard)
    visit_id = _visit_of_hazard(services.db, finding_id)
    deadline = parse_date(args.deadline, "整改期限")
    if outcome == core.RECTIFIED:
        _add_photos(services.db, visit_id, finding_id, args.photos)
    core.record_outcome(services.db, visit_id, finding_id, outcome, deadline, args.note)
    if outcome != core.RECTIFIED:
        _add_photos(services.db, visit_id, finding_id, args.photos)
    late = f"，新的整改期限 {deadline.isoformat()}" if outcome == core.NOT_RECTIFIED else ""
    print(f"已记录复查结论：{core.OUTCOME_LABELS[outcome]}{late}（完成复查时生效：inspector reinspect complete）。")
    return 0


def _outcome(text: str) -> str:
    from inspector.core.loop.reinspections import OUTCOME_LABELS

    value = (text or "").strip()
    if value in OUTCOME_LABELS:
        return value
    if value in RESULT_NAMES:
        return RESULT_NAMES[value]
    raise UserError(f"未知的复查结论“{text}”，可用：已整改、未整改、移交执法。")


def _add_photos(db, visit_id: str, finding_id: str, photos: list[Path]) -> None:
    from inspector.core.loop.reinspections import add_after_photos

    if not photos:
        return
    result = add_after_photos(db, visit_id, finding_id, photos)
    for problem in result.problems:
        print(f"警告：{problem}", file=sys.stderr)
    print(f"已添加整改后照片 {len(result.added)} 张。")


def _visit_of_hazard(db, finding_id: str) -> str:
    from sqlalchemy import text

    from inspector.core.loop.reinspections import draft_reinspection

    with db.session() as session:
        row = session.execute(text(
            "SELECT e.id, e.name FROM finding f JOIN inspection i ON i.id = f.inspection_id "
            "JOIN enterprise e ON e.id = i.enterprise_id WHERE f.id = :f"), {"f": finding_id}).one()
    visit_id = draft_reinspection(db, row[0])
    if visit_id is None:
        raise UserError(f"{row[1]}没有进行中的复查：请先用 inspector reinspect start 开始复查。")
    return visit_id


def run_complete(args, services) -> int:
    from inspector.core.loop.hazards import resolve_inspector_id
    from inspector.core.loop.reinspections import complete_reinspection, draft_reinspection

    enterprise_id, name = _enterprise(services.db, args.enterprise)
    visit_id = draft_reinspection(services.db, enterprise_id)
    if visit_id is None:
        raise UserError(f"{name}没有进行中的复查。")
    reviewer = resolve_inspector_id(services.db, args.reviewer) if args.reviewer else None
    done = complete_reinspection(services.db, visit_id, reviewer)
    print(f"复查已完成：销号 {done.closed} 项，限期整改 {done.rectifying} 项，移交执法 {done.escalated} 项。")
    return 0


def _enterprise(db, value: str) -> tuple[str, str]:
    """(id, name) of a live enterprise from its id, an id prefix of 8+ characters or its exact name."""
    from sqlalchemy import text

    typed = (value or "").strip()
    if not typed:
        raise UserError("请给出企业名称或编号。")
    with db.session() as session:
        rows = session.execute(text(
            "SELECT id, name FROM enterprise WHERE deleted_at IS NULL AND (name = :name OR id = :id"
            + (" OR lower(id) LIKE :prefix" if len(typed) >= 8 else "") + ") ORDER BY id LIMIT 2"),
            {"name": typed, "id": typed, "prefix": typed.lower() + "%"}).all()
    if not rows:
        raise NotFoundError(f"找不到企业“{typed}”（请写企业全称或编号，可用 inspector reinspect list 查看）。")
    if len(rows) > 1:
        raise UserError(f"“{typed}”对应多家企业，请写企业编号。")
    return rows[0][0], rows[0][1]
