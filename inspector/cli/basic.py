"""Commands of the walking skeleton: demo, inspections, check (checklists: :mod:`inspector.cli.checklists`)."""

from __future__ import annotations

import sys

from inspector.cli.output import print_json, print_table


def register(subparsers) -> None:
    demo = subparsers.add_parser("demo", help="生成演示数据（每次运行追加一批；办公室数据库须为空）：以今天为准的逾期、待复查、重大隐患、文书和号段")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--inspections", type=int, default=8, help="历史检查次数（另加 6 次以今天为准的检查）")
    demo.add_argument("--photos-per-hazard", type=int, default=1)
    demo.add_argument("--history-only", action="store_true", help="只生成历史数据，不加今天的案例、号段和文书")
    demo.set_defaults(handler=run_demo)

    inspections = subparsers.add_parser("inspections", help="列出检查记录")
    inspections.add_argument("--json", action="store_true")
    inspections.set_defaults(handler=run_inspections)

    check = subparsers.add_parser("check", help="检查数据库完整性（含照片哈希）")
    check.set_defaults(handler=run_check)


def run_demo(args, services) -> int:
    from inspector.core.demo.generate import build_demo, build_demo_in_new_database
    from inspector.core.demo.new_file import can_build_new
    from inspector.core.documents.notices import document_config
    from inspector.errors import UserError

    if args.inspections < 0 or args.inspections > 200_000:
        raise UserError("--inspections 应在 0 到 200000 之间。")
    if not 0 <= args.photos_per_hazard <= 10:
        raise UserError("--photos-per-hazard 应在 0 到 10 之间。")
    living = not args.history_only
    options = dict(seed=args.seed, inspections=args.inspections, photos_per_hazard=args.photos_per_hazard,
                   living_office=living, config=document_config(services) if living else None)
    paths = services.paths
    if services.on_server:  # an empty office database only (inspector.core.demo.server_demo)
        from inspector.core.demo.server_demo import build_demo_on_server

        result = build_demo_on_server(services.db, services.checklists.checklists, **options)
    elif "db" not in services.__dict__ and can_build_new(paths.database):
        paths.ensure()  # no database yet: the batch goes into a new file, moved in when complete
        result = build_demo_in_new_database(paths.database, paths.backups, lambda: services.db,
                                            services.checklists.checklists, **options)
    else:
        result = build_demo(services.db, services.checklists.checklists, **options)
    print(f"已生成：企业 {result.enterprises} 家，检查人员 {result.inspectors} 名，检查 {result.inspections} 次，"
          f"检查项记录 {result.findings} 条（隐患 {result.hazards} 条），照片 {result.photos} 张，"
          f"文书 {result.documents} 份。")
    return 0


def run_inspections(args, services) -> int:
    from inspector.core.common.clock import format_local
    from inspector.db.queries import inspection_summaries

    with services.db.session() as session:
        summaries = inspection_summaries(session)
    if args.json:
        print_json([s.as_json() for s in summaries])
        return 0
    status = {"draft": "草稿", "completed": "已完成"}
    rows = [[format_local(s.started_at), s.enterprise, status.get(s.status, s.status),
             s.findings, s.hazards, s.major, s.photos, s.id] for s in summaries]
    print_table(["检查时间", "企业", "状态", "检查项", "隐患", "重大", "照片", "编号"], rows)
    return 0


def run_check(args, services) -> int:
    from inspector.core.sync.integrity import check_database

    database = services.db  # opening also refuses foreign, damaged or too-new files
    if services.database_url:
        from inspector.core.sync.server_check import check_server_database

        problems = check_server_database(database)
    else:
        problems = check_database(database.path)
    if problems:
        for problem in problems:
            print(problem)
        print(f"发现 {len(problems)} 个问题。", file=sys.stderr)
        return 1
    if services.database_url:
        print("办公室数据库完好：版本标记、数据结构与外键、记录规则、文书作废规则均符合，引用关系正确，照片哈希全部一致。")
        return 0
    print("数据库完好：SQLite 完整性检查通过，数据结构与记录规则均符合，引用关系正确，照片哈希全部一致。")
    return 0
