"""Closed-loop commands: ledger, dashboard, analysis, hazard (show, history, status changes)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from inspector.cli.output import add_force, print_json, print_table
from inspector.errors import UserError


def register(subparsers) -> None:
    ledger = subparsers.add_parser("ledger", help="导出隐患台账（.xlsx 或 .csv）")
    ledger.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx|FILE.csv")
    ledger.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="发现日期起（含）")
    ledger.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="发现日期止（含）")
    ledger.add_argument("--sector", metavar="行业", help="企业行业，如 冷库/涉氨制冷 或 cold_storage")
    ledger.add_argument("--status", metavar="状态", help="待整改/整改中/待复查/已销号/移交执法/逾期（或英文代码）")
    add_force(ledger)
    ledger.set_defaults(handler=run_ledger)

    dashboard = subparsers.add_parser("dashboard", help="今日待办：逾期、3日内到期、应复查、重大未销号")
    dashboard.add_argument("--json", action="store_true")
    dashboard.set_defaults(handler=run_dashboard)

    analysis = subparsers.add_parser("analysis", help="月度隐患分析（PDF 报告或 JSON）")
    analysis.add_argument("--month", required=True, metavar="YYYY-MM")
    analysis.add_argument("--out", type=Path, metavar="report.pdf")
    analysis.add_argument("--json", action="store_true")
    analysis.add_argument("--close", action="store_true", help="关账：保存本月分析，此后报告按关账时的数据出具")
    analysis.add_argument("--by", default="", metavar="姓名", help="关账人（--close 时必填）")
    analysis.add_argument("--number", default="", metavar="文号", help="报告文号，如 兴经开安析〔2026〕11号")
    add_force(analysis)
    analysis.set_defaults(handler=run_analysis)
    _register_hazard(subparsers)


GOVERNANCE_OPTIONS = {
    "--interim": "interim_measures", "--plan": "governance_plan", "--funds": "governance_funds",
    "--responsible": "responsible_person", "--phone": "responsible_phone", "--supervision": "supervision",
    "--enforcement": "enforcement", "--remarks": "remarks",
}


def _register_hazard(subparsers) -> None:
    hazard = subparsers.add_parser("hazard", help="隐患：show 详情与处理过程，status/deadline/photo/close/escalate 变更")
    inner = hazard.add_subparsers(dest="hazard_command", metavar="show|status|deadline|photo|close|escalate")
    hazard.set_defaults(handler=lambda args, services: _usage(hazard))
    show = inner.add_parser("show", help="隐患详情与处理过程")
    show.add_argument("hazard", metavar="隐患编号")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=run_show)
    status = inner.add_parser("status", help="改变整改状态（整改中、待复查…）")
    status.add_argument("hazard", metavar="隐患编号")
    status.add_argument("--to", required=True, metavar="状态")
    status.add_argument("--inspector", required=True, metavar="姓名或编号")
    status.add_argument("--deadline", metavar="YYYY-MM-DD", help="新的整改期限")
    status.add_argument("--note", default="")
    status.set_defaults(handler=run_status)
    deadline = inner.add_parser("deadline", help="延长或更改整改期限")
    deadline.add_argument("hazard", metavar="隐患编号")
    deadline.add_argument("--deadline", required=True, metavar="YYYY-MM-DD")
    deadline.add_argument("--inspector", required=True, metavar="姓名或编号")
    deadline.add_argument("--note", default="")
    deadline.set_defaults(handler=run_deadline)
    photo = inner.add_parser("photo", help="添加整改后照片（销号佐证）")
    photo.add_argument("hazard", metavar="隐患编号")
    photo.add_argument("files", nargs="+", type=Path, metavar="FILE")
    photo.set_defaults(handler=run_photo)
    close = inner.add_parser("close", help="销号（须已有整改后照片）")
    close.add_argument("hazard", metavar="隐患编号")
    close.add_argument("--reviewer", required=True, metavar="复查人姓名或编号")
    close.add_argument("--note", default="")
    close.set_defaults(handler=run_close)
    govern = inner.add_parser("govern", help="治理信息：临时管控措施、治理方案、资金、责任人电话、挂牌督办、处罚/立案、备注")
    govern.add_argument("hazard", metavar="隐患编号")
    for option, name in GOVERNANCE_OPTIONS.items():
        govern.add_argument(option, dest=name, metavar="文字")
    govern.set_defaults(handler=run_govern)

    escalate = inner.add_parser("escalate", help="移交执法")
    escalate.add_argument("hazard", metavar="隐患编号")
    escalate.add_argument("--inspector", required=True, metavar="姓名或编号")
    escalate.add_argument("--note", required=True, help="移交原因")
    escalate.set_defaults(handler=run_escalate)


def _usage(parser) -> int:
    parser.print_help(sys.stderr)
    return 2


def parse_date(text: str | None, label: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{label}“{text}”格式不对，请写成 2025-03-01。") from None


# --- ledger, dashboard, analysis ------------------------------------------------------------

def run_ledger(args, services) -> int:
    from inspector.core.common.outputs import check_output
    from inspector.core.loop.hazards import sync_notice_events
    from inspector.core.reports.ledger import make_filter
    from inspector.core.reports.ledger_export import export_ledger, reporting_unit

    check_output(args.out, "ledger", force=args.force)
    flt = make_filter(services.db, date_from=parse_date(args.date_from, "起始日期"),
                      date_to=parse_date(args.date_to, "截止日期"), sector=args.sector, status=args.status)
    sync_notice_events(services.db)  # hazards of notices issued since: 待整改 → 整改中, as in the GUI
    count = export_ledger(services.db, args.out, flt, unit=reporting_unit(services))
    print(f"已导出隐患台账 {count} 条（{flt.describe()}）：{args.out}")
    return 0


def run_dashboard(args, services) -> int:
    from inspector.core.loop.dashboard import CATEGORIES, CATEGORY_LABELS, load_dashboard
    from inspector.core.loop.hazards import sync_notice_events

    sync_notice_events(services.db)
    board = load_dashboard(services.db)
    if args.json:
        print_json(board.as_json())
        return 0
    print("  ".join(f"{CATEGORY_LABELS[c]} {board.counts[c]}" for c in CATEGORIES) + f"（{board.today.isoformat()}）")
    if board.by_enterprise:
        print("\n按企业：")
        rows = [[g.name, g.sector] + [g.counts[c] for c in CATEGORIES] for g in board.by_enterprise[:20]]
        print_table(["企业", "行业"] + [CATEGORY_LABELS[c] for c in CATEGORIES], rows)
    overdue = board.hazards_in("overdue")
    if overdue:
        print("\n逾期隐患（最早到期在前）：")
        rows = [[_short(h.finding_id, h.found_at), h.enterprise, h.description[:24], h.deadline.isoformat(),
                 h.days_overdue(board.today)] for h in overdue[:20]]
        print_table(["隐患编号", "企业", "隐患", "整改期限", "逾期天数"], rows)
        if board.counts["overdue"] > len(rows):  # the count covers every hazard; the board holds the first ones
            print(f"……另有 {board.counts['overdue'] - len(rows)} 项，完整清单请用 inspector ledger --status 逾期 导出。")
    return 0


def _short(finding_id: str, found_at) -> str:
    from inspector.core.common.clock import local
    from inspector.core.loop.hazards import ledger_number

    return ledger_number(finding_id, local(found_at).date())


def run_analysis(args, services) -> int:
    from inspector.core.common.outputs import check_output
    from inspector.core.reports.analysis import parse_month
    from inspector.core.reports.analysis_snapshot import analysis_for, close_month

    month = parse_month(args.month)
    if not args.out and not args.json and not args.close:
        raise UserError("请用 --out report.pdf 指定报告文件，或用 --json 输出数据，或用 --close 关账。")
    if args.out:
        check_output(args.out, "pdf", force=args.force)
    if args.close:
        close_month(services.db, month, closed_by=args.by, document_number=args.number)
        print(f"已关账：{month.year}年{month.month}月的分析已保存，此后报告按关账时的数据出具。",
              file=sys.stderr if args.json else sys.stdout)
    result = analysis_for(services.db, month)
    if result.warning:
        print(f"注意：{result.warning}", file=sys.stderr)
    if not result.analysis.complete:
        print(f"注意：{result.analysis.label}尚未结束，统计截至{result.analysis.end_label}（逾期按当日计）。", file=sys.stderr)
    if args.json:
        from inspector.core.reports.analysis_codec import to_json

        print_json(to_json(result.analysis))
    if args.out:
        _write_analysis(args, services, result)
    return 0


def _write_analysis(args, services, result) -> None:
    from inspector.core.common.outputs import write_output
    from inspector.core.reports.analysis_report import render_analysis_pdf
    from inspector.core.reports.ledger_export import reporting_unit

    pdf = render_analysis_pdf(result, issuer=reporting_unit(services), number=args.number)
    write_output(args.out, pdf, "pdf", force=args.force)
    print(f"已生成{result.analysis.label}安全生产形势分析研判报告：{args.out}", file=sys.stderr if args.json else sys.stdout)


# --- hazard ---------------------------------------------------------------------------------

def run_show(args, services) -> int:
    from inspector.core.loop.hazard_detail import hazard_detail

    detail = hazard_detail(services.db, _finding(args, services))
    if args.json:
        print_json(detail.as_json())
        return 0
    for label, value in detail.fields():
        print(f"{label}：{value}")
    print("\n处理过程：")
    for step in detail.history:
        print("  " + step.describe())
    return 0


def run_status(args, services) -> int:
    from inspector.core.loop import hazards
    finding_id = _finding(args, services)
    to_status = hazards.parse_status(args.to)
    hazards.transition(services.db, finding_id, to_status, _inspector(args.inspector, services), args.note,
                       parse_date(args.deadline, "整改期限"))
    print(f"隐患已改为“{hazards.status_label(to_status)}”。")
    return 0


def run_deadline(args, services) -> int:
    from inspector.core.loop import hazards
    deadline = parse_date(args.deadline, "整改期限")
    hazards.set_deadline(services.db, _finding(args, services), deadline, _inspector(args.inspector, services),
                         args.note)
    print(f"整改期限已改为 {deadline.isoformat()}。")
    return 0


def run_photo(args, services) -> int:
    from inspector.core.photos.store import attach_photos

    result = attach_photos(services.db, finding_id=_finding(args, services), sources=args.files, kind="after")
    for problem in result.problems:
        print(f"警告：{problem}", file=sys.stderr)
    if not result.added:
        raise UserError("没有添加任何照片。")
    print(f"已添加整改后照片 {len(result.added)} 张。")
    return 0


def run_close(args, services) -> int:
    from inspector.core.loop import hazards
    hazards.close(services.db, _finding(args, services), _inspector(args.reviewer, services), args.note)
    print("隐患已销号。")
    return 0


def run_govern(args, services) -> int:
    from inspector.core.loop.governance import FIELDS, as_fields, load_governance, update_governance

    finding_id = _finding(args, services)
    changes = {name: getattr(args, name) for name in GOVERNANCE_OPTIONS.values() if getattr(args, name) is not None}
    if changes:
        changed = update_governance(services.db, finding_id, **changes)
        print("治理信息已更新：" + "、".join(FIELDS[n] for n in changes) + "。" if changed else "治理信息没有变化。")
    for label, value in as_fields(load_governance(services.db, finding_id)):
        print(f"{label}：{value or '—'}")
    return 0


def run_escalate(args, services) -> int:
    from inspector.core.loop import hazards
    hazards.escalate(services.db, _finding(args, services), _inspector(args.inspector, services), args.note)
    print("隐患已移交执法。")
    return 0


def _finding(args, services) -> str:
    from inspector.core.loop.hazards import resolve_finding_id

    return resolve_finding_id(services.db, args.hazard)


def _inspector(value: str, services) -> str:
    from inspector.core.loop.hazards import resolve_inspector_id

    return resolve_inspector_id(services.db, value)
