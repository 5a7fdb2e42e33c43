"""Import an office's enterprise list from xlsx or csv, with a report of every rejected row.

Columns are found by their Chinese header (企业名称, 统一社会信用代码, 地址, 行业,
法定代表人, 负责人, 联系电话, 包保责任人), in any order, on any of the first rows.
A row is rejected, with its reason, for a missing name, a bad credit code, or a
duplicate (in the file, or already registered by credit code or by name). Accepted
rows are written in one transaction; ``dry_run`` only reports.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, text

from inspector.core.records import credit_code as credit_codes
from inspector.core.common.text_search import initials
from inspector.db.database import Database
from inspector.db.models import Enterprise
from inspector.db.types import new_id, utcnow
from inspector.errors import UserError

#: Header text -> Enterprise field. Earlier headers win when a file has several for one field.
HEADERS = {
    "企业名称": "name", "单位名称": "name", "名称": "name",
    "统一社会信用代码": "credit_code", "信用代码": "credit_code",
    "地址": "address", "企业地址": "address", "注册地址": "address",
    "行业": "industry", "所属行业": "industry",
    "法定代表人": "legal_representative", "负责人": "legal_representative", "主要负责人": "legal_representative",
    "联系电话": "contact_phone", "电话": "contact_phone",
    "包保责任人": "liaison",
}
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 20_000
MAX_CELL = 500
MAX_COLUMNS = 200
MAX_CSV_BYTES = 20_000_000  # 20,000 rows of 500-character cells would not fit; real lists are ~2 MB
MAX_CELLS = 500_000  # 20,000 rows of 25 columns: parsing stays within a few seconds
MAX_XLSX_BYTES = 40_000_000  # uncompressed; 20,000 rows of 8 columns take about 8 MB
MAX_XLSX_ENTRIES = 1_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of gbk


@dataclass(frozen=True)
class ImportRow:
    line: int  # row number in the file, as a spreadsheet shows it
    values: dict[str, str]

    @property
    def name(self) -> str:
        return self.values.get("name", "")


@dataclass(frozen=True)
class Rejected:
    line: int
    name: str
    reason: str

    def __str__(self) -> str:
        return f"第 {self.line} 行（{self.name or '无名称'}）：{self.reason}"


@dataclass
class ImportReport:
    accepted: list[ImportRow] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    written: bool = False

    def summary(self) -> str:
        verb = "已导入" if self.written else "可导入"
        return f"{verb} {len(self.accepted)} 家企业，拒绝 {len(self.rejected)} 行。"


def import_enterprises(db: Database, path: str | Path, *, dry_run: bool = False) -> ImportReport:
    rows = read_rows(Path(path))
    report = check_rows(db, rows)
    if not dry_run and report.accepted:
        _write(db, report.accepted)
        report.written = True
    return report


def read_rows(path: Path) -> list[ImportRow]:
    """The file's data rows mapped to Enterprise fields; UserError for an unreadable file."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = _xlsx_cells(path)
    elif suffix in (".csv", ".txt"):
        table = _csv_cells(path)
    else:
        raise UserError(f"不支持的文件类型 {path.suffix or '（无扩展名）'}：请使用 xlsx 或 csv 文件。")
    return _map_rows(table, path.name)


def check_rows(db: Database, rows: list[ImportRow]) -> ImportReport:
    names, codes = _registered(db)
    report = ImportReport()
    for row in rows:
        reason = _problem(row, names, codes)
        if reason:
            report.rejected.append(Rejected(row.line, row.name, reason))
            continue
        names[row.name] = f"第 {row.line} 行"
        if row.values.get("credit_code"):
            codes[row.values["credit_code"]] = f"第 {row.line} 行"
        report.accepted.append(row)
    return report


# --- reading ------------------------------------------------------------------------


def _xlsx_cells(path: Path) -> list[list[str]]:
    """Every row of the first sheet, whatever its ``<dimension>`` tag claims; sizes checked before parsing."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    _check_xlsx_archive(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise UserError(f"文件 {path.name} 不存在。") from None
    except (BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise UserError(f"无法读取 Excel 文件 {path.name}：文件已损坏或不是 xlsx 格式（{type(exc).__name__}）。") from None
    try:
        sheet = workbook.worksheets[0]
        _check_row_count(path, sheet._worksheet_path)
        sheet.reset_dimensions()  # read-only mode trusts <dimension>: a wrong tag would silently drop rows
        return [[_cell_text(value) for value in row]
                for row in _limited(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS))]
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a damaged workbook is the file's fault
        raise UserError(f"无法读取 Excel 文件 {path.name}：内容已损坏（{type(exc).__name__}）。") from None
    finally:
        workbook.close()


def _check_xlsx_archive(path: Path) -> None:
    """Refuse a zip bomb before parsing: total uncompressed size and entry count from the archive's directory."""
    from zipfile import BadZipFile, ZipFile

    try:
        with ZipFile(path) as archive:
            entries = archive.infolist()
    except FileNotFoundError:
        raise UserError(f"文件 {path.name} 不存在。") from None
    except (BadZipFile, OSError, ValueError) as exc:
        raise UserError(f"无法读取 Excel 文件 {path.name}：文件已损坏或不是 xlsx 格式（{type(exc).__name__}）。") from None
    total = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_XLSX_ENTRIES or total > MAX_XLSX_BYTES:
        raise UserError(f"Excel 文件 {path.name} 解压后过大（{total // 1_000_000} MB，上限 {MAX_XLSX_BYTES // 1_000_000} MB），"
                        "已拒绝；请只保留企业名单一张表后另存。")


