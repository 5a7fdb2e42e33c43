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

from inspector.core.common.spreadsheet_text import csv_text
from inspector.core.reports.ledger import COLUMNS, HEADERS, LedgerFilter, LedgerRow, ledger_rows
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
    return csv_text(value)  # no formula injection (a leading = + - @, tab or carriage return)


def replacing_file(path: Path):
    """A temporary path beside ``path``, moved into place only when complete (callers asked for consent).

    A thin name for :func:`inspector.core.common.outputs.output_path`: the database, settings and
    backups of any data directory are refused; the file and the rename are fsynced.
    """
    from inspector.core.common.outputs import output_path

    return output_path(path, force=True)
