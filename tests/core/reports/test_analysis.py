"""Monthly analysis: figures by sector and level, rates, overdue trend, top items, repeats; the PDF report."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timezone

import pytest

from inspector.core.reports.analysis import add_months, monthly_analysis, months_with_data, parse_month
from inspector.core.common.clock import CHINA_TZ
from inspector.errors import UserError


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), CHINA_TZ).astimezone(timezone.utc)


def _build(db):
    """Enterprise A (冷库): LK-01 fails on 2025-02-10 and 2025-03-05 (a repeat), LK-02 on 2025-03-05 (major);
    enterprise B (燃气): RQ-01 on 2025-03-20. LK-01 of February is closed on 2025-03-02, LK-02 on 2025-04-02;
    RQ-01 is escalated on 2025-03-28. Deadlines: February's 2025-02-17, March's 2025-03-12 / 2025-03-27."""
    from inspector.db.models import Enterprise, Finding, HazardEvent, Inspection, Inspector

    with db.session() as session:
        officer = Inspector(name="刘志强")
        a = Enterprise(name="兴国县甲冷链有限公司", industry="冷库/涉氨制冷")
        b = Enterprise(name="兴国县乙餐饮有限公司", industry="燃气（餐饮/瓶装液化石油气）")
        session.add_all([officer, a, b])
        session.flush()

        def inspect(enterprise, day, items):
            inspection = Inspection(enterprise_id=enterprise.id, started_at=_at(day), inspector_ids=[officer.id],
                                    status="completed")
            session.add(inspection)
            session.flush()
            rows = []
            for item_id, level, deadline, closed in items:
                row = Finding(inspection_id=inspection.id, item_id=item_id, item_text=f"{item_id} 检查内容",
                              result="fail", description=f"{item_id} 隐患", level=level, deadline=deadline,
                              status="closed" if closed else "rectifying", closed_at=_at(closed) if closed else None)
                session.add(row)
                rows.append(row)
            session.add(Finding(inspection_id=inspection.id, item_id="OK-1", result="pass"))
            return rows

        inspect(a, date(2025, 2, 10), [("LK-01", "general", date(2025, 2, 17), date(2025, 3, 2))])
        inspect(a, date(2025, 3, 5), [("LK-01", "general", date(2025, 3, 12), None),
                                      ("LK-02", "major", date(2025, 3, 12), date(2025, 4, 2))])
        (escalated,) = inspect(b, date(2025, 3, 20), [("RQ-01", "general", date(2025, 3, 27), None)])
        escalated.status = "escalated"
        session.flush()
        session.add(HazardEvent(finding_id=escalated.id, at=_at(date(2025, 3, 28)), inspector_id=officer.id,
                                from_status="rectifying", to_status="escalated", note="移交"))


def test_march_figures(services):
    _build(services.db)
    march = monthly_analysis(services.db, date(2025, 3, 1), today=date(2025, 5, 1))
    assert (march.found, march.found_major, march.closed, march.closed_major) == (3, 1, 1, 0)
    sectors = {s.sector: s for s in march.sectors}
    assert (sectors["冷库/涉氨制冷"].found_general, sectors["冷库/涉氨制冷"].found_major) == (1, 1)
    assert sectors["冷库/涉氨制冷"].closed_general == 1  # February's LK-01, closed in March
    assert sectors["燃气（餐饮/瓶装液化石油气）"].found == 1
    assert march.cohort_closed == 0 and march.rectification_rate == 0  # LK-02 closed only in April
    assert (march.cumulative_found, march.cumulative_closed) == (4, 1)
    assert march.cumulative_rate == pytest.approx(0.25)
    trend = dict(march.overdue_trend)
    assert len(trend) == 6 and trend[date(2025, 2, 1)] == 1  # February's LK-01 still open on 1 March
    assert trend[date(2025, 3, 1)] == 2  # both March hazards of A; RQ-01 was escalated before its end
    assert march.top_items[0].item_id in ("LK-01", "LK-02", "RQ-01") and march.top_items[0].count == 1
    assert [(r.name, r.items, r.inspections) for r in march.repeats] == [("兴国县甲冷链有限公司", ("LK-01",), 2)]
    april = monthly_analysis(services.db, date(2025, 4, 1))
    assert (april.found, april.closed, april.closed_major) == (0, 1, 1) and april.rectification_rate is None


def test_report_pdf_renders_chinese_with_embedded_font(services):
    from pypdf import PdfReader

    from inspector.core.reports.analysis_report import render_analysis_pdf

    _build(services.db)
    pdf = render_analysis_pdf(monthly_analysis(services.db, date(2025, 3, 1)))
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    assert "安全生产形势分析研判报告" in text and "2025年3月" in text and "兴国县甲冷链有限公司" in text and "LK-01" in text
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    chinese = [font for font in fonts if "WenQuanYi" in str(font["/BaseFont"])]
    assert chinese and all("/FontFile2" in font["/FontDescriptor"] for font in chinese)  # embedded


def test_months_and_parsing(services):
    assert months_with_data(services.db) == []
    _build(services.db)
    assert months_with_data(services.db) == [date(2025, 3, 1), date(2025, 2, 1)]
    assert parse_month("2025-03") == parse_month("2025年3月") == date(2025, 3, 1)
    for bad in ("2025-13", "march", "25-03", ""):
        with pytest.raises(UserError, match="2025-03"):
            parse_month(bad)
    assert add_months(date(2025, 1, 1), -1) == date(2024, 12, 1)
    assert add_months(date(2025, 12, 1), 1) == date(2026, 1, 1)


def _notice(session, kind: str, enterprise_id: str, day: date, status: str = "issued"):
    from inspector.db.models import Notice

    session.add(Notice(kind=kind, enterprise_id=enterprise_id, issued_at=_at(day), status=status, pdf=b"%PDF",
                       pdf_sha256="0" * 64, content_sha256="0" * 64, number_text=f"{kind}-{day}"))


def test_what_the_office_did_majors_and_comparisons(services):
    from sqlmodel import select

    from inspector.db.models import Enterprise

    _build(services.db)
    with services.db.session() as session:
        a = session.exec(select(Enterprise).where(Enterprise.name == "兴国县甲冷链有限公司")).one()
        _notice(session, "order", a.id, date(2025, 3, 6))
        _notice(session, "measure", a.id, date(2025, 3, 6))
        _notice(session, "order", a.id, date(2025, 3, 7), status="voided")  # a voided one does not count
        _notice(session, "park", a.id, date(2025, 2, 11))
    march = monthly_analysis(services.db, date(2025, 3, 1), today=date(2025, 5, 1))
    act = march.activity
    assert (act.inspections, act.enterprises_inspected) == (2, 2) and act.documents == {"order": 1, "measure": 1}
    assert act.escalated == 1 and act.inspections_by_sector == {"冷库/涉氨制冷": 1, "燃气（餐饮/瓶装液化石油气）": 1}
    assert [(h.enterprise, h.status) for h in march.major_hazards] == [("兴国县甲冷链有限公司", "逾期未销号")]
    april = monthly_analysis(services.db, date(2025, 4, 1))
    assert april.major_hazards[0].status == "已销号（4月2日）"
    assert (march.previous.month, march.previous.found, march.previous.inspections) == (date(2025, 2, 1), 1, 1)
    assert march.last_year.found == 0 and march.last_year.month == date(2024, 3, 1)


def test_a_closed_month_prints_what_was_stored_and_says_what_changed(services):
    from inspector.core.reports.analysis_codec import from_json, to_json
    from inspector.core.reports.analysis_snapshot import analysis_for, close_month
    from sqlmodel import select

    from inspector.db.models import Finding

    _build(services.db)
    march = date(2025, 3, 1)
    with pytest.raises(UserError, match="关账人"):
        close_month(services.db, march, closed_by=" ", today=date(2025, 4, 5))
    with pytest.raises(UserError, match="尚未结束"):
        close_month(services.db, march, closed_by="钟主任", today=date(2025, 3, 20))
    stored = close_month(services.db, march, closed_by="钟主任", document_number="兴经开安析〔2025〕3号",
                         today=date(2025, 4, 5))
    assert from_json(to_json(stored)) == stored  # the stored form round-trips exactly
    with pytest.raises(UserError, match="已经关账"):
        close_month(services.db, march, closed_by="钟主任", today=date(2025, 4, 6))
    with services.db.session() as session:  # a late 销号 recorded for a March hazard
        finding = session.exec(select(Finding).where(Finding.item_id == "RQ-01")).one()
        finding.closed_at, finding.status = _at(date(2025, 3, 30)), "closed"
    result = analysis_for(services.db, march)
    assert result.analysis.closed == stored.closed == 1
    assert result.closed.closed_by == "钟主任" and any(c.startswith("销号 1→2") for c in result.changed_since)
    assert "关账后发生数据变化" in result.warning


def test_the_report_embeds_every_font_has_every_glyph_and_keeps_headings_with_text(services):
    import pdfplumber
    from reportlab.pdfbase import pdfmetrics

    from inspector.core.reports.analysis_report import _font, glyph_safe, render_analysis_pdf
    from inspector.core.reports.analysis_snapshot import analysis_for, close_month

    _build(services.db)
    close_month(services.db, date(2025, 3, 1), closed_by="钟主任", document_number="兴经开安析〔2025〕3号",
                today=date(2025, 4, 5))
    pdf = render_analysis_pdf(analysis_for(services.db, date(2025, 3, 1)), issuer="兴国县应急管理局")
    font = _font()
    assert glyph_safe("1.5×10⁻⁴", font) in ("1.5×10⁻⁴", "1.5×10^-4")  # the minus is never lost
    cmap = pdfmetrics.getFont(font).face.charToGlyph
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
        fonts = {char["fontname"] for page in document.pages for char in page.chars}
        missing = {char["text"] for page in document.pages for char in page.chars
                   if char["text"].strip() and ord(char["text"][0]) not in cmap}
        headings = [(page.page_number, char["top"]) for page in document.pages
                    for line in page.extract_text_lines() if line["text"][:2] in ("一、", "二、", "三、", "四、", "五、",
                                                                               "六、", "七、", "八、")
                    for char in line["chars"][:1]]
        bottoms = {page.page_number: page.height for page in document.pages}
    assert all("WenQuanYi" in name for name in fonts), fonts  # every character in the embedded font
    from pypdf import PdfReader

    resources = [font.get_object() for page in PdfReader(io.BytesIO(pdf)).pages
                 for font in page["/Resources"]["/Font"].values()]
    assert resources and all("/FontFile2" in font["/FontDescriptor"] for font in resources
                             if "/FontDescriptor" in font) and all("/FontDescriptor" in font for font in resources), \
        [str(font["/BaseFont"]) for font in resources]  # no unembedded Helvetica in any page's resources
    assert missing == set()
    for name in ("兴经开安析〔2025〕3号", "检查工作开展情况", "执法与处置情况", "与上月、去年同期对比", "重大事故隐患情况",
                 "研判结论与下月工作重点", "兴国县应急管理局", "关账人：钟主任"):
        assert name in text.replace(" ", ""), name
    assert all(top < bottoms[page] - 100 for page, top in headings)  # no heading stranded at a page's foot


def _open_hazards(db, hazards):
    """One open hazard per (found, deadline) at one enterprise."""
    from inspector.db.models import Enterprise, Finding, Inspection, Inspector

    with db.session() as session:
        officer, enterprise = Inspector(name="刘志强"), Enterprise(name="兴国县丙五金有限公司", industry="机械/铸造")
        session.add_all([officer, enterprise])
        session.flush()
        for n, (found, deadline) in enumerate(hazards):
            inspection = Inspection(enterprise_id=enterprise.id, started_at=_at(found), inspector_ids=[officer.id],
                                    status="completed")
            session.add(inspection)
            session.flush()
            session.add(Finding(inspection_id=inspection.id, item_id=f"JX-0{n}", item_text="检查内容", result="fail",
                                description=f"隐患{n}", level="general", deadline=deadline, status="rectifying"))


def test_a_month_not_yet_over_counts_what_is_overdue_today_not_what_will_be_at_its_end(services):
    """On 2 December a hazard due on the 10th is not overdue: the month's point of the trend, its headline
    and the report say what is overdue today (the dashboard's figure) and say so, not a month-end forecast."""
    from pypdf import PdfReader

    from inspector.core.loop.dashboard import load_dashboard
    from inspector.core.reports.analysis_report import render_analysis_pdf

    _open_hazards(services.db, [(date(2026, 11, 20), date(2026, 11, 30)), (date(2026, 12, 1), date(2026, 12, 10)),
                                (date(2026, 12, 1), date(2026, 12, 1))])
    today = date(2026, 12, 2)
    december = monthly_analysis(services.db, date(2026, 12, 1), today=today)
    assert december.counted_through == today and not december.complete
    assert dict(december.overdue_trend)[date(2026, 11, 1)] == 1  # November's own month end
    assert dict(december.overdue_trend)[date(2026, 12, 1)] == 2 == load_dashboard(services.db, today).counts["overdue"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_analysis_pdf(december))).pages)
    text = text.replace(" ", "").replace("\n", "")
    assert "截至12月2日逾期未整改隐患2项" in text and "月末逾期未整改" not in text
    assert "对截至12月2日逾期的2项隐患逐项复查" in text and "对月末逾期" not in text
    assert "统计截至12月2日" in text and "（本月截至12月2日）" in text
    november = monthly_analysis(services.db, date(2026, 11, 1), today=today)
    assert november.complete and november.counted_through == date(2026, 11, 30)
    assert "月末逾期未整改隐患1项" in "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(render_analysis_pdf(november))).pages).replace(" ", "")


def test_the_major_hazards_table_keeps_each_date_on_one_line(services):
    import pdfplumber

    from inspector.core.reports.analysis_report import render_analysis_pdf

    _build(services.db)
    pdf = render_analysis_pdf(monthly_analysis(services.db, date(2025, 3, 1), today=date(2025, 5, 1)))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        lines = [line.replace(" ", "") for page in doc.pages for line in (page.extract_text() or "").splitlines()]
    major = next(line for line in lines if "LK-02隐患" in line)
    assert "2025-03-05" in major and "2025-03-12" in major and "逾期未销号" in major, major  # at the end of March