def _check_row_count(path: Path, sheet_path: str) -> None:
    """Count the sheet's ``<row>`` and ``<c>`` elements in its XML (streamed, no parsing) before reading a cell."""
    from zipfile import ZipFile

    rows, cells, tail = _Counter(rb"<(?:\w+:)?row[\s>/]"), _Counter(rb"<(?:\w+:)?c[\s>/]"), b""
    with ZipFile(path) as archive, archive.open(sheet_path) as stream:
        while chunk := stream.read(1 << 20):
            data, tail = tail + chunk, (tail + chunk)[-16:]
            rows.add(data, tail)
            cells.add(data, tail)
            _check_counts(rows.count, cells.count)
    _check_counts(rows.finish(tail), cells.finish(tail))


class _Counter:
    """Occurrences of a short pattern across chunks: matches in the 16-byte overlap are counted once."""

    def __init__(self, pattern: bytes):
        self.pattern, self.count = re.compile(pattern), 0

    def add(self, data: bytes, tail: bytes) -> None:
        self.count += len(self.pattern.findall(data)) - len(self.pattern.findall(tail))

    def finish(self, tail: bytes) -> int:
        return self.count + len(self.pattern.findall(tail))


def _check_counts(rows: int, cells: int) -> None:
    if rows > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise UserError(f"文件行数过多（上限 {MAX_ROWS} 行）：请分批导入。")
    if cells > MAX_CELLS:
        raise UserError(f"文件的单元格过多（上限 {MAX_CELLS} 个，即每行约 {MAX_CELLS // MAX_ROWS} 列）："
                        "请只保留企业名单所需的列后另存。")


def _csv_cells(path: Path) -> list[list[str]]:
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise UserError(f"文件 {path.name} 过大（{size // 1_000_000} MB，上限 {MAX_CSV_BYTES // 1_000_000} MB）：请分批导入。")
        with open(path, "rb") as handle:
            data = handle.read(MAX_CSV_BYTES + 1)
    except FileNotFoundError:
        raise UserError(f"文件 {path.name} 不存在。") from None
    except OSError as exc:
        from inspector.errors import os_error_text

        raise UserError(f"无法读取文件 {path.name}：{os_error_text(exc)}。") from None
    if len(data) > MAX_CSV_BYTES:
        raise UserError(f"文件 {path.name} 过大（上限 {MAX_CSV_BYTES // 1_000_000} MB）：请分批导入。")
    for encoding in CSV_ENCODINGS:
        try:
            content = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UserError(f"文件 {path.name} 的编码无法识别：请另存为 UTF-8 或 GBK 编码的 csv。")
    if "\x00" in content:
        raise UserError(f"文件 {path.name} 不是文本格式的 csv。")
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        return [[cell.strip() for cell in row] for row in _limited(csv.reader(io.StringIO(content), dialect))]
    except csv.Error as exc:
        raise UserError(f"文件 {path.name} 的 csv 格式有误：{exc}。") from None


def _limited(rows):
    for count, row in enumerate(rows):
        if count > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise UserError(f"文件行数过多（上限 {MAX_ROWS} 行）：请分批导入。")
        yield row


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed as a number
    return str(value).strip()


def _map_rows(table: list[list[str]], file_name: str) -> list[ImportRow]:
    header_index, columns = _find_header(table)
    if header_index is None:
        raise UserError(f"文件 {file_name} 的前 {HEADER_SEARCH_ROWS} 行中找不到“企业名称”列。")
    rows = []
    for index in range(header_index + 1, len(table)):
        cells = table[index]
        values = {field: cells[i] if i < len(cells) else "" for field, i in columns.items()}
        if any(values.values()):
            rows.append(ImportRow(index + 1, values))
    return rows


def _find_header(table: list[list[str]]) -> tuple[int | None, dict[str, int]]:
    for index, cells in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(cells):
            field_name = HEADERS.get("".join(cell.split()).rstrip("*＊:："))
            if field_name and field_name not in columns:
                columns[field_name] = position
        if "name" in columns:
            return index, columns
    return None, {}


# --- checking and writing -------------------------------------------------------------


def _registered(db: Database) -> tuple[dict[str, str], dict[str, str]]:
    with db.session() as session:
        rows = session.execute(text("SELECT name, credit_code FROM enterprise WHERE deleted_at IS NULL")).all()
    names = {name: "已登记" for name, _ in rows}
    codes = {code: f"已登记的“{name}”" for name, code in rows if code}
    return names, codes


def _problem(row: ImportRow, names: dict[str, str], codes: dict[str, str]) -> str | None:
    name = " ".join(row.name.split())
    row.values["name"] = name
    if not name:
        return "缺少企业名称"
    too_long = [field for field, value in row.values.items() if len(value) > MAX_CELL]
    if too_long:
        return f"内容过长（超过 {MAX_CELL} 字）"
    if any(_CONTROL.search(value) for value in row.values.values()):
        return "内容含有不可见的控制字符（如 NUL）"
    code = credit_codes.normalize(row.values.get("credit_code", ""))
    row.values["credit_code"] = code
    if code:
        problem = credit_codes.problem(code)
        if problem:
            return problem
        if code in codes:
            return f"统一社会信用代码重复（与{codes[code]}相同）"
    if name in names:
        return "企业已登记" if names[name] == "已登记" else f"企业名称重复（与{names[name]}相同）"
    return None


def _write(db: Database, rows: list[ImportRow]) -> None:
    now = utcnow()
    records = []
    for row in rows:
        values = {name: row.values.get(name, "") for name in
                  ("address", "industry", "legal_representative", "contact_phone", "liaison")}
        records.append(values | {
            "id": new_id(), "created_at": now, "updated_at": now, "device_id": db.device_id, "rev": 1,
            "deleted_at": None, "name": row.name, "credit_code": row.values.get("credit_code") or None,
            "name_initials": initials(row.name),
        })
    with db.session() as session:
        session.execute(insert(Enterprise), records)
