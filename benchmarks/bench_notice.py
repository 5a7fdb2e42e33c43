"""Benchmark: one 责令限期整改指令书 with 10 hazards and 12 photos of 1600x1200.

Run:  .venv/bin/python benchmarks/bench_notice.py

Median of 5 runs each, all in one process, after one warm-up render (font registration):
  (a)  render_document: binary streams (useA85=0), JPEGs named by SHA-256 (no decode)
  (b)  the same render with ReportLab's default useA85=1 (ASCII85-encoded streams)
  (b2) (b) plus ReportLab's default image naming, which decodes every JPEG to RGB
  (c)  python-docx + ``soffice --headless --convert-to pdf``, only when python-docx is
       importable and soffice is on PATH; otherwise the reason it was skipped.
"""

from __future__ import annotations

import io
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw  # noqa: E402

from inspector.core.documents import (  # noqa: E402
    DocumentData, EnterpriseInfo, HazardEntry, PhotoEntry, format_number, load_config,
)

RUNS = 5
CST = timezone(timedelta(hours=8))


def photo(seed: int, size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A 1600x1200 JPEG (q=85) with photo-like detail, as the app stores after downscaling."""
    rng = random.Random(seed)
    small = (size[0] // 4, size[1] // 4)
    image = Image.frombytes("L", small, rng.randbytes(small[0] * small[1])).convert("RGB").resize(size)
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(size[0] - 300), rng.randrange(size[1] - 300)
        draw.rectangle([x, y, x + rng.randrange(40, 300), y + rng.randrange(40, 300)],
                       fill=tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def notice() -> DocumentData:
    photos = [PhotoEntry(photo(i), f"现场照片{i + 1}") for i in range(12)]
    hazards = []
    for no in range(1, 11):
        attached = photos[(no - 1) * 12 // 10:no * 12 // 10]
        hazards.append(HazardEntry(
            no=no,
            description=f"第{no}处检查部位存在安全隐患，现场未按规定设置防护设施，作业人员未落实安全操作规程",
            deadline=date(2025, 3, 7) + timedelta(days=7 * no),
            location=f"{no}号车间",
            level="major" if no == 3 else "general",
            major_clause="《工贸企业重大事故隐患判定标准》第十一条第（一）项" if no == 3 else "",
            requirement="立即设置防护设施并组织作业人员培训",
            basis="《中华人民共和国安全生产法》第四十一条",
            photos=attached,
        ))
    config = load_config()
    return DocumentData(
        kind="order", number=format_number(config, "order", 2025, 12),
        enterprise=EnterpriseInfo("兴国县示例机械制造有限公司", "91360732MA35XXXX0K", "兴国县经济技术开发区", "张三"),
        issued_on=date(2025, 3, 7), started_at=datetime(2025, 3, 7, 9, 0, tzinfo=CST),
        inspectors=[("王明", "36070012345"), ("李华", "36070012346")], hazards=hazards,
    )


def median_ms(run: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def docx_skip_reason() -> str | None:
    try:
        import docx  # noqa: F401
    except ImportError:
        reason = "python-docx is not importable"
    else:
        reason = ""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        reason = (reason + "; " if reason else "") + "soffice is not on PATH"
    return reason or None


def docx_route(data: DocumentData) -> bytes:
    """The comparable Word route: build a .docx, convert it with LibreOffice."""
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.add_heading("责令限期整改指令书", level=0)
    document.add_paragraph(data.number or "")
    document.add_paragraph(f"{data.enterprise.name}：")
    for hazard in data.hazards:
        paragraph = document.add_paragraph(f"{hazard.no}．{hazard.location}：{hazard.description}。"
                                           f"整改完成时限：{hazard.deadline:%Y年%m月%d日}前。")
        paragraph.paragraph_format.first_line_indent = Pt(32)
    for hazard in data.hazards:
        for entry in hazard.photos:
            document.add_picture(io.BytesIO(entry.jpeg), width=Cm(7.5))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "notice.docx"
        document.save(source)
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
                       check=True, capture_output=True)
        return (Path(folder) / "notice.pdf").read_bytes()


def main() -> None:
    from reportlab.lib.utils import ImageReader

    from inspector.core.documents import blocks
    from inspector.core.documents.render import render_document, render_pdf

    data = notice()
    size_mb = sum(len(p.jpeg) for h in data.hazards for p in h.photos) / 1e6
    print(f"notice: 10 hazards, 12 photos 1600x1200 ({size_mb:.1f} MB of JPEG), median of {RUNS} runs")

    start = time.perf_counter()
    render_document(data)
    print(f"warm-up (first render, registers fonts): {(time.perf_counter() - start) * 1000:8.0f} ms")

    a, pdf = median_ms(lambda: render_document(data))
    b, pdf_b = median_ms(lambda: render_pdf(data, ascii85=True))
    with mock.patch.object(blocks._JpegReader, "getRGBData", ImageReader.getRGBData):
        b2, _ = median_ms(lambda: render_pdf(data, ascii85=True))
    rows = [
        ("(a)  render_document (useA85=0, no JPEG decode)", a, len(pdf)),
        ("(b)  same, ReportLab default useA85=1", b, len(pdf_b)),
        ("(b2) useA85=1 + default decode-to-name images", b2, None),
    ]
    reason = docx_skip_reason()
    if reason is None:
        c, pdf_c = median_ms(lambda: docx_route(data))
        rows.append(("(c)  python-docx + soffice --convert-to pdf", c, len(pdf_c)))
    for label, ms, size in rows:
        kb = f"{size / 1024:7.0f} KB" if size else "          "
        print(f"{label:50s} {ms:8.1f} ms  {kb}  x{ms / a:5.1f}")
    if reason is not None:
        print(f"(c)  python-docx + soffice: skipped ({reason})")


if __name__ == "__main__":
    main()
