"""What ``backup list`` and ``backup scheduled`` print for the office database (the server's schedule row)."""

from __future__ import annotations


def last_backup_line(last) -> str:
    from inspector.core.common.clock import format_local

    if last is None:
        return "办公室数据库还没有备份记录。"
    where = f"，由 {last.host} 存于 {last.file}" if last.host or last.file else ""
    kind = {"scheduled": "定时", "manual": "手动"}.get(last.reason, last.reason)
    return f"最近一次备份（{kind}）：{format_local(last.at)}{where}"


def print_last_backup(db) -> None:
    from inspector.core.sync.server_schedule import last_server_backup

    print(last_backup_line(last_server_backup(db)))


def print_scheduled_run(run, hours: float) -> None:
    if run.status == "made":
        removed = f"；清理了 {len(run.pruned)} 份旧的自动备份" if run.pruned else ""
        print(f"已定时备份办公室数据库到 {run.made}{removed}。")
    elif run.status == "busy":
        print("另一台办公室电脑正在备份办公室数据库，本次未备份。")
    elif run.status == "off":
        print("定时备份已关闭（间隔为 0），未备份。")
    else:
        print(f"未到备份时间（间隔 {hours:g} 小时），未备份。{last_backup_line(run.last)}")
