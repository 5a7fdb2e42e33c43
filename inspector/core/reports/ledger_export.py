"""Write the 隐患台账 as .xlsx (:mod:`.ledger_xlsx`, XlsxWriter) or .csv (UTF-8 with BOM).

Text that looks like a formula is stored as text (CSV: a leading apostrophe before
``= + - @``, tab or carriage return), and characters XML forbids are removed, so the file
opens cleanly in Excel and WPS.
"""

from __future__ import annotations

import csv
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from inspector.core.reports.ledger import COLUMNS, HEADERS, LedgerFilter, LedgerRow, clean_text, ledger_rows
from inspector.errors import UserError

if TYPE_CHECKING:
    from inspector.db.database import Database

FORMATS = (".xlsx", ".csv")


def export_ledger(db: "Database", path: str | os.PathLike, flt: LedgerFilter | None = None, *,
                  today: date | None = None, progress: Callable[[int, int], None] | None = None,
                  unit: str = "") -> int:
    """Read and write the ledger to ``path`` (.xlsx or .csv by suffix); returns the number of rows.
    ``unit`` is the 填报单位 printed above the xlsx table."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(f"台账文件须以 .xlsx 或 .csv 结尾：{target.name}")
    rows = ledger_rows(db, flt, today=today)
    if suffix == ".xlsx":
        from inspector.core.reports.ledger_xlsx import write_xlsx

        with replacing_file(target) as temporary:
            write_xlsx(rows, temporary, flt or LedgerFilter(), unit=unit, on=today, progress=progress)
    else:
        write_csv(rows, target)
    return len(rows)


def reporting_unit(services) -> str:
    """填报单位: the issuer of this installation's rectification documents (county authority or park office)."""
    from inspector.core.documents.notices import default_kind, document_config

    return document_config(services).issuer(default_kind(services))


# --- CSV ------------------------------------------------------------------------------------

def write_csv(rows: Sequence[LedgerRow], path: Path) -> None:
    """UTF-8 with BOM (Excel then reads Chinese correctly), CRLF, dates as YYYY-MM-DD."""
    with replacing_file(path) as temporary:
        with open(temporary, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(HEADERS)
            for row in rows:
                writer.writerow([_csv_value(value(row)) for _, value, _, _ in COLUMNS])


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = clean_text(str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text  # no formula injection


class replacing_file:
    """Write to a temporary file beside ``path`` and move it into place only when complete."""

    def __init__(self, path: Path):
        self.path = path
        self.temporary = path.with_name(f".{path.name}.part")

    def __enter__(self) -> Path:
        if not self.path.parent.is_dir():
            raise UserError(f"文件夹 {self.path.parent} 不存在。")
        return self.temporary

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                os.replace(self.temporary, self.path)
            except PermissionError as error:
                self.temporary.unlink(missing_ok=True)
                raise UserError(f"无法写入 {self.path.name}：文件可能正被 Excel 或 WPS 打开，请关闭后重试。") from error
        else:
            self.temporary.unlink(missing_ok=True)
