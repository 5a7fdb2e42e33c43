"""Small output helpers for commands: JSON, aligned text tables, the --force option of file outputs."""

from __future__ import annotations

import json
import sys
import unicodedata


def print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def print_table(headers: list[str], rows: list[list]) -> None:
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(width(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        print("  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)).rstrip())


def add_force(parser) -> None:
    parser.add_argument("--force", action="store_true", help="输出文件已存在时替换它（数据库、设置和备份永远不会被替换）")
