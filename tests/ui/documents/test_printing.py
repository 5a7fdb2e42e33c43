"""Printing an issued notice through the 打印 button to a real CUPS server with a cups-pdf printer.

The fixture installs CUPS and cups-pdf (as root, through apt-get) when they are missing, starts
``cupsd`` when none runs and stops what it started. It skips, saying why, only where that cannot be
done (not root, or apt-get failed). The printed file is then checked as a person would: pages,
text (pdftotext), fonts (pdffonts) and the resolution of every image (pdfimages).
"""

from __future__ import annotations

import io
import os
import pwd
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from inspector.core.documents import notices

QUEUE = "InspectorTest"
OUT_DIR = Path(pwd.getpwuid(os.getuid()).pw_dir) / "PDF"  # cups-pdf.conf: Out ${HOME}/PDF of the job's user
PPD = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
TOOLS = ("pdftotext", "pdffonts", "pdfimages")


def _run(*command: str, timeout: int = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)


def _scheduler_running() -> bool:
    return bool(shutil.which("lpstat")) and "is running" in _run("lpstat", "-r").stdout


def _install_cups() -> str | None:
    """None when CUPS, cups-pdf and poppler's tools are there (installing them when root), else why not."""
    missing = [pkg for pkg, path in (("cups", "/usr/sbin/cupsd"), ("cups-pdf", "/usr/lib/cups/backend/cups-pdf"),
                                     ("poppler-utils", "/usr/bin/pdfimages")) if not Path(path).exists()]
    if not missing:
        return None
    if os.geteuid() != 0:
        return f"CUPS is not installed and this is not root: run  sudo apt-get install {' '.join(missing)}"
    if not shutil.which("apt-get"):
        return "CUPS is not installed and there is no apt-get to install it"
    done = _run("apt-get", "install", "-y", "-q", "--no-install-recommends", *missing, timeout=600)
    if done.returncode != 0:
        _run("apt-get", "update", "-q", timeout=600)
        done = _run("apt-get", "install", "-y", "-q", "--no-install-recommends", *missing, timeout=600)
    if done.returncode != 0:
        return f"apt-get could not install {' '.join(missing)}: {done.stdout[-300:]}{done.stderr[-300:]}"
    return None


@pytest.fixture(scope="module")
def cups_pdf_queue():
    """The name of a cups-pdf queue writing into OUT_DIR; starts (and later stops) cupsd if needed."""
    reason = _install_cups()
    if reason:
        pytest.skip(reason)
    started = None
    if not _scheduler_running():
        if os.geteuid() != 0:
            pytest.skip("cupsd is not running and only root can start it: run  sudo /usr/sbin/cupsd")
        _run("/usr/sbin/cupsd")
        deadline = time.monotonic() + 20
        while not _scheduler_running() and time.monotonic() < deadline:
            time.sleep(0.2)
        pid_file = Path("/run/cups/cupsd.pid")
        assert _scheduler_running() and pid_file.exists(), "cupsd did not start (is port 631 taken?)"
        started = pid_file.read_text().strip()
    if QUEUE not in _run("lpstat", "-p").stdout:
        if os.geteuid() != 0:
            pytest.skip(f"the test printer {QUEUE} is missing and only root can add it")
        added = _run("lpadmin", "-p", QUEUE, "-v", "cups-pdf:/", "-E", "-m", PPD)
        assert added.returncode == 0, added.stderr
    yield QUEUE
    if started:
        _run("kill", started)


