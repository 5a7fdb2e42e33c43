"""``inspector backup schedule [--interval-hours H] [--keep N]``: show or set the scheduled backup.

On the office database the schedule is kept in the database (every office PC and the server's timer run it);
on a laptop in this computer's settings (``inspector.core.sync.backup_schedule``)."""

from __future__ import annotations


def add_schedule_parser(inner) -> None:
    schedule = inner.add_parser("schedule", help="查看或设置定时备份（间隔小时数、自动备份保留份数）")
    schedule.add_argument("--interval-hours", type=str, metavar="H", help="每 H 小时备份一次（0 为不定时备份）")
    schedule.add_argument("--keep", type=str, metavar="N", help="自动备份保留最新 N 份")
    schedule.set_defaults(handler=run_backup_schedule)


def run_backup_schedule(args, services) -> int:
    from inspector.core.sync.backup_schedule import parse_schedule, read_schedule, save_schedule

    current = read_schedule(services.db, services.settings)
    if args.interval_hours is None and args.keep is None:
        print(schedule_line(current, services))
        return 0
    interval = args.interval_hours if args.interval_hours is not None else f"{current.interval_hours:g}"
    keep = args.keep if args.keep is not None else str(current.keep)
    saved = save_schedule(services.db, services.settings, parse_schedule(interval, keep))
    print("已保存。" + schedule_line(saved, services))
    return 0


def schedule_line(schedule, services) -> str:
    every = (f"每 {schedule.interval_hours:g} 小时备份一次" if schedule.interval_hours > 0 else "不定时备份")
    what = f"定时备份：{every}，自动备份保留最新 {schedule.keep} 份"
    if not services.database_url:
        return f"{what}（本机设置）。"
    if schedule.shared:
        return f"{what}（存于办公室数据库，所有办公室电脑和服务器定时任务都按此执行）。"
    return f"{what}（办公室数据库尚未保存计划，本机按自己的设置执行）。"
