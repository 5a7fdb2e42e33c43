"""Printing a document: what the 打印 button does, with progress and a clear result.

The notice is a PDF. On a CUPS system (Linux, UOS, Kylin) whose queue has a driver, the PDF itself
goes to CUPS (``cupsPrintFile`` from libcups2), which converts it for the printer: text stays text
and photos keep their resolution. Printing the whole document to a PDF file writes the document
itself. Elsewhere (Windows, a raw queue, a page range to a file) each page is rendered by QtPdf at
:data:`RASTER_DPI` and painted onto the QPrinter.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog

RASTER_DPI = 300  # enough for text and photos; a 600 dpi A4 page image would be 140 MB
RESULT_SHOWN_MS = 2500


class PrintError(Exception):
    """Printing failed; the message is one sentence for the user."""


# --- CUPS --------------------------------------------------------------------------------------

class _CupsOption(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("value", ctypes.c_char_p)]


def _libcups():
    """libcups2 through ctypes, or None (Windows, or a system without libcups2)."""
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("cups") or "libcups.so.2"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    options = ctypes.POINTER(_CupsOption)
    lib.cupsAddOption.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(options)]
    lib.cupsAddOption.restype = ctypes.c_int
    lib.cupsFreeOptions.argtypes = [ctypes.c_int, options]
    lib.cupsPrintFile.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int, options]
    lib.cupsPrintFile.restype = ctypes.c_int
    lib.cupsGetPPD.argtypes = [ctypes.c_char_p]
    lib.cupsGetPPD.restype = ctypes.c_char_p
    lib.cupsLastErrorString.restype = ctypes.c_char_p
    return lib


def cups_accepts_pdf(printer_name: str) -> bool:
    """True when CUPS converts PDF for this queue itself: the queue has a driver (PPD), i.e. is not raw."""
    lib = _libcups()
    if lib is None or not printer_name:
        return False
    ppd = lib.cupsGetPPD(printer_name.encode())
    if not ppd:
        return False
    try:
        os.unlink(ppd.decode())
    except OSError:
        pass
    return True


@dataclass(frozen=True)
class CupsJob:
    printer: str
    title: str
    copies: int = 1
    page_range: tuple[int, int] | None = None  # 1-based, inclusive
    duplex: str | None = None  # "two-sided-long-edge" or "two-sided-short-edge"
    monochrome: bool = False

    def options(self) -> dict[str, str]:
        chosen = {"copies": str(max(1, self.copies)), "media": "A4"}
        if self.page_range:
            chosen["page-ranges"] = f"{self.page_range[0]}-{self.page_range[1]}"
        if self.duplex:
            chosen["sides"] = self.duplex
        if self.monochrome:
            chosen["print-color-mode"] = "monochrome"
        return chosen


def send_pdf_to_cups(pdf: bytes, job: CupsJob) -> int:
    """Hand the PDF to CUPS; returns the job id (runs in a background thread: no widgets here)."""
    lib = _libcups()
    if lib is None:
        raise PrintError(QCoreApplication.translate("Printing", "The printing library libcups2 is not installed."))
    handle, path = tempfile.mkstemp(prefix="inspector-print-", suffix=".pdf")
    options = ctypes.POINTER(_CupsOption)()
    count = 0
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
        for name, value in job.options().items():
            count = lib.cupsAddOption(name.encode(), value.encode(), count, ctypes.byref(options))
        job_id = lib.cupsPrintFile(job.printer.encode(), path.encode(), job.title.encode(), count, options)
    finally:
        lib.cupsFreeOptions(count, options)
        Path(path).unlink(missing_ok=True)
    if job_id <= 0:
        reason = (lib.cupsLastErrorString() or b"").decode(errors="replace")
        text = QCoreApplication.translate("Printing", "The printer {printer} refused the document: {reason}")
        raise PrintError(text.format(printer=job.printer, reason=reason))
    return job_id


def cups_job_for(printer: QPrinter, title: str, page_count: int) -> CupsJob:
    """The settings chosen in the print dialog, as a CUPS job."""
    first, last = max(1, printer.fromPage() or 1), min(page_count, printer.toPage() or page_count)
    duplex = {QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
              QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge"}.get(printer.duplex())
    return CupsJob(printer=printer.printerName(), title=title, copies=printer.copyCount(),
                   page_range=None if (first, last) == (1, page_count) else (first, last), duplex=duplex,
                   monochrome=printer.colorMode() == QPrinter.ColorMode.GrayScale)


# --- rendering onto a QPrinter -----------------------------------------------------------------

def print_pdf(document: QPdfDocument, printer: QPrinter, progress=None) -> int:
    """Paint each page (within the chosen range) onto ``printer``; returns the pages printed.

    ``progress(done, total)`` is called after each page (the GUI stays responsive in between)."""
    count = document.pageCount()
    first = max(1, printer.fromPage() or 1)
    last = min(count, printer.toPage() or count)
    painter = QPainter()
    if count == 0 or not painter.begin(printer):
        return 0
    try:
        for page in range(first - 1, last):
            if page > first - 1:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() * RASTER_DPI / 72), round(points.height() * RASTER_DPI / 72))
            painter.drawImage(_fit(painter.viewport(), size), document.render(page, size))
            if progress:
                progress(page - first + 2, last - first + 1)
    finally:
        painter.end()
    return last - first + 1


def _fit(area: QRect, size: QSize) -> QRect:
    scaled = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    return QRect(area.x() + (area.width() - scaled.width()) // 2, area.y() + (area.height() - scaled.height()) // 2,
                 scaled.width(), scaled.height())


# --- the 打印 button ---------------------------------------------------------------------------

def new_printer(title: str, page_count: int) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setDocName(title)
    printer.setFromTo(1, max(1, page_count))
    return printer


def writes_pdf_file(printer: QPrinter, page_count: int) -> bool:
    """Printing the whole document to a PDF file: the file can simply be the document."""
    whole = (max(1, printer.fromPage() or 1), min(page_count, printer.toPage() or page_count)) == (1, page_count)
    return printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and bool(printer.outputFileName()) and whole


def sends_pdf_directly(printer: QPrinter) -> bool:
    return printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and cups_accepts_pdf(printer.printerName())


class PrintProgress(QProgressDialog):
    """Shown from the moment printing starts; ends with what happened, then closes by itself."""

    def __init__(self, parent, printer_name: str, pages: int):
        text = QCoreApplication.translate("Printing", "Sending the document to {printer} …")
        super().__init__(text.format(printer=printer_name), "", 0, pages, parent)
        self.printer_name = printer_name
        self.result_text = ""
        self.setWindowTitle(QCoreApplication.translate("Printing", "Printing"))
        self.setCancelButton(None)
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setValue(0)
        self.show()
        QCoreApplication.processEvents()

    def step(self, done: int, total: int) -> None:
        self.setMaximum(total)
        self.setValue(done)
        text = QCoreApplication.translate("Printing", "Preparing page {done} of {total} …")
        self.setLabelText(text.format(done=done, total=total))
        QCoreApplication.processEvents()

    def sent(self, pages: int, job_id: int | None = None) -> None:
        if job_id is None:
            text = QCoreApplication.translate("Printing", "Sent {pages} page(s) to {printer}.")
        else:
            text = QCoreApplication.translate("Printing", "Sent {pages} page(s) to {printer} (job {job}).")
        self.result_text = text.format(pages=pages, printer=self.printer_name, job=job_id)
        self.setMaximum(1)
        self.setValue(1)
        self.setLabelText(self.result_text)
        QTimer.singleShot(RESULT_SHOWN_MS, self.close)


def print_with_dialog(parent, dialogs, document: QPdfDocument, pdf: bytes, title: str, tasks) -> PrintProgress | None:
    """The 打印 button: ask for printer and options, then print with progress; returns the progress dialog."""
    printer = new_printer(title, document.pageCount())
    if not dialogs.print_setup(parent, printer):
        return None
    name = printer.printerName() or printer.outputFileName() or title
    progress = PrintProgress(parent, name, document.pageCount())
    if writes_pdf_file(printer, document.pageCount()):  # "print to file": the document itself, not pictures
        from inspector.core.common.atomic_file import write_atomically

        try:
            write_atomically(Path(printer.outputFileName()), pdf)
        except Exception as error:  # noqa: BLE001 - reported in the dialog
            _failed(parent, dialogs, progress, error)
        else:
            progress.sent(document.pageCount())
        return progress
    if sends_pdf_directly(printer):
        job = cups_job_for(printer, title, document.pageCount())
        pages = job.page_range[1] - job.page_range[0] + 1 if job.page_range else document.pageCount()
        tasks.submit(send_pdf_to_cups, pdf, job, on_done=lambda job_id: progress.sent(pages, job_id),
                     on_error=lambda error: _failed(parent, dialogs, progress, error))
        return progress
    try:
        pages = print_pdf(document, printer, progress.step)
        if pages == 0:
            text = QCoreApplication.translate("Printing", "The printer {printer} could not be opened.")
            raise PrintError(text.format(printer=name))
    except Exception as error:  # noqa: BLE001 - a failed print is reported, never a crash
        _failed(parent, dialogs, progress, error)
    else:
        progress.sent(pages)
    return progress


def _failed(parent, dialogs, progress: PrintProgress, error: BaseException) -> None:
    progress.close()
    from inspector.errors import UserError

    if isinstance(error, UserError):
        reason = error.message
    else:
        reason = str(error) if isinstance(error, PrintError) else f"{type(error).__name__}: {error}"
    text = QCoreApplication.translate("Printing", "Printing failed: {reason}")
    dialogs.error(parent, QCoreApplication.translate("Printing", "Printing"), text.format(reason=reason))