def _complete_pdf(path: Path) -> bool:
    """cups-pdf's Ghostscript writes the file in place: complete once it ends with %%EOF."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, path.stat().st_size - 64))
            return b"%%EOF" in handle.read()
    except OSError:
        return False


def _wait_for_pdf(pattern: str, before: set[Path] = frozenset(), timeout: float = 90) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in OUT_DIR.glob(pattern) if p not in before and _complete_pdf(p)]
        if found:
            return max(found, key=lambda p: p.stat().st_mtime)
        time.sleep(0.3)
    log = Path("/var/log/cups/error_log")
    tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
    raise AssertionError(f"cups-pdf wrote no {pattern} in {OUT_DIR} within {timeout} s; cups log:\n{tail}")


def _printed_file(job_id: int) -> Path:
    """cups-pdf names its output <title>-job_<id>.pdf."""
    return _wait_for_pdf(f"*job_{job_id}.pdf")


def _issue_notice(qtbot, view, kind="order"):
    from tests.ui.documents.test_notice_view import add_blocks, show_draft

    add_blocks(view.services)
    show_draft(qtbot, view, kind, _fullest_inspection(view.services))
    with qtbot.waitSignal(view.notice_issued, timeout=15000) as issued:
        qtbot.mouseClick(view.issue_button, Qt.MouseButton.LeftButton)
    return notices.get_notice(view.services.db, issued.args[0])


def _fullest_inspection(services) -> str:
    """The demo inspection whose order lists the most hazards: a notice with text and photos enough to compare."""
    from sqlmodel import select

    from inspector.db.models import Inspection
    from tests.document_dates import order_hazards

    with services.db.session() as session:
        ids = sorted(session.exec(select(Inspection.id)).all())
    return max(ids, key=lambda inspection_id: order_hazards(services.db, inspection_id))


class PrinterChoice:
    """What a person picks in the print dialog: a printer, and optionally a page range."""

    def __init__(self, queue: str, pages: tuple[int, int] | None = None):
        self.queue, self.pages = queue, pages

    def __call__(self, parent, printer) -> bool:
        printer.setPrinterName(self.queue)
        if self.pages:
            from PySide6.QtPrintSupport import QPrinter

            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(*self.pages)
        return True


@pytest.fixture
def view(qtbot, demo_services, tmp_path):
    from tests.ui.documents.test_notice_view import FakeDialogs
    from inspector.ui.application import create_application
    from inspector.ui.documents.notice_view import NoticeView

    from tests.document_dates import future_deadlines

    future_deadlines(demo_services.db)  # demo inspections lie in the past; today's documents need later deadlines
    create_application()
    view = NoticeView(demo_services)
    view.dialogs = FakeDialogs(tmp_path)
    qtbot.addWidget(view)
    return view


def _print_by_button(qtbot, view, choice: PrinterChoice) -> tuple[int, Path]:
    view.dialogs.print_setup = choice
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    progress = view.print_progress
    assert progress is not None and progress.isVisible(), "printing shows progress at once"
    qtbot.waitUntil(lambda: bool(progress.result_text) or bool(view.dialogs.errors), timeout=30000)
    assert not view.dialogs.errors
    job_id = int(re.search(r"(\d+)\D*$", progress.result_text)[1])
    return job_id, _printed_file(job_id)


def _glyphs(pdf: Path) -> str:
    """The text pdftotext finds, without white space."""
    return "".join(_run("pdftotext", str(pdf), "-").stdout.split())


def _page_difference(original: Path, printed: Path, page: int, work: Path) -> float:
    """Mean grey-level difference (0-255) of one page rendered from both files at 40 dpi."""
    from PIL import Image, ImageChops, ImageStat

    pages = []
    for name, pdf in (("original", original), ("printed", printed)):
        target = work / f"{name}-{page}"
        png = _run("pdftoppm", "-r", "40", "-gray", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                   str(target))
        assert png.returncode == 0, png.stderr
        pages.append(Image.open(target.with_suffix(".pgm")))
    return ImageStat.Stat(ImageChops.difference(*pages)).mean[0]


def _check_tools():
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    assert not missing, f"poppler-utils missing: {missing}"


def test_an_issued_notice_prints_on_a_cups_pdf_printer_as_text_and_sharp_photos(qtbot, view, cups_pdf_queue):
    _check_tools()
    notice = _issue_notice(qtbot, view)
    original = _saved(view, notice)
    job_id, printed = _print_by_button(qtbot, view, PrinterChoice(cups_pdf_queue))
    assert str(job_id) in view.print_progress.result_text and cups_pdf_queue in view.print_progress.result_text
    pages = len(PdfReader(str(original)).pages)
    assert len(PdfReader(str(printed)).pages) == pages >= 2
    # text is printed as text: embedded fonts, Latin and digits extractable (the Chinese glyphs are there
    # but cups-pdf's PostScript step drops their Unicode map; the page comparison below checks them)
    fonts = [line.split() for line in _run("pdffonts", str(printed)).stdout.splitlines()[2:]]
    assert fonts and all("yes" in cols[-5:-2] for cols in fonts), fonts
    source, glyphs = _glyphs(original), _glyphs(printed)
    assert notice.number_text in source
    codes = re.findall(r"[0-9A-Za-z-]{4,}", source)
    lost = [code for code in codes if code not in glyphs]  # a code broken over two lines is found in neither
    assert len(codes) >= 10 and len(lost) <= len(codes) // 10, lost
    # photos are the original pixels (not resampled), and no page became a picture
    wanted = sorted((w, h, x) for w, h, x, _ in _images(original))
    got = sorted((w, h, x) for w, h, x, _ in _images(printed))
    assert wanted and got == wanted, (got, wanted)
    # and every page looks like the issued one
    for page in range(1, pages + 1):
        assert _page_difference(original, printed, page, original.parent) < 3.0, page


def test_without_pdf_support_pages_are_rendered_at_300_dpi(qtbot, view, cups_pdf_queue, monkeypatch):
    """The fallback (Windows, raw queues): QtPdf renders each page, QPrinter sends the pictures."""
    from inspector.ui.documents import printing

    _check_tools()
    monkeypatch.setattr(printing, "sends_pdf_directly", lambda printer: False)
    notice = _issue_notice(qtbot, view)
    view.dialogs.print_setup = PrinterChoice(cups_pdf_queue)
    before = set(OUT_DIR.glob("*.pdf")) if OUT_DIR.exists() else set()
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(view.print_progress.result_text), timeout=60000)
    assert not view.dialogs.errors
    printed = _wait_for_pdf("*.pdf", before)
    pages = len(PdfReader(io.BytesIO(notice.pdf)).pages)
    assert len(PdfReader(str(printed)).pages) == pages
    images = _images(printed)
    assert len(images) >= pages and min(min(x, y) for _, _, x, y in images) >= 300, images


def test_a_page_range_prints_only_those_pages(qtbot, view, cups_pdf_queue):
    _issue_notice(qtbot, view)
    _, printed = _print_by_button(qtbot, view, PrinterChoice(cups_pdf_queue, pages=(2, 2)))
    assert len(PdfReader(str(printed)).pages) == 1


def test_printing_to_a_pdf_file_writes_the_document_itself(qtbot, view, tmp_path):
    notice = _issue_notice(qtbot, view)
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)  # FakeDialogs: print to printed.pdf
    assert view.print_progress.result_text and not view.dialogs.errors
    assert (tmp_path / "printed.pdf").read_bytes() == notice.pdf
    view.dialogs.print_to = tmp_path / "no such folder" / "x.pdf"
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    assert view.dialogs.errors and "打印失败" in view.dialogs.errors[-1] and "不存在" in view.dialogs.errors[-1]


def _images(pdf: Path) -> list[tuple[int, int, int, int]]:
    """(width, height, x-ppi, y-ppi) of every image, from ``pdfimages -list``."""
    lines = _run("pdfimages", "-list", str(pdf)).stdout.splitlines()[2:]
    return [(int(c[3]), int(c[4]), int(c[12]), int(c[13])) for c in (line.split() for line in lines) if len(c) > 13]


def _saved(view, notice) -> Path:
    path = Path(view.dialogs.tmp_path) / "issued.pdf"
    path.write_bytes(notice.pdf)
    return path


def test_the_print_dialog_with_a_cups_printer_speaks_chinese(qtbot, cups_pdf_queue):
    """The print set-up a person sees before 打印 (NoticeDialogs.print_setup's dialog), on a real queue."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo

    from inspector.ui.application import create_application
    from tests.ui.test_translations import _english_texts

    create_application()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(cups_pdf_queue)
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    info = QPrinterInfo.printerInfo(cups_pdf_queue)
    own_names = {info.printerName(), info.description(), info.makeAndModel(), info.location()}  # the driver's, not Qt's
    assert "Generic CUPS-PDF Printer (w/ options)" in own_names
    assert _english_texts(dialog) - own_names == set()
