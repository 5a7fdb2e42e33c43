"""Commands for documents: notice (draft or issue), notices (list, export, void, correct), numbers (verify: verification.py)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from inspector.cli.output import add_force, print_json, print_table
from inspector.core.common.outputs import OutputFile
from inspector.errors import UserError

KIND_CHOICES = ("order", "park", "record", "measure", "referral")


def register(subparsers) -> None:
    notice = subparsers.add_parser("notice", help="为一次检查生成文书 PDF（默认草稿；--issue 编号签发）")
    notice.add_argument("inspection_id", metavar="INSPECTION_ID")
    notice.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    notice.add_argument("--kind", choices=KIND_CHOICES,
                        help="order 责令限期整改指令书，park 安全隐患整改通知书，record 现场检查记录，"
                             "measure 现场处理措施决定书，referral 移送书（消防问题）（默认按设置的文书类别）")
    notice.add_argument("--issue", action="store_true", help="编号、签发并存档（签发后不可修改）")
    add_force(notice)
    notice.add_argument("--date", type=_parse_date, metavar="YYYY-MM-DD",
                        help="文书日期（默认今天；不得晚于今天、早于检查日期）")
    notice.add_argument("--backdate-reason", default="", metavar="原因", help="文书日期早于今天（补签）时须说明原因")
    notice.add_argument("--witness", default="", metavar="姓名", help="现场检查记录：见证人")
    notice.add_argument("--refused", default="", metavar="情况", help="现场检查记录：被检查单位负责人拒绝签字的情况")
    notice.set_defaults(handler=run_notice)
    _register_notices(subparsers)
    _register_numbers(subparsers)


def _register_notices(subparsers) -> None:
    notices = subparsers.add_parser("notices", help="列出已签发的文书；export 导出，void 作废，correct 更正")
    notices.add_argument("--json", action="store_true")
    notices.set_defaults(handler=run_notices)
    inner = notices.add_subparsers(dest="notices_command", metavar="export|void|correct")
    export = inner.add_parser("export", help="导出已签发文书的原始 PDF")
    export.add_argument("notice_id", metavar="NOTICE_ID")
    export.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    add_force(export)
    export.set_defaults(handler=run_export)
    void = inner.add_parser("void", help="作废文书（文号保留，不再使用）")
    void.add_argument("notice_id", metavar="NOTICE_ID")
    void.add_argument("--reason", required=True)
    void.set_defaults(handler=run_void_notice)
    correct = inner.add_parser("correct", help="按检查记录的现状重新签发，取代原文书")
    correct.add_argument("notice_id", metavar="NOTICE_ID")
    correct.add_argument("--reason", required=True)
    correct.add_argument("--out", type=Path, metavar="FILE.pdf")
    add_force(correct)
    correct.set_defaults(handler=run_correct)


def _register_numbers(subparsers) -> None:
    numbers = subparsers.add_parser("numbers", help="文号与号段：block、list、report、void、device")
    numbers.set_defaults(handler=run_report, json=False)
    inner = numbers.add_subparsers(dest="numbers_command", metavar="block|devices|list|report|void|device")
    block = inner.add_parser("block", help="号段：add 新增，list 列出，remove 收回")
    block.set_defaults(handler=run_blocks, json=False, all=False)
    blocks = block.add_subparsers(dest="block_command", metavar="add|list|remove")
    add = blocks.add_parser("add", help="新增号段（默认分配给本机）")
    add.add_argument("--kind", required=True, choices=("order", "park", "record", "review", "measure", "referral"))
    add.add_argument("--year", required=True, type=int)
    add.add_argument("--first", type=int, help="号段起号（与 --last 一起给出；或用 --count）")
    add.add_argument("--last", type=int, help="号段止号")
    add.add_argument("--count", type=int, metavar="N", help="自动分配该序列最小的连续 N 个空闲号（代替 --first/--last）")
    add.add_argument("--device", metavar="DEVICE_ID", help="分配给哪台设备（默认本机）")
    add.add_argument("--prefix", help="文号前缀（默认按文书配置，如（兴）应急责改）")
    add.add_argument("--note", default="")
    add.set_defaults(handler=run_block_add)
    listing = blocks.add_parser("list", help="列出号段（默认本机的）")
    listing.add_argument("--all", action="store_true", help="列出所有设备的号段")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_blocks)
    remove = blocks.add_parser("remove", help="收回号段（已用的文号仍保留）")
    remove.add_argument("block_id", metavar="BLOCK_ID")
    remove.set_defaults(handler=run_block_remove)
    devices = inner.add_parser("devices", help="列出本数据库认识的设备（可为其分配号段的笔记本）")
    devices.add_argument("--json", action="store_true")
    devices.set_defaults(handler=run_devices)
    used = inner.add_parser("list", help="列出已使用的文号")
    used.add_argument("--json", action="store_true")
    used.set_defaults(handler=run_numbers)
    report = inner.add_parser("report", help="各文号序列的缺号、重号与重叠号段")
    report.add_argument("--json", action="store_true")
    report.set_defaults(handler=run_report)
    void = inner.add_parser("void", help="作废文号（连同其文书）")
    void.add_argument("number_id", metavar="NUMBER_ID")
    void.add_argument("--reason", required=True)
    void.set_defaults(handler=run_void_number)
    device = inner.add_parser("device", help="显示本机设备编号（办公室分配号段时使用）")
    device.set_defaults(handler=run_device)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"日期“{text}”格式不对，应为 YYYY-MM-DD。") from None


# --- notice -------------------------------------------------------------------------------

def run_notice(args, services) -> int:
    from inspector.core.documents.notice_data import inspection_document
    from inspector.core.documents.notices import date_order_warnings, default_kind, document_config

    kind = args.kind or default_kind(services)
    config = document_config(services)
    extras = {"witness": args.witness, "refusal_note": args.refused}
    document = inspection_document(services.db, args.inspection_id, kind, config, issued_on=args.date, **extras)
    warnings: list[str] = list(document.hints)
    _print_issued(services, args.inspection_id)
    out = OutputFile(args.out, "pdf", force=args.force)  # a refused path refuses before anything is issued
    if not args.issue:
        with out:
            out.write(_draft(document, config))
        print(f"已生成草稿（未编号，不存档）：{args.out}")
    else:
        notice = _issue_into(out, lambda: _issue(services, args, kind, config, extras))
        print(f"已签发 {notice.number_text}（文书编号 {notice.id}）：{args.out}")
        warnings += date_order_warnings(services.db, notice.id)
    for line in warnings:
        print(line, file=sys.stderr)
    return 0


def _issue(services, args, kind: str, config, extras: dict):
    """Issue, or say which live document stands in the way and how to correct it instead."""
    from inspector.core.documents.notices import AlreadyIssued, issue_for_inspection

    try:
        return issue_for_inspection(services.db, args.inspection_id, kind, config, issued_on=args.date,
                                    backdate_reason=args.backdate_reason, **extras)
    except AlreadyIssued as refused:
        raise UserError(f"{refused.message}更正：inspector notices correct {refused.notice_id} --reason 原因") from None


def _print_issued(services, inspection_id: str) -> None:
    """Documents already issued for the inspection, on stderr (stdout stays the result line)."""
    from inspector.core.documents.notices import STATUS_NAMES, find_notices
    from inspector.core.documents.numbering import KIND_NAMES

    issued = find_notices(services.db, inspection_id=inspection_id)
    if issued:
        names = "；".join(f"{KIND_NAMES.get(n.kind, n.kind)} {n.number_text}（{STATUS_NAMES.get(n.status, n.status)}）"
                         for n in issued)
        print(f"该检查已签发的文书：{names}", file=sys.stderr)


def _issue_into(out: OutputFile, issue):
    """Issue, then write the PDF; if the disk fails now, say that the document is issued and kept."""
    notice = None
    try:
        with out:
            notice = issue()
            out.write(notice.pdf)
    except UserError as exc:
        if notice is None:
            raise
        raise UserError(f"已签发 {notice.number_text} 并存档，但 PDF 未能写入（{exc.message.rstrip('。')}）；"
                        f"可用 inspector notices export {notice.id} --out 文件.pdf 另行导出。") from None
    return notice


def _draft(document, config) -> bytes:
    from inspector.core.documents import render_document

    return render_document(document.data, config)


# --- notices ------------------------------------------------------------------------------

def run_notices(args, services) -> int:
    from inspector.core.common.clock import format_local
    from inspector.core.documents.notices import STATUS_NAMES, double_live_notices, notice_summaries

    summaries = notice_summaries(services.db)
    for warning in double_live_notices(services.db):
        print(f"注意：{warning}", file=sys.stderr)
    if args.json:
        print_json([s.as_json() for s in summaries])
        return 0
    rows = [[s.number_text, s.kind_name, s.enterprise, s.record_date.isoformat(), format_local(s.issued_at),
             STATUS_NAMES.get(s.status, s.status), s.backdate_reason, s.id] for s in summaries]
    print_table(["文号", "文书", "企业", "文书日期", "存档时间", "状态", "补签原因", "文书编号"], rows)
    return 0


def run_export(args, services) -> int:
    from inspector.core.documents.notices import get_notice

    out = OutputFile(args.out, "pdf", force=args.force)
    notice = get_notice(services.db, args.notice_id)
    with out:
        out.write(notice.pdf)
    print(f"已导出 {notice.number_text}：{args.out}")
    return 0


def run_void_notice(args, services) -> int:
    from inspector.core.documents.notices import void_notice

    notice = void_notice(services.db, args.notice_id, args.reason)
    print(f"已作废 {notice.number_text}，文号保留不再使用。")
    return 0


def run_correct(args, services) -> int:
    from inspector.core.documents.notices import document_config, get_notice, issue_for_inspection

    old = get_notice(services.db, args.notice_id)
    if not old.inspection_id:
        raise UserError("该文书不是由检查记录生成的，请在复查中重新签发。")
    config = document_config(services)
    if args.out is None:
        notice = issue_for_inspection(services.db, old.inspection_id, old.kind, config,
                                      supersedes_id=old.id, correction_reason=args.reason)
    else:
        notice = _issue_into(OutputFile(args.out, "pdf", force=args.force), lambda: issue_for_inspection(
            services.db, old.inspection_id, old.kind, config, supersedes_id=old.id, correction_reason=args.reason))
    print(f"已签发更正文书 {notice.number_text}，取代 {old.number_text}（文书编号 {notice.id}）。")
    return 0


# --- numbers ------------------------------------------------------------------------------

def run_block_add(args, services) -> int:
    from inspector.core.documents.notices import document_config
    from inspector.core.documents.numbering import add_block, check_kind, series_prefix

    check_kind(args.kind)
    prefix = args.prefix or series_prefix(document_config(services), args.kind)
    if args.count is not None:
        if args.first is not None or args.last is not None:
            raise UserError("--count 不能与 --first/--last 同时使用。")
        from inspector.core.documents.numbering import allocate_block

        block = allocate_block(services.db, kind=args.kind, prefix=prefix, year=args.year, count=args.count,
                               device_id=args.device, note=args.note)
    elif args.first is None or args.last is None:
        raise UserError("请给出号段的 --first 和 --last，或用 --count N 自动分配。")
    else:
        block = add_block(services.db, kind=args.kind, prefix=prefix, year=args.year, first=args.first,
                          last=args.last, device_id=args.device, note=args.note)
    owner = "本机" if block.assigned_device_id == services.db.device_id else f"设备 {block.assigned_device_id}"
    print(f"已新增号段：{prefix}〔{block.year}〕{block.first}–{block.last}号，分配给{owner}（号段编号 {block.id}）。")
    return 0


def run_blocks(args, services) -> int:
    from inspector.core.documents.numbering import KIND_NAMES, list_blocks

    device = services.db.device_id
    blocks = list_blocks(services.db, None if args.all else device)
    if args.json:
        print_json([b.as_json() for b in blocks])
        return 0
    print(f"本机设备编号：{device}")
    rows = [[KIND_NAMES.get(b.kind, b.kind), b.prefix, b.year, f"{b.first}–{b.last}", b.used, b.remaining,
             "本机" if b.assigned_device_id == device else b.assigned_device_id[:8], b.note, b.id] for b in blocks]
    print_table(["文书", "前缀", "年度", "号段", "已用", "剩余", "设备", "备注", "号段编号"], rows)
    return 0


def run_block_remove(args, services) -> int:
    from inspector.core.documents.numbering import remove_block

    remove_block(services.db, args.block_id)
    print("已收回号段；已使用的文号仍保留。")
    return 0


def run_numbers(args, services) -> int:
    from sqlmodel import select

    from inspector.core.common.clock import format_local
    from inspector.db.models import DocumentNumber

    with services.db.session() as session:
        numbers = session.exec(select(DocumentNumber).order_by(
            DocumentNumber.kind, DocumentNumber.year, DocumentNumber.seq, DocumentNumber.id)).all()
    if args.json:
        print_json([n.model_dump(mode="json") for n in numbers])
        return 0
    rows = [[f"{n.prefix}〔{n.year}〕{n.seq}号", "已作废" if n.voided_at else "已使用",
             n.void_reason, format_local(n.created_at), n.id] for n in numbers]
    print_table(["文号", "状态", "作废原因", "取号时间", "文号编号"], rows)
    return 0


def run_report(args, services) -> int:
    from inspector.core.documents.numbering import KIND_NAMES, number_report
    from inspector.db.ids import short_id

    reports = number_report(services.db)
    if args.json:
        print_json([r.as_json() for r in reports])
        return 0
    if not reports:
        print("还没有号段或文号。")
        return 0
    for r in reports:
        gaps = "、".join(f"{a}" if a == b else f"{a}–{b}" for a, b in r.gaps) or "无"
        print(f"{r.prefix}〔{r.year}〕（{KIND_NAMES.get(r.kind, r.kind)}）：已用 {r.used} 个（作废 {r.voided}），"
              f"最大号 {r.highest}，缺号 {gaps}")
        for duplicate in r.duplicates:
            print(f"  重号：{duplicate.seq}号被 {len(duplicate.number_ids)} 份文书使用（设备 "
                  + "、".join(d[:8] for d in duplicate.device_ids) + "）")
        for a, b in r.overlapping_blocks:
            print(f"  号段重叠：{short_id(a)} 与 {short_id(b)}")
    return 1 if any(not r.clean for r in reports) else 0


def run_void_number(args, services) -> int:
    from inspector.core.documents.numbering import void_number

    number = void_number(services.db, args.number_id, args.reason)
    print(f"已作废文号 {number.prefix}〔{number.year}〕{number.seq}号，该号不再使用。")
    return 0


def run_devices(args, services) -> int:
    from inspector.core.common.clock import format_local
    from inspector.core.documents.number_devices import known_devices

    devices = known_devices(services.db)
    if args.json:
        print_json([{"id": d.id, "this": d.this, "inspectors": d.inspectors, "inspections": d.inspections,
                     "merges": d.merges, "blocks": d.blocks,
                     "last_seen": d.last_seen.isoformat() if d.last_seen else None} for d in devices])
        return 0
    print_table(["设备编号", "检查人员", "检查次数", "合并次数", "号段", "最近出现"],
                [[d.id + ("（本数据库）" if d.this else ""), "、".join(d.inspectors), d.inspections, d.merges, d.blocks,
                  format_local(d.last_seen, with_time=False)] for d in devices])
    return 0


def run_device(args, services) -> int:
    print(services.db.device_id)
    return 0
