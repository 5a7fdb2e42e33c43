"""Checklists to and from Excel (.xlsx) so legal staff can review and edit items in Excel or WPS.

One row per item on the sheet 检查项; the sheets 来源登记表 and 说明 are for reference and are not
read back. Import validates every row against the source registry (messages name the row and the
field, e.g. ``list.xlsx:12 [LK-04.cite.0]: …``) and writes nothing unless every checklist is valid;
exporting and importing again gives the same checklists.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError

from inspector.core.common.atomic_file import write_atomically
from inspector.core.records.checklist_model import Checklist
from inspector.core.records.checklist_sources import Registry
from inspector.core.records.checklist_writer import to_yaml
from inspector.core.records.checklists import ChecklistFileError, ChecklistProblem, _message
from inspector.errors import UserError

SHEET = "检查项"
MAX_FILE_BYTES = 20_000_000
MAX_ROWS = 20_000
YES, NO = "是", "否"
#: (header, key) in column order; keys starting with "_" are printed for reading only.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("检查表编号", "checklist_id"), ("检查表名称", "title"), ("行业代码", "sector"), ("版本", "version"),
    ("生效日期", "effective"), ("分节", "section"), ("检查项编号", "id"), ("检查内容", "text"),
    ("依据（来源编号 条款，每行一条）", "cite"), ("打印依据（只读）", "_basis"),
    ("重大判定来源", "major_source"), ("重大判定条款", "major_article"), ("并列条件（检查项编号）", "all_of"),
    ("仅适用企业类型", "only_for"), ("隐患描述", "hazard"), ("整改要求", "requirement"),
    ("整改期限（天）", "deadline_days"), ("需拍照", "photo_required"), ("说明（不打印）", "note"),
    ("待核对", "verify"),
)
HEADERS = [header for header, _ in COLUMNS]
KEYS = [key for _, key in COLUMNS]
FIELD_COLUMN = {"cite": "cite", "major_rule": "major_source", "text": "text", "hazard": "hazard",
                "requirement": "requirement", "deadline_days": "deadline_days", "photo_required": "photo_required",
                "note": "note", "verify": "verify", "id": "id"}


# --- export --------------------------------------------------------------------------------------

def export_checklists(checklists: list[Checklist], path: Path, *, overwrite: bool = False,
                      registry: Registry | None = None) -> int:
    """Write ``path`` (refused if it exists, unless ``overwrite``); returns the number of item rows."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"导出文件应以 .xlsx 结尾：{path.name}")
    if path.exists() and not overwrite:
        raise UserError(f"文件 {path} 已存在；如要覆盖请加 --overwrite。")
    data, count = workbook_bytes(checklists, registry)
    write_atomically(path, data)
    return count


