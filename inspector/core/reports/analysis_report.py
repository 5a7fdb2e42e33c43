"""The 月度安全生产形势分析研判报告 as a PDF (ReportLab): what the office did, what it found and closed, how
that compares with the month before and a year before, the major hazards one by one, and the focus for
next month; issued by a named unit, with a 文号 when it has one, and marked when printed from a closed month.

Every glyph comes from the bundled WenQuanYi Micro Hei (TrueType, embedded as a subset); characters the
font lacks are replaced before drawing (:func:`glyph_safe`), so nothing prints as an empty box.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from inspector.core.reports.analysis_pdf_charts import GREY, bar_chart, line_chart, short_sector
from inspector.errors import UserError

if TYPE_CHECKING:
    from inspector.core.reports.analysis import Headline, MonthlyAnalysis
    from inspector.core.reports.analysis_snapshot import AnalysisResult

FONT_FILE = "wqy-microhei.ttc"
FALLBACKS = {"−": "-", "–": "-", "‐": "-", "’": "'", "“": '"', "”": '"'}
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def render_analysis_pdf(result: "AnalysisResult | MonthlyAnalysis", issuer: str = "兴国经济技术开发区",
                        number: str = "") -> bytes:
    """The report as PDF bytes (A4 portrait). ``result`` is what :func:`analysis_for` returns (or a bare analysis)."""
    import io

    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    from inspector.core.reports.analysis_snapshot import AnalysisResult

    result = result if isinstance(result, AnalysisResult) else AnalysisResult(result)
    number = number or (result.closed.document_number if result.closed else "")
    font = _font()
    styles = _styles(font)
    story = _story(result, issuer, number, styles, font)
    buffer = io.BytesIO()
    label = result.analysis.label
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=20 * mm,
                                 bottomMargin=20 * mm, title=f"{label}安全生产形势分析研判报告", author=issuer,
                                 invariant=1, initialFontName=font, initialFontSize=11)  # no Helvetica anywhere
    page = _page_footer(font, label)
    previous, rl_config.useA85 = rl_config.useA85, 0  # binary streams: much faster, still valid PDF
    try:
        document.build(story, onFirstPage=page, onLaterPages=page)
    finally:
        rl_config.useA85 = previous
    return buffer.getvalue()


def _font() -> str:
    from inspector.core.documents.fonts import bundled_fonts_dir, register_font

    path = bundled_fonts_dir() / FONT_FILE
    font = register_font(path) if path.is_file() else None
    if font is None:
        raise UserError(f"随附字体文件 {path} 缺失或无法使用，请重新安装程序。")
    return font.name


def glyph_safe(text: str, font: str) -> str:
    """``text`` with every character the font cannot draw replaced (``1.5×10⁻⁴`` keeps its minus)."""
    from reportlab.pdfbase import pdfmetrics

    cmap = pdfmetrics.getFont(font).face.charToGlyph

    def superscript(match: re.Match) -> str:  # a run the font cannot draw whole: 10⁻⁴ -> 10^-4
        run = match.group(0)
        return run if all(ord(ch) in cmap for ch in run) else "^" + run.translate(SUPERSCRIPTS)

    text = _SUPERSCRIPT_RUN.sub(superscript, text)
    return "".join(ch if ord(ch) in cmap or ch in "\n\t" else FALLBACKS.get(ch, "?") for ch in text)


def _styles(font: str) -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    return {
        "number": ParagraphStyle("number", parent=base, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=28, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, alignment=TA_CENTER, textColor=GREY),
        "h": ParagraphStyle("h", parent=base, fontSize=13, leading=22, spaceBefore=8, spaceAfter=2, keepWithNext=1),
        "body": ParagraphStyle("body", parent=base, firstLineIndent=22),
        "warning": ParagraphStyle("warning", parent=base, fontSize=10, textColor="#c62828"),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "caption": ParagraphStyle("caption", parent=base, fontSize=9, alignment=TA_CENTER, textColor=GREY),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT),
    }


def _page_footer(font: str, label: str):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    def draw(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.setFillColor(GREY)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {document.page} —")
        canvas.restoreState()

    return draw


def _story(result: "AnalysisResult", issuer: str, number: str, s: dict, font: str) -> list:
    from reportlab.platypus import KeepTogether, Paragraph, Spacer

    a = result.analysis
    p = lambda text, style="body": Paragraph(_escape(glyph_safe(text, font)), s[style])  # noqa: E731
    story = ([p(number, "number")] if number else []) + [
        p(f"{a.label}安全生产形势分析研判报告", "title"),
        p(f"{issuer}　　{_day(a.generated_on)}　　数据来源：本机数据库", "subtitle")]
    story += ([] if a.complete else [p(f"（本月尚未结束，统计截至{a.end_label}）", "subtitle")]) + [Spacer(1, 6)]
    if result.warning:
        story.append(p(result.warning, "warning"))
    story += [p("一、检查工作开展情况", "h"), p(_coverage(a)), _inspections_table(a, s, font)]
    story += [p("二、执法与处置情况", "h"), p(_enforcement(a))]
    story += [p("三、隐患排查治理情况", "h"), p(_summary(a)), _sector_table(a, s, font)]
    if a.sectors:
        story += [KeepTogether([bar_chart(a, font), p("图1　分行业本月发现与销号隐患数", "caption")])]
    story += [p("四、与上月、去年同期对比", "h"), _comparison_table(a, s, font)]
    story += [p("五、重大事故隐患情况", "h"), p(_major_summary(a)), _major_table(a, s, font)]
    story += [KeepTogether([p("六、逾期隐患趋势", "h"),
                            p("各月末仍未销号、未移交执法且已过整改期限的隐患数（按现行整改期限计）"
                              + ("。" if a.complete else f"；本月尚未结束，为截至{a.end_label}的数。")),
                            line_chart(a, font), p(f"图2　近{len(a.overdue_trend)}个月月末逾期隐患数"
                                                   + ("" if a.complete else f"（本月截至{a.end_label}）"), "caption")])]
    story += [p("七、突出问题", "h"), p("（一）本月不合格次数最多的检查项"), _items_table(a, s, font),
              p("（二）隐患反复出现的企业（同一检查项近12个月内两次及以上检查不合格、本月再次出现）"), _repeats_table(a, s, font)]
    story += [p("八、研判结论与下月工作重点", "h")] + [p(f"{n}．{text}") for n, text in enumerate(_focus(a), start=1)]
    story += [Spacer(1, 14), p(issuer, "sign"), p(_day(a.generated_on), "sign")]
    if result.closed:
        story.append(p(f"（本报告按 {result.closed.closed_at[:10]} 关账时的数据出具，关账人：{result.closed.closed_by}）",
                       "subtitle"))
    return story


def _coverage(a: "MonthlyAnalysis") -> str:
    act = a.activity
    share = f"，占在册企业{act.enterprises_registered}家的{percent(act.coverage)}" if act.enterprises_registered else ""
    return f"本月共开展安全生产检查{act.inspections}次，覆盖企业{act.enterprises_inspected}家{share}。"


def _enforcement(a: "MonthlyAnalysis") -> str:
    from inspector.core.reports.analysis_activity import document_lines

    lines = document_lines(a.activity)
    documents = "；".join(f"{label}{count}份" for label, count in lines) if lines else "未制发执法文书"
    return f"本月制发文书：{documents}。移交执法（立案查处）隐患{a.activity.escalated}项。"


def _summary(a: "MonthlyAnalysis") -> str:
    trend = a.overdue_trend
    change = ""
    if len(trend) >= 2:
        delta = trend[-1][1] - trend[-2][1]
        change = "，与上月末持平" if delta == 0 else f"，较上月末{'增加' if delta > 0 else '减少'}{abs(delta)}项"
    return (f"本月共发现隐患{a.found}项，其中重大事故隐患{a.found_major}项；本月销号{a.closed}项，"
            f"其中重大事故隐患{a.closed_major}项。本月发现的隐患截至{a.end_label}已销号{a.cohort_closed}项，整改率"
            f"{percent(a.rectification_rate)}；截至{a.end_label}累计发现隐患{a.cumulative_found}项，累计整改率"
            f"{percent(a.cumulative_rate)}。{_when(a)}逾期未整改隐患{trend[-1][1] if trend else 0}项{change}。")


def _when(a: "MonthlyAnalysis") -> str:
    """月末, or 截至12月2日 while the month is not over."""
    return a.end_label if a.complete else f"截至{a.end_label}"


def _major_summary(a: "MonthlyAnalysis") -> str:
    if not a.major_hazards:
        return "本月无新发现或尚未销号的重大事故隐患。"
    open_ = sum(not h.status.startswith(("已销号", "移交")) for h in a.major_hazards)
    return (f"本月新发现重大事故隐患{a.found_major}项；列入下表的{len(a.major_hazards)}项中，{_when(a)}仍未销号{open_}项，"
            "均须落实临时管控措施和治理方案，逐项跟踪至销号。")


def _focus(a: "MonthlyAnalysis") -> list[str]:
    lines = []
    trend = a.overdue_trend
    if trend and trend[-1][1]:
        lines.append(f"对{_when(a)}逾期的{trend[-1][1]}项隐患逐项复查，拒不整改或整改不到位的依法移交执法。")
    open_major = [h for h in a.major_hazards if not h.status.startswith(("已销号", "移交"))]
    if open_major:
        lines.append(f"{len(open_major)}项重大事故隐患尚未销号，下月逐项督办，整改期间严格落实临时管控措施。")
    if a.sectors and a.sectors[0].found:
        lines.append(f"本月{a.sectors[0].sector}行业发现隐患最多（{a.sectors[0].found}项），列为下月专项检查重点。")
    if a.top_items:
        top = a.top_items[0]
        lines.append(f"检查项 {top.item_id}（{top.text[:40]}）本月不合格{top.count}次，开展针对性宣传和指导。")
    if a.repeats:
        lines.append(f"{len(a.repeats)}家企业隐患反复出现，约谈企业主要负责人，督促建立隐患排查治理长效机制。")
    act = a.activity
    if act.enterprises_registered and (act.coverage or 0) < 0.5:
        lines.append(f"本月检查覆盖在册企业{percent(act.coverage)}，下月扩大覆盖面，优先检查近期未检查的企业。")
    return lines or ["本月未发现需要特别关注的情况，下月按计划开展检查。"]


def _change(now: int, then: int | None) -> str:
    if then is None:
        return "—"
    if then == 0:
        return "—" if now == 0 else "新增"
    return f"{(now - then) / then * 100:+.1f}%"


def _comparison_table(a: "MonthlyAnalysis", s: dict, font: str):
    from reportlab.lib.units import mm

    now, before, year = a.headline, a.previous, a.last_year

    def value(h: "Headline | None", name: str):
        return None if h is None else getattr(h, name)

    rows = [["项目", "本月", "上月", "环比", "去年同月", "同比"]]
    for label, name in (("检查次数", "inspections"), ("覆盖企业", "enterprises"), ("发现隐患", "found"),
                        ("其中重大", "found_major"), ("销号", "closed")):
        rows.append([label, value(now, name), _blank(value(before, name)), _change(value(now, name), value(before, name)),
                     _blank(value(year, name)), _change(value(now, name), value(year, name))])
    rows.append(["本月隐患整改率", percent(now.rate), percent(before.rate if before else None), "—",
                 percent(year.rate if year else None), "—"])
    return _table(rows, [34 * mm, 24 * mm, 24 * mm, 22 * mm, 24 * mm, 22 * mm], s, font)


def _blank(value) -> str:
    return "—" if value is None else str(value)


def _table(rows: list[list], widths: list[float], s: dict, font: str, *, total_row: bool = False):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    data = [[Paragraph(_escape(glyph_safe(str(cell), font)), s["cell"]) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dce6f1")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(GREY)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), font),  # a Table sets its own default font (Helvetica) before each cell
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if total_row:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f2f2f2")))
    table.setStyle(TableStyle(style))
    return table


def _note(text: str, s: dict, font: str):
    from reportlab.lib.units import mm

    return _table([["说明"], [text]], [166 * mm], s, font)


def _inspections_table(a: "MonthlyAnalysis", s: dict, font: str):
    from reportlab.lib.units import mm

    if not a.activity.inspections_by_sector:
        return _note("本月没有检查记录。", s, font)
    rows = [["行业", "检查次数"]] + [[sector, count] for sector, count in a.activity.inspections_by_sector.items()]
    return _table(rows, [120 * mm, 46 * mm], s, font)


def _sector_table(a: "MonthlyAnalysis", s: dict, font: str):
    from reportlab.lib.units import mm

    rows = [["行业", "发现·一般", "发现·重大", "发现合计", "销号·一般", "销号·重大", "销号合计"]]
    rows += [[x.sector, x.found_general, x.found_major, x.found, x.closed_general, x.closed_major, x.closed]
             for x in a.sectors]
    rows.append(["合计", sum(x.found_general for x in a.sectors), a.found_major, a.found,
                 sum(x.closed_general for x in a.sectors), a.closed_major, a.closed])
    return _table(rows, [46 * mm] + [20 * mm] * 6, s, font, total_row=True)


def _major_table(a: "MonthlyAnalysis", s: dict, font: str):
    from reportlab.lib.units import mm

    from inspector.core.reports.analysis_activity import MAJOR_LIST_LIMIT

    if not a.major_hazards:
        return _note("无。", s, font)
    rows = [["序号", "企业", "隐患", "发现日期", "整改期限", "月末状态" if a.complete else "当前状态"]]
    rows += [[n, h.enterprise, h.description + (f"（{h.supervision}）" if h.supervision else ""), _short_day(h.found),
              _short_day(h.deadline), h.status] for n, h in enumerate(a.major_hazards[:MAJOR_LIST_LIMIT], start=1)]
    if len(a.major_hazards) > MAJOR_LIST_LIMIT:
        rows.append(["", f"另有 {len(a.major_hazards) - MAJOR_LIST_LIMIT} 项，见隐患台账", "", "", "", ""])
    return _table(rows, [10 * mm, 32 * mm, 54 * mm, 23 * mm, 23 * mm, 24 * mm], s, font)  # a date on one line


def _items_table(a: "MonthlyAnalysis", s: dict, font: str):
    from reportlab.lib.units import mm

    if not a.top_items:
        return _note("本月没有检查表项目不合格的记录。", s, font)
    rows = [["序号", "检查项", "检查内容", "行业", "次数", "涉及企业"]]
    rows += [[n, i.item_id, i.text, short_sector(i.sector), i.count, i.enterprises]
             for n, i in enumerate(a.top_items, start=1)]
    return _table(rows, [10 * mm, 18 * mm, 86 * mm, 22 * mm, 12 * mm, 18 * mm], s, font)


def _repeats_table(a: "MonthlyAnalysis", s: dict, font: str):
    from reportlab.lib.units import mm

    if not a.repeats:
        return _note("本月没有隐患反复出现的企业。", s, font)
    rows = [["企业", "行业", "反复出现的检查项", "涉及检查次数"]]
    rows += [[r.name, short_sector(r.sector), "、".join(r.items), r.inspections] for r in a.repeats[:30]]
    return _table(rows, [66 * mm, 25 * mm, 55 * mm, 20 * mm], s, font)


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _short_day(value: date | None) -> str:
    return "—" if value is None else value.isoformat()
