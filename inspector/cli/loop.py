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
    add_force(analysis)
    analysis.set_defaults(handler=run_analysis)
    _register_hazard(subparsers)


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
    from inspector.core.reports.ledger_export import export_ledger

    check_output(args.out, "ledger", force=args.force)
    flt = make_filter(services.db, date_from=parse_date(args.date_from, "起始日期"),
                      date_to=parse_date(args.date_to, "截止日期"), sector=args.sector, status=args.status)
    sync_notice_events(services.db)  # hazards of notices issued since: 待整改 → 整改中, as in the GUI
    count = export_ledger(services.db, args.out, flt)
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
        if len(overdue) > 20:
            print(f"……另有 {len(overdue) - 20} 项，完整清单请用 inspector ledger --status 逾期 导出。")
    return 0


def _short(finding_id: str, found_at) -> str:
    from inspector.core.common.clock import local
    from inspector.core.loop.hazards import ledger_number

    return ledger_number(finding_id, local(found_at).date())


def run_analysis(args, services) -> int:
    from inspector.core.reports.analysis import monthly_analysis, parse_month

    from inspector.core.common.outputs import check_output, write_output

    month = parse_month(args.month)
    if not args.out and not args.json:
        raise UserError("请用 --out report.pdf 指定报告文件，或用 --json 输出数据。")
    if args.out:
        check_output(args.out, "pdf", force=args.force)
    result = monthly_analysis(services.db, month)
    if args.json:
        print_json(result.as_json())
    if args.out:
        from inspector.core.reports.analysis_report import render_analysis_pdf

        write_output(args.out, render_analysis_pdf(result), "pdf", force=args.force)
        print(f"已生成{result.label}隐患分析报告：{args.out}", file=sys.stderr if args.json else sys.stdout)
    return 0


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
