"""``inspector office connect|status|forget``: the saved connection to the office database (PostgreSQL).

Once connected, every command (not the GUI yet) works on the office database, as with ``--database``.
The password never goes to settings.json: it is read from stdin (``--password-stdin``) or taken out of
the URL, and kept in the system keyring.
"""

from __future__ import annotations

import sys


def register(subparsers) -> None:
    office = subparsers.add_parser("office", help="办公室数据库（PostgreSQL）：connect 连接并保存，status 查看，forget 断开")
    office.set_defaults(handler=run_status)
    inner = office.add_subparsers(dest="office_command", metavar="connect|status|forget")
    connect = inner.add_parser("connect", help="连接办公室数据库并保存（密码存入系统密钥环）")
    connect.add_argument("url", metavar="URL", help="postgresql+psycopg://用户@主机[:端口]/库名[?sslmode=require]")
    connect.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
    connect.set_defaults(handler=run_connect)
    inner.add_parser("status", help="显示保存的连接").set_defaults(handler=run_status)
    inner.add_parser("forget", help="删除保存的连接和密码，改回本机数据库").set_defaults(handler=run_forget)


def run_connect(args, services) -> int:
    from inspector.db import office_link
    from inspector.db.database import Database
    from inspector.db.server import safe_url

    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else None
    clean, in_url = office_link.split_password(args.url)
    db = Database.open_url(clean, services.paths.backups, password or in_url)  # refuses a wrong one first
    try:
        device = db.device_id
    finally:
        db.close()
    office_link.save(services.settings, args.url, password)
    print(f"已连接并保存办公室数据库：{safe_url(clean)}（办公室设备编号 {device}）。此后的命令都使用该数据库。")
    return 0


def run_status(args, services) -> int:
    from inspector.db.office_link import SETTING

    url = services.settings.get(SETTING)
    print(f"办公室数据库：{url}" if url else "未连接办公室数据库，使用本机数据库文件。")
    return 0


def run_forget(args, services) -> int:
    from inspector.db import office_link

    url = office_link.forget(services.settings)
    print(f"已断开办公室数据库 {url}，此后使用本机数据库文件。" if url else "未连接办公室数据库。")
    return 0
