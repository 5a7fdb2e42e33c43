"""``inspector checklists``: list, validate, review (what legal staff must confirm), coverage of the
判定标准, and export/import to Excel for legal staff."""

from __future__ import annotations

import sys
from pathlib import Path

from inspector.cli.output import print_json, print_table


def register(subparsers) -> None:
    checklists = subparsers.add_parser(
        "checklists", help="列出已加载的检查表；validate 校验；review 待核对清单；coverage 判定标准覆盖；export/import Excel")
    checklists.add_argument("--json", action="store_true")
    inner = checklists.add_subparsers(dest="checklists_command", metavar="validate|review|coverage|suggest|export|import")
    validate = inner.add_parser("validate", help="校验检查表文件（sources.yaml 按来源登记表校验）")
    validate.add_argument("paths", nargs="+", type=Path)
    validate.set_defaults(handler=run_validate)
    review = inner.add_parser("review", help="列出仍标【记】的来源和检查项、待补充条号，供法规人员核对")
    review.add_argument("--json", action="store_true")
    review.set_defaults(handler=run_review)
    cover = inner.add_parser("coverage", help="判定标准第三条至第十三条各条（项）由哪些检查项覆盖")
    cover.add_argument("--json", action="store_true")
    cover.set_defaults(handler=run_coverage)
    suggest = inner.add_parser("suggest", help="某行业的企业新建检查时建议勾选的检查表")
    suggest.add_argument("industry", help="企业登记的行业，如 机械制造、家具制造、危险化学品经营")
    suggest.set_defaults(handler=run_suggest)
    export = inner.add_parser("export", help="导出全部检查项到 Excel（.xlsx），供法规人员审阅修改")
    export.add_argument("file", type=Path)
    export.add_argument("--overwrite", action="store_true", help="文件已存在时覆盖")
    export.set_defaults(handler=run_export)
    imported = inner.add_parser("import", help="从 Excel 导入检查项，校验后写入数据目录的检查表文件夹")
    imported.add_argument("file", type=Path)
    imported.add_argument("--overwrite", action="store_true", help="数据目录中已有同名检查表文件时覆盖")
    imported.set_defaults(handler=run_import)
    checklists.set_defaults(handler=run_checklists)


def _warn_skipped(loaded) -> None:
    for problem in loaded.problems:
        print(f"警告：已跳过 {problem}", file=sys.stderr)


def run_checklists(args, services) -> int:
    loaded = services.checklists
    _warn_skipped(loaded)
    if args.json:
        print_json([
            {"id": c.id, "version": c.version, "title": c.title, "sector": c.sector, "sector_name": c.sector_name,
             "items": len(c.items), "major_items": c.major_count, "effective": c.effective.isoformat()}
            for c in loaded.checklists
        ])
        return 0
    rows = [[c.id, c.version, c.sector_name, c.title, len(c.items), c.major_count] for c in loaded.checklists]
    print_table(["编号", "版本", "行业", "名称", "检查项", "重大项"], rows)
    return 0


def run_validate(args, services) -> int:
    from inspector.core.records.checklists import REGISTRY_FILE, ChecklistFileError, load_checklist, load_registry

    failed = False
    for path in args.paths:
        try:
            if path.name == REGISTRY_FILE:
                registry = load_registry(path)
                print(f"{path.name}: 有效（来源登记表，{len(registry.sources)} 条来源）", file=sys.stderr)
                continue
            checklist = load_checklist(path)
        except ChecklistFileError as exc:
            failed = True
            for problem in exc.problems:
                print(problem)
            continue
        print(f"{path.name}: 有效（{checklist.id} 版本 {checklist.version}，{len(checklist.items)} 项）", file=sys.stderr)
    return 1 if failed else 0


def run_review(args, services) -> int:
    from inspector.core.records.checklist_review import review_entries

    loaded = services.checklists
    _warn_skipped(loaded)
    entries = review_entries(loaded.registry, loaded.checklists) if loaded.registry else []
    if args.json:
        print_json([entry.as_json() for entry in entries])
        return 0
    print_table(["类别", "位置", "来源/依据", "可信度", "待核对原因"],
                [[e.kind, e.where, e.subject, e.confidence, e.why] for e in entries])
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.kind] = counts.get(entry.kind, 0) + 1
    print("合计：" + "，".join(f"{kind} {n} 条" for kind, n in counts.items()), file=sys.stderr)
    return 0


def run_coverage(args, services) -> int:
    from inspector.core.records.checklist_review import coverage, uncovered_articles
    from inspector.errors import UserError

    loaded = services.checklists
    _warn_skipped(loaded)
    if loaded.registry is None:
        raise UserError("来源登记表无法加载，不能计算覆盖情况。")
    rows = coverage(loaded.registry, loaded.checklists)
    missing = uncovered_articles(rows)
    if args.json:
        print_json({"rows": [row.as_json() for row in rows], "uncovered": missing})
    else:
        print_table(["条款", "可信度", "检查项", "条文"],
                    [[row.label, row.confidence, "、".join(row.items) or "（无）", row.text[:40]] for row in rows])
        if missing:
            print(f"未覆盖：{'、'.join(missing)}", file=sys.stderr)
        else:
            print("判定标准第三条至第十三条均有检查项覆盖。", file=sys.stderr)
    return 1 if missing else 0


def run_suggest(args, services) -> int:
    from inspector.core.records.industries import enterprise_kinds, suggested_checklists
    from inspector.core.records.sectors import ENTERPRISE_KINDS

    loaded = services.checklists
    _warn_skipped(loaded)
    lists = suggested_checklists(args.industry, loaded.checklists)
    print_table(["编号", "行业", "名称", "检查项"], [[c.id, c.sector_name, c.title, len(c.items)] for c in lists])
    kinds = "、".join(ENTERPRISE_KINDS[kind] for kind in sorted(enterprise_kinds(args.industry)))
    if kinds:
        print(f"企业类型：{kinds}（相应的条件性重大隐患判定适用）", file=sys.stderr)
    return 0


def run_export(args, services) -> int:
    from inspector.core.records.checklist_xlsx import export_checklists

    loaded = services.checklists
    _warn_skipped(loaded)
    count = export_checklists(loaded.checklists, args.file, overwrite=args.overwrite, registry=loaded.registry)
    print(f"已导出 {len(loaded.checklists)} 张检查表、{count} 项到 {args.file}", file=sys.stderr)
    return 0


def run_import(args, services) -> int:
    from inspector.core.records.checklist_xlsx import import_checklists
    from inspector.core.records.checklists import ChecklistFileError

    try:
        written = import_checklists(args.file, services.paths.checklists, services.checklists.registry,
                                    overwrite=args.overwrite)
    except ChecklistFileError as exc:
        for problem in exc.problems:
            print(f"错误：{problem}", file=sys.stderr)
        print(f"错误：{args.file.name} 有 {len(exc.problems)} 个问题，未导入任何检查表。", file=sys.stderr)
        return 1
    for path in written:
        print(f"已写入 {path}", file=sys.stderr)
    return 0
