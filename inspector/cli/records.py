"""Commands for the records kept on site: enterprises (list, search, import) and inspectors."""

from __future__ import annotations

import sys
from pathlib import Path

from inspector.cli.output import print_json, print_table


def register(subparsers) -> None:
    enterprises = subparsers.add_parser("enterprises", help="列出或搜索企业；import 从 xlsx/csv 导入企业名单")
    enterprises.add_argument("--json", action="store_true")
    enterprises.add_argument("--search", metavar="Q", default="", help="名称、拼音首字母或统一社会信用代码的一部分")
    inner = enterprises.add_subparsers(dest="enterprises_command", metavar="import")
    importer = inner.add_parser("import", help="从 xlsx 或 csv 导入企业名单，报告被拒绝的行及原因")
    importer.add_argument("file", type=Path)
    importer.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
    importer.set_defaults(handler=run_import)
    enterprises.set_defaults(handler=run_enterprises)

    inspectors = subparsers.add_parser("inspectors", help="列出检查人员；add 登记检查人员")
    inspectors.add_argument("--json", action="store_true")
    inner = inspectors.add_subparsers(dest="inspectors_command", metavar="add")
    add = inner.add_parser("add", help="登记检查人员")
    add.add_argument("name")
    add.add_argument("--cert", default="", metavar="NO", help="执法证号")
    add.set_defaults(handler=run_add_inspector)
    inspectors.set_defaults(handler=run_inspectors)


def run_enterprises(args, services) -> int:
    from inspector.core.records.enterprises import search_enterprises

    found = search_enterprises(services.db, args.search)
    if args.json:
        print_json([{"id": e.id, "name": e.name, "credit_code": e.credit_code or "", "address": e.address,
                     "industry": e.industry, "legal_representative": e.legal_representative,
                     "contact_phone": e.contact_phone, "liaison": e.liaison} for e in found])
        return 0
    print_table(["企业名称", "统一社会信用代码", "行业", "地址", "编号"],
                [[e.name, e.credit_code or "", e.industry, e.address, e.id] for e in found])
    return 0


def run_import(args, services) -> int:
    from inspector.core.records.enterprise_import import import_enterprises

    report = import_enterprises(services.db, args.file, dry_run=args.dry_run)
    for rejected in report.rejected:
        print(f"拒绝：{rejected}")
    print(report.summary() + ("（试运行，未写入）" if args.dry_run else ""), file=sys.stderr)
    return 0


def run_inspectors(args, services) -> int:
    from inspector.core.records.inspectors import list_inspectors

    people = list_inspectors(services.db, include_inactive=True)
    if args.json:
        print_json([{"id": p.id, "name": p.name, "certificate_no": p.certificate_no, "active": p.active} for p in people])
        return 0
    print_table(["姓名", "执法证号", "状态", "编号"],
                [[p.name, p.certificate_no, "在岗" if p.active else "停用", p.id] for p in people])
    return 0


def run_add_inspector(args, services) -> int:
    from inspector.core.records.inspectors import add_inspector

    inspector = add_inspector(services.db, name=args.name, certificate_no=args.cert)
    print(f"已登记检查人员 {inspector.name}（编号 {inspector.id}）。")
    return 0