def workbook_bytes(checklists: list[Checklist], registry: Registry | None = None) -> tuple[bytes, int]:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    count = 0
    for checklist in checklists:
        for section in checklist.sections:
            for item in section.items:
                _append(sheet, _row(checklist, section.title, item))
                count += 1
    for column, width in zip("ABCDEFGHIJKLMNOPQRST", (14, 24, 14, 8, 11, 16, 10, 40, 28, 36, 12, 14, 14, 14, 36, 40, 8, 6, 30, 40)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "H2"
    if registry is not None:
        _registry_sheet(book, registry)
    _notes_sheet(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count


def _row(checklist: Checklist, section: str, item) -> list:
    rule = item.major_rule
    values = {
        "checklist_id": checklist.id, "title": checklist.title, "sector": checklist.sector,
        "version": checklist.version, "effective": checklist.effective.isoformat(), "section": section,
        "id": item.id, "text": item.text,
        "cite": "\n".join(f"{c.source} {c.article}".strip() for c in item.cite), "_basis": item.basis,
        "major_source": rule.source if rule else "", "major_article": rule.article if rule else "",
        "all_of": "，".join(rule.all_of) if rule else "", "only_for": "，".join(rule.only_for) if rule else "",
        "hazard": item.hazard, "requirement": item.requirement, "deadline_days": item.deadline_days,
        "photo_required": YES if item.photo_required else NO, "note": item.note or "", "verify": item.verify or "",
    }
    return [values[key] for key in KEYS]


def _append(sheet, values: list) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # text, never a formula


def _registry_sheet(book, registry: Registry) -> None:
    sheet = book.create_sheet("来源登记表")
    sheet.append(["来源编号", "名称", "类别", "文号/标准号", "状态", "适用范围", "条款", "可信度", "待核对"])
    for key, source in registry.sources.items():
        _append(sheet, [key, source.display, source.kind, source.number, source.status, source.scope,
                        source.articles, source.confidence, "；".join(filter(None, [source.review, source.pending_articles]))])


def _notes_sheet(book) -> None:
    sheet = book.create_sheet("说明")
    for line in (
        "本工作簿由 inspector checklists export 生成；修改“检查项”工作表后用 inspector checklists import 导入。",
        "依据一栏每行一条：来源编号（见“来源登记表”）+ 空格 + 条款，例如：aqsc-law 第三十条、gb-50072-2021 7.4.1。",
        "“打印依据”由依据生成，只读，修改无效。重大判定来源、条款留空表示一般隐患。",
        "并列条件：判定条款须同时具备的其他检查项编号（如 YX-01A 与 YX-01B）。仅适用企业类型：hazchem_producer 等。",
        "需拍照填“是”或“否”；整改期限为天数（0 表示立即）。带【记】的内容须对照官方文本核对后才能删除标记。",
    ):
        sheet.append([line])


# --- import --------------------------------------------------------------------------------------

def read_workbook(path: Path, registry: Registry) -> list[Checklist]:
    """Parse and validate every checklist of the workbook; :class:`ChecklistFileError` lists every problem."""
    path = Path(path)
    rows = _read_rows(path)
    groups, problems = _group(path.name, rows)
    checklists = []
    for data, row_of in groups:
        try:
            checklists.append(Checklist.model_validate(data, context={"registry": registry}))
        except ValidationError as exc:
            problems.extend(_located(path.name, error, data, row_of) for error in exc.errors())
    if problems:
        raise ChecklistFileError(problems)
    return checklists


def import_checklists(path: Path, folder: Path, registry: Registry | None, *, overwrite: bool = False) -> list[Path]:
    """Validate the workbook, then write one ``<id>.yaml`` per checklist into ``folder``."""
    if registry is None:
        raise UserError("来源登记表无法加载，不能校验导入的检查表。")
    checklists = read_workbook(path, registry)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / f"{checklist.id}.yaml" for checklist in checklists]
    existing = [target.name for target in targets if target.exists()]
    if existing and not overwrite:
        raise UserError(f"数据目录中已有检查表文件 {'、'.join(existing)}；如要覆盖请加 --overwrite。")
    header = f"由 {Path(path).name} 导入（inspector checklists import）。"
    for checklist, target in zip(checklists, targets):
        write_atomically(target, to_yaml(checklist, header).encode("utf-8"))
    return targets


def _read_rows(path: Path) -> list[tuple[int, dict]]:
    from openpyxl import load_workbook

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError(f"无法读取 {path}：{exc.strerror or exc}。") from None
    if size > MAX_FILE_BYTES:
        raise UserError(f"文件过大（{size} 字节，上限 {MAX_FILE_BYTES}）：{path.name}")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise UserError(f"{path.name} 不是有效的 .xlsx 文件（{type(exc).__name__}）。") from None
    try:
        if SHEET not in book.sheetnames:
            raise UserError(f"{path.name} 中没有“{SHEET}”工作表。")
        iterator = book[SHEET].iter_rows(values_only=True)
        header = [str(value or "").strip() for value in next(iterator, ())]
        missing = [h for h in HEADERS if h not in header]
        if missing:
            raise UserError(f"{path.name}:1 表头缺少列：{'、'.join(missing)}")
        index = {h: header.index(h) for h in HEADERS}
        rows = []
        for number, values in enumerate(iterator, start=2):
            if number > MAX_ROWS + 1:
                raise UserError(f"{path.name} 行数过多（上限 {MAX_ROWS} 行）。")
            cells = {key: _cell(values, index[h]) for h, key in COLUMNS}
            if any(cells[key] for key in KEYS if not key.startswith("_")):
                rows.append((number, cells))
        return rows
    finally:
        book.close()


def _cell(values: tuple, position: int):
    value = values[position] if position < len(values) else None
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _group(name: str, rows: list[tuple[int, dict]]):
    """Checklist dicts in file form, with the sheet row of every item."""
    groups: dict[str, tuple[dict, dict]] = {}
    problems: list[ChecklistProblem] = []
    for number, cells in rows:
        key = cells["checklist_id"]
        if key not in groups:
            head = {"id": key, "title": cells["title"], "sector": cells["sector"], "version": cells["version"],
                    "effective": cells["effective"], "sections": []}
            groups[key] = (head, {"_first": number})
        data, row_of = groups[key]
        for field in ("title", "sector", "version", "effective"):
            if cells[field] != data[field]:
                problems.append(ChecklistProblem(name, f"与第 {row_of['_first']} 行的“{_header(field)}”不一致", number,
                                                 f"{key}.{field}"))
        if not data["sections"] or data["sections"][-1]["title"] != cells["section"]:
            data["sections"].append({"title": cells["section"], "items": []})
        section = len(data["sections"]) - 1
        row_of[(section, len(data["sections"][-1]["items"]))] = number
        data["sections"][-1]["items"].append(_item(cells))
    return list(groups.values()), problems


def _item(cells: dict) -> dict:
    item: dict = {"id": cells["id"], "text": cells["text"], "cite": _citations(cells["cite"]),
                  "hazard": cells["hazard"], "requirement": cells["requirement"],
                  "deadline_days": cells["deadline_days"], "photo_required": _yes_no(cells["photo_required"])}
    if cells["major_source"] or cells["major_article"]:
        rule: dict = {"source": cells["major_source"], "article": cells["major_article"]}
        if cells["all_of"]:
            rule["all_of"] = _list(cells["all_of"])
        if cells["only_for"]:
            rule["only_for"] = _list(cells["only_for"])
        item["major_rule"] = rule
    for field in ("note", "verify"):
        if cells[field]:
            item[field] = cells[field]
    return item


def _citations(text: str) -> list[dict]:
    result = []
    for line in text.replace("；", "\n").replace(";", "\n").splitlines():
        source, _, article = line.strip().partition(" ")
        if source:
            result.append({"source": source, "article": article.strip()} if article.strip() else {"source": source})
    return result


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").replace("、", ",").split(",") if part.strip()]


def _yes_no(text: str):
    return {YES: True, NO: False, "": False}.get(text, text)


def _header(key: str) -> str:
    return {k: h for h, k in COLUMNS}[key]


def _located(name: str, error: dict, data: dict, row_of: dict) -> ChecklistProblem:
    loc = tuple(error["loc"])
    if len(loc) >= 4 and loc[0] == "sections" and loc[2] == "items":
        row = row_of.get((loc[1], loc[3]), row_of["_first"])
        item_id = data["sections"][loc[1]]["items"][loc[3]].get("id") or f"第{row}行"
        rest = ".".join(str(part) for part in loc[4:])
        column = FIELD_COLUMN.get(str(loc[4])) if len(loc) > 4 else None
        where = f"{item_id}.{rest}" if rest else str(item_id)
        message = _message(error) + (f"（“{_header(column)}”列）" if column else "")
        return ChecklistProblem(name, message, row, where)
    field = ".".join(str(part) for part in loc)
    return ChecklistProblem(name, _message(error), row_of["_first"], f"{data.get('id', '')}.{field}".strip("."))
