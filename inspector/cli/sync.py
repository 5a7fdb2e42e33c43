"""Commands of file sync: export, merge (with preview), conflicts, backup list/create/restore/undo."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from inspector.cli.output import add_force, print_json, print_table


def register(subparsers) -> None:
    export = subparsers.add_parser("export", help="导出数据库文件（供其他电脑或办公室合并）")
    export.add_argument("--out", required=True, type=Path, metavar="FILE", help="导出文件")
    export.add_argument("--since-last", action="store_true", help="只导出上次导出到同一去向之后的变更")
    export.add_argument("--target", default="办公室", metavar="NAME", help="去向名称（默认 办公室，与图形界面相同），--since-last 按去向记录")
    export.add_argument("--enterprise", metavar="ID", help="只导出一家企业的记录")
    export.add_argument("--from", dest="date_from", type=_date, metavar="DATE", help="起始日期 YYYY-MM-DD（含）")
    export.add_argument("--to", dest="date_to", type=_date, metavar="DATE", help="截止日期 YYYY-MM-DD（含）")
    export.add_argument("--json", action="store_true")
    add_force(export)
    export.set_defaults(handler=run_export)

    merge = subparsers.add_parser("merge", help="合并其他电脑导出的文件（先校验，可撤销）")
    merge.add_argument("files", nargs="+", type=Path, metavar="FILE")
    merge.add_argument("--dry-run", action="store_true", help="只预览：列出将新增、更新的记录和冲突，不做修改")
    merge.add_argument("--json", action="store_true")
    merge.set_defaults(handler=run_merge)

    conflicts = subparsers.add_parser("conflicts", help="列出合并时保存的冲突版本（待人工核对）")
    conflicts.add_argument("--json", action="store_true")
    conflicts.set_defaults(handler=run_conflicts)

    backup = subparsers.add_parser("backup", help="数据库备份：list / create / scheduled / schedule / restore / undo")
    inner = backup.add_subparsers(dest="backup_command", metavar="list|create|scheduled|schedule|restore|undo")
    listing = inner.add_parser("list", help="列出备份")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_backup_list)
    create = inner.add_parser("create", help="立即备份")
    create.set_defaults(handler=run_backup_create)
    scheduled = inner.add_parser("scheduled", help="到期则备份（供定时任务 systemd timer / 计划任务调用），并按保留份数清理")
    scheduled.add_argument("--interval-hours", type=float, metavar="H",
                           help="距上次备份满 H 小时才备份（默认按 backup schedule 的计划，24；0 为不备份）")
    scheduled.add_argument("--keep", type=int, metavar="N", help="自动备份保留最新 N 份（默认按 backup schedule 的计划，10）")
    scheduled.set_defaults(handler=run_backup_scheduled)
    from inspector.cli.backup_schedule import add_schedule_parser

    add_schedule_parser(inner)
    restore = inner.add_parser("restore", help="用备份恢复数据库（先自动备份当前数据库）")
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--yes", action="store_true", help="确认恢复（不加此项只显示将恢复的备份）")
    restore.set_defaults(handler=run_backup_restore)
    undo = inner.add_parser("undo", help="撤销最近一次合并（恢复合并前的记录，含照片）")
    undo.add_argument("--yes", action="store_true", help="确认撤销（不加此项只显示将撤销的合并）")
    undo.set_defaults(handler=run_backup_undo)
    backup.set_defaults(handler=run_backup_list, json=False)


def _date(text: str) -> date:
    import argparse

    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from exc


def run_export(args, services) -> int:
    from inspector.core.sync.export import ExportOptions, export_database
    from inspector.core.sync.selection import ExportFilter
    from inspector.errors import UserError

    from inspector.core.common.outputs import check_output

    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise UserError("--from 不能晚于 --to。")
    check_output(args.out, "export", force=args.force)
    db = services.db
    options = ExportOptions(since_last=args.since_last, target=args.target,
                            filter=ExportFilter(args.enterprise, args.date_from, args.date_to))
    if args.enterprise:
        _require_enterprise(db, args.enterprise)
    if services.database_url:  # the office server writes the same file a laptop writes
        from inspector.core.sync.server_export import export_from_server

        result = export_from_server(db, args.out, options)
    else:
        result = export_database(db.path, args.out, options)
    if args.json:
        print_json({"path": str(result.path), "size": result.size, "records": result.records, "photos": result.photos,
                    "manifest": result.manifest.summary(), "warning": result.warning})
        return 0
    print(f"已导出到 {result.path}（{_size(result.size)}）：记录 {result.records} 条，照片 {result.photos} 张；"
          "文件已重新打开校验。")
    if result.warning:
        print(f"警告：{result.warning}", file=sys.stderr)
    return 0


def _require_enterprise(db, enterprise_id: str) -> None:
    from sqlalchemy import text

    from inspector.errors import NotFoundError

    with db.session() as session:  # portable SQL: the laptop's file or the office server
        found = session.execute(text("SELECT 1 FROM enterprise WHERE id = :id"), {"id": enterprise_id}).first()
    if not found:
        raise NotFoundError(f"找不到企业 {enterprise_id}。")


def _size(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{size / 1024:.0f} KB"


def run_merge(args, services) -> int:
    db = services.db
    if db.backend != "sqlite":  # the office server: one server transaction, no file backup
        from inspector.core.sync.server_merge import merge_into_server

        report = merge_into_server(db, args.files, dry_run=args.dry_run)
    else:
        from inspector.core.sync.merge import merge_files

        keep = int(services.settings.get("backups_keep", 10))
        report = merge_files(db.path, args.files, backups_dir=services.paths.backups, dry_run=args.dry_run,
                             keep_backups=keep)
    if args.json:
        print_json(report.to_json())
    else:
        print("\n".join(report.lines()))
    return 0


_CONFLICTS_SQL = ("SELECT id, table_name, row_id, detected_at, source, {other} FROM sync_conflict "
                  "WHERE resolved_at IS NULL ORDER BY detected_at DESC")


def _open_conflicts(db) -> list[tuple]:
    """Unresolved conflicts, newest first, on either backend (``other`` as its JSON text)."""
    from sqlalchemy import text

    other = "other" if db.backend == "sqlite" else "CAST(other AS TEXT)"
    with db.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(_CONFLICTS_SQL.format(other=other)))]


def run_conflicts(args, services) -> int:
    import json

    rows = _open_conflicts(services.db)
    items = [{"id": r[0], "table": r[1], "row_id": r[2], "detected_at": r[3], "source": r[4],
              "reason": json.loads(r[5]).get("_reason", "")} for r in rows]
    if args.json:
        print_json(items)
        return 0
    from inspector.core.sync.report import REASONS, TABLE_NAMES

    print_table(["发现时间", "类别", "记录", "原因", "来源"],
                [[i["detected_at"][:19], TABLE_NAMES.get(i["table"], i["table"]), i["row_id"],
                  REASONS.get(i["reason"], i["reason"]), i["source"]] for i in items])
    return 0


def run_backup_list(args, services) -> int:
    from inspector.core.sync.backups import list_backups
    from inspector.core.common.clock import format_local

    services.paths.ensure()
    if services.database_url:
        return _list_server_backups(args, services)
    backups = list_backups(services.paths.backups)
    if getattr(args, "json", False):
        print_json([{"path": str(b.path), "created_at": b.created_at.isoformat(), "reason": b.reason, "size": b.size}
                    for b in backups])
        return 0
    reasons = {"manual": "手动", "merge": "合并前", "scheduled": "定时", "before-restore": "恢复前", "schema": "升级前"}
    print_table(["时间", "原因", "大小", "文件"],
                [[format_local(b.created_at), reasons.get(b.reason, b.reason), _size(b.size), b.path.name] for b in backups])
    merge = _undoable(services)
    if merge:
        print(f"可撤销的合并：{_merge_text(merge)}（inspector backup undo --yes）")
    return 0


def _undoable(services):
    import sqlite3

    from inspector.core.sync.undo import undoable

    connection = sqlite3.connect(services.db.path)
    try:
        return undoable(connection)
    finally:
        connection.close()


def _merge_text(merge) -> str:
    from inspector.core.common.clock import format_local

    return (f"{format_local(merge.moment)} 合并的 {'、'.join(merge.files)}"
            f"（新增 {merge.added} 条、覆盖 {merge.updated} 条记录）")


def run_backup_undo(args, services) -> int:
    from inspector.core.sync.undo import undo_merge
    from inspector.errors import UserError

    if services.database_url:
        raise UserError("办公室数据库的合并不能这样撤销，请用 inspector backup restore 恢复合并前的备份。")
    merge = _undoable(services)
    if merge is None:
        raise UserError("没有可以撤销的合并（最近一次合并之后做过导出，或没有合并记录）。")
    if not args.yes:
        print(f"将撤销 {_merge_text(merge)}：删除它新增的记录，恢复它覆盖的记录。确认请加 --yes。", file=sys.stderr)
        return 2
    services.db.close()
    result = undo_merge(services.db.path, merge.seq)
    print(f"已撤销 {'、'.join(result.files)} 的合并：删除新增记录 {result.removed} 条，恢复记录 {result.restored} 条。")
    return 0


def run_backup_create(args, services) -> int:
    from inspector.core.sync.backups import create_backup

    if services.database_url:
        from inspector.core.sync.server_backups import create_server_backup

        from inspector.core.sync.server_schedule import note_server_backup

        path = create_server_backup(services.db, services.paths.backups, "manual")
        note_server_backup(services.db, path, "manual")
        print(f"已备份办公室数据库到 {path}")
        return 0
    path = create_backup(services.db.path, services.paths.backups, "manual")
    print(f"已备份到 {path}")
    return 0


def run_backup_scheduled(args, services) -> int:
    from inspector.errors import UserError

    from inspector.core.sync.backup_schedule import read_schedule

    schedule = read_schedule(services.db, services.settings)  # the office database's, else this PC's settings
    hours = args.interval_hours if args.interval_hours is not None else schedule.interval_hours
    keep = args.keep if args.keep is not None else schedule.keep
    if hours < 0 or keep < 1:
        raise UserError("--interval-hours 不能为负数，--keep 至少为 1。")
    services.paths.ensure()
    if services.database_url:
        from inspector.cli.server_backup import print_scheduled_run
        from inspector.core.sync.server_schedule import run_scheduled_server_backup

        print_scheduled_run(run_scheduled_server_backup(services.db, services.paths.backups, interval_hours=hours,
                                                        keep=keep), hours)
        return 0
    from inspector.core.sync.backups import run_scheduled_backup

    path = run_scheduled_backup(services.db.path, services.paths.backups, interval_hours=hours, keep=keep)
    print(f"已定时备份到 {path}" if path else f"未到备份时间（间隔 {hours:g} 小时），未备份。")
    return 0


def run_backup_restore(args, services) -> int:
    from inspector.core.sync.backups import check_backup, restore_backup, unusable_reason

    path = _backup_path(args.file, services.paths.backups)
    if services.database_url:
        return _restore_server_backup(args, services, path)
    check_backup(path)
    unusable = unusable_reason(services.paths.database)  # damaged, foreign, overwritten: never opened then
    db = None if unusable else services.db
    if not args.yes:
        state = f"当前数据库无法打开（{unusable}），将移到备份文件夹保留" if unusable else "当前数据库会先自动备份"
        print(f"将用 {path} 恢复数据库（{state}）。确认请加 --yes。", file=sys.stderr)
        return 2
    if db is None:
        return _restore_over_unusable(services, path)
    db.close()
    safety = restore_backup(db.path, path, services.paths.backups)
    print(f"已恢复：{path.name}。恢复前的数据库已备份到 {safety}")
    return 0


def _list_server_backups(args, services) -> int:
    from inspector.core.common.clock import format_local
    from inspector.core.sync.server_backups import list_server_backups

    backups = list_server_backups(services.paths.backups)
    if getattr(args, "json", False):
        print_json([{"path": str(b.path), "database": b.database, "created_at": b.created_at.isoformat(),
                     "reason": b.reason, "size": b.size} for b in backups])
        return 0
    from inspector.cli.server_backup import print_last_backup

    print_last_backup(services.db)
    reasons = {"manual": "手动", "merge": "合并前", "scheduled": "定时", "before-restore": "恢复前"}
    print_table(["时间", "原因", "数据库", "大小", "文件"],
                [[format_local(b.created_at), reasons.get(b.reason, b.reason), b.database, _size(b.size), b.path.name]
                 for b in backups])
    return 0


def _restore_server_backup(args, services, path: Path) -> int:
    from inspector.core.sync.server_backups import check_server_backup, restore_server_backup

    checked = check_server_backup(path)
    if not args.yes:
        source = f"（备份自数据库 {checked.database}）" if checked.database else ""
        print(f"将用 {path}{source} 恢复{services.db.label}（当前内容会先自动备份）。确认请加 --yes。", file=sys.stderr)
        return 2
    safety = restore_server_backup(services.db, path, services.paths.backups)
    print(f"已恢复：{path.name}。恢复前的办公室数据库已备份到 {safety}")
    return 0


def _restore_over_unusable(services, path: Path) -> int:
    from inspector.core.sync.backups import restore_over_unusable

    aside = restore_over_unusable(services.paths.database, path, services.paths.backups)
    print(f"已恢复：{path.name}。原数据库无法打开，已原样保留在 {aside}（未删除）。")
    return 0


def _backup_path(given: Path, backups_dir: Path) -> Path:
    if given.exists() or given.is_absolute():
        return given
    candidate = backups_dir / given
    return candidate if candidate.exists() else given
