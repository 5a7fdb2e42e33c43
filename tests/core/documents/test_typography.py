"""Issue 12, typography, on rendered PDFs (pdfplumber): Chinese line breaking, the signature block kept
with the last lines of text, photo pages without a lone photo, one page number per page."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta, timezone

import pdfplumber
import pytest

from inspector.core.documents import (
    DocumentData, EnterpriseInfo, HazardEntry, Inspector, PhotoEntry, format_number, load_config, render_document,
)
from tests.core.documents.test_documents import jpeg

CST = timezone(timedelta(hours=8))
NO_LINE_START = "。，、；：？！）」』】〕》”"
NO_LINE_END = "（「『【〔《“"


def order(hazards: list[HazardEntry], kind: str = "order") -> bytes:
    data = DocumentData(
        kind=kind, number=format_number(load_config(), kind, 2026, 3),
        enterprise=EnterpriseInfo("兴国县测试机械有限公司", "91360732MA35XXXX0K", "兴国经济技术开发区兴业大道8号", "刘建国"),
        issued_on=date(2026, 3, 12), started_at=datetime(2026, 3, 12, 9, 0, tzinfo=CST),
        ended_at=datetime(2026, 3, 12, 11, 0, tzinfo=CST), place="生产车间",
        inspectors=[Inspector("王明", "36070012345"), Inspector("李华", "36070012346")], hazards=hazards,
    )
    return render_document(data)


def hazard(no: int, description: str, photos: int = 0, **kw) -> HazardEntry:
    values = dict(no=no, description=description, deadline=date(2026, 4, 1), location="生产车间",
                  requirement="按要求整改", basis="《中华人民共和国安全生产法》第四十一条",
                  photos=[PhotoEntry(jpeg(no * 10 + k), "", datetime(2026, 3, 12, 9, k, tzinfo=CST))
                          for k in range(photos)])
    values.update(kw)
    return HazardEntry(**values)


def body_lines(pdf: bytes) -> list[str]:
    """Text lines of the body (the page numbers "— N —" left out)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        lines = [line for page in doc.pages for line in (page.extract_text() or "").split("\n")]
    return [line.replace(" ", "") for line in lines if line.strip() and not re.fullmatch(r"—\s*\d+\s*—", line.strip())]


def test_chinese_line_breaking_rules_hold_whatever_falls_at_a_line_end():
    # the bracket and the closing marks land at every position of a line across these hazards
    hazards = [hazard(k + 1, "甲" * k + "设备（含附属设施）未按规定检测，“检验报告”缺失；台账、记录不全：需补齐。")
               for k in range(26)]
    lines = body_lines(order(hazards))
    starts = [line for line in lines if line[0] in NO_LINE_START]
    ends = [line for line in lines if line[-1] in NO_LINE_END]
    assert not starts, starts[:5]
    assert not ends, ends[:5]


def test_numbers_are_not_cut_at_a_line_end():
    hazards = [hazard(k + 1, "乙" * k + "储罐区距离不足15577毫米，编号20260312001的设备未检测",
                      requirement="丙" * k + "按第15577号文件要求整改", deadline=date(2026, 5, 11)) for k in range(26)]
    lines = body_lines(order(hazards))
    joined = "".join(lines)
    assert joined.count("15577") == 52 and joined.count("20260312001") == 26 and joined.count("2026年5月11日前") == 26
    cut = [(line, lines[i + 1]) for i, line in enumerate(lines[:-1]) if line[-1].isascii() and line[-1].isalnum()
           and lines[i + 1][0].isascii() and lines[i + 1][0].isalnum()]
    assert not cut, cut[:3]


@pytest.mark.parametrize("count", range(1, 9))
def test_the_signatures_share_their_page_with_text_before_the_remedy_clause(count):
    pdf = order([hazard(n, f"第{n}号配电箱前堆放可燃物，未保持0.8米操作通道，现场存在火灾和触电风险") for n in
                 range(1, count + 1)])
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        texts = [(page.extract_text() or "").replace(" ", "") for page in doc.pages]
    page = next(t for t in texts if "行政执法人员（签名）" in t)
    lines = page.split("\n")
    remedy = next(i for i, line in enumerate(lines) if line.startswith("如果不服本指令"))
    assert remedy >= 2, f"{count} hazards: the signature page starts with the remedy clause:\n{page}"


@pytest.mark.parametrize("photos", range(2, 15))
def test_no_photo_page_holds_a_single_photo_when_two_fit(photos):
    hazards = [hazard(1, "配电箱前堆放纸箱", photos=photos)]
    pdf = order(hazards)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        later = [len(page.images) for page in doc.pages[1:] if page.images]
    assert sum(later) == photos
    assert 1 not in later, later


def test_photo_captions_give_number_time_and_place_and_pages_carry_the_number():
    pdf = order([hazard(1, "配电箱前堆放纸箱", photos=2, location="2号车间配电室"),
                 hazard(2, "灭火器过期", photos=1, location="仓库")])
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        appendix = [(page.extract_text() or "").replace(" ", "") for page in doc.pages if page.images]
    assert appendix
    for text in appendix:
        assert text.startswith("（兴）应急责改〔2026〕3号附件")
    joined = "".join(appendix)
    assert "第1项隐患照片1" in joined and "2号车间配电室" in joined and "拍摄时间：2026年3月12日9时00分" in joined
    assert "第2项隐患仓库" in joined


def test_one_page_number_per_page_and_no_total():
    pdf = order([hazard(n, "配电箱前堆放可燃物", photos=1) for n in range(1, 6)])
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            text = (page.extract_text() or "").replace(" ", "")
            assert text.count(f"—{number}—") == 1 and not re.search(r"共\d+页", text)
            words = [w for w in page.extract_words() if w["text"].strip("— ") == str(number)]
            assert len(words) == 1 and words[0]["top"] > page.height - 35 * 72 / 25.4  # below the type area
