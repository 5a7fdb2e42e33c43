"""The monthly analysis as a PDF report (ReportLab): summary, tables and simple charts.

Fonts: the bundled WenQuanYi Micro Hei (TrueType, embedded as a subset), registered once
through :func:`inspector.core.documents.fonts.register_font`. Charts are
``reportlab.graphics`` bar and line charts. Images none, so the file stays small.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from inspector.errors import UserError

if TYPE_CHECKING:
    from inspector.core.reports.analysis import MonthlyAnalysis

FONT_FILE = "wqy-microhei.ttc"
BLUE, ORANGE, RED, GREY = "#1f4e79", "#e69138", "#c62828", "#9e9e9e"


def short_sector(name: str) -> str:
    """``燃气（餐饮/瓶装液化石油气）`` -> ``燃气``; ``冷库/涉氨制冷`` -> ``冷库``: fits under a bar."""
    return name.split("（")[0].split("/")[0][:8] or name[:8]


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def render_analysis_pdf(analysis: "MonthlyAnalysis", issuer: str = "兴国经济技术开发区") -> bytes:
    """The report as PDF bytes (A4 portrait)."""
    import io

    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    font = _font()
    styles = _styles(font)
    story = _story(analysis, issuer, styles, font)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                                 bottomMargin=18 * mm, title=f"隐患月度分析报告（{analysis.label}）", author=issuer,
                                 invariant=1)
    page = _page_footer(font, analysis.label)
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


def _styles(font: str) -> dict:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, alignment=TA_CENTER, textColor=GREY),
        "h": ParagraphStyle("h", parent=base, fontSize=13, leading=20, spaceBefore=10, spaceAfter=4),
        "body": ParagraphStyle("body", parent=base, firstLineIndent=21),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "caption": ParagraphStyle("caption", parent=base, fontSize=9, alignment=TA_CENTER, textColor=GREY),
    }


def _page_footer(font: str, label: str):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    def draw(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(GREY)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"隐患月度分析报告（{label}）　第 {document.page} 页")
        canvas.restoreState()

    return draw


def _story(a: "MonthlyAnalysis", issuer: str, s: dict, font: str) -> list:
    from reportlab.platypus import KeepTogether, Paragraph, Spacer

    p = lambda text, style="body": Paragraph(_escape(text), s[style])  # noqa: E731
    story = [p("安全生产隐患排查治理月度分析报告", "title"), p(f"（{a.label}）", "title"),
             p(f"{issuer}　　生成日期：{_day(a.generated_on)}　　数据来源：本机离线数据库", "subtitle"), Spacer(1, 8)]
    story += [p("一、总体情况", "h"), p(_summary(a))]
    story += [p("二、分行业隐患发现与销号", "h"), _sector_table(a, s)]
    if a.sectors:
        story += [Spacer(1, 6), _bar_chart(a, font), p("图1　分行业本月发现与销号隐患数", "caption")]
    story += [KeepTogether([p("三、逾期隐患趋势", "h"),
                            p("各月末仍未销号、未移交执法且已过整改期限的隐患数（按现行整改期限计）。"),
                            _line_chart(a, font), p(f"图2　近{len(a.overdue_trend)}个月月末逾期隐患数", "caption")])]
    story += [p("四、高频问题（本月不合格次数最多的检查项）", "h"), _items_table(a, s)]
    story += [p("五、隐患反复出现的企业", "h"),
              p("同一检查项在近12个月内两次及以上检查中均不合格、且本月再次出现的企业。"), _repeats_table(a, s)]
    story += [p("六、工作建议", "h")] + [p(text) for text in _advice(a)]
    return story


def _summary(a: "MonthlyAnalysis") -> str:
    trend = a.overdue_trend
    change = ""
    if len(trend) >= 2:
        delta = trend[-1][1] - trend[-2][1]
        change = "，与上月末持平" if delta == 0 else f"，较上月末{'增加' if delta > 0 else '减少'}{abs(delta)}项"
    return (f"本月共发现隐患{a.found}项，其中重大事故隐患{a.found_major}项；本月销号{a.closed}项，"
            f"其中重大事故隐患{a.closed_major}项。本月发现的隐患截至月末已销号{a.cohort_closed}项，整改率"
            f"{percent(a.rectification_rate)}；截至月末累计发现隐患{a.cumulative_found}项，累计整改率"
            f"{percent(a.cumulative_rate)}。月末逾期未整改隐患{trend[-1][1] if trend else 0}项{change}。")


def _advice(a: "MonthlyAnalysis") -> list[str]:
    lines = []
    trend = a.overdue_trend
    if trend and trend[-1][1]:
        lines.append(f"对月末逾期的{trend[-1][1]}项隐患逐项开展复查，拒不整改或整改不到位的依法移交执法。")
    if a.sectors and a.sectors[0].found:
        lines.append(f"本月{a.sectors[0].sector}行业发现隐患最多（{a.sectors[0].found}项），建议列为下月专项检查重点。")
    if a.top_items:
        top = a.top_items[0]
        lines.append(f"检查项 {top.item_id}（{top.text[:40]}）本月不合格{top.count}次，建议开展针对性宣传和指导。")
    if a.repeats:
        lines.append(f"{len(a.repeats)}家企业隐患反复出现，建议约谈企业主要负责人，督促建立隐患排查治理长效机制。")
    return lines or ["本月未发现需要特别关注的情况。"]


def _table(rows: list[list], widths: list[float], s: dict, *, total_row: bool = False):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    data = [[Paragraph(_escape(str(cell)), s["cell"]) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dce6f1")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(GREY)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if total_row:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f2f2f2")))
    table.setStyle(TableStyle(style))
    return table


def _sector_table(a: "MonthlyAnalysis", s: dict):
    from reportlab.lib.units import mm

    rows = [["行业", "发现·一般", "发现·重大", "发现合计", "销号·一般", "销号·重大", "销号合计"]]
    rows += [[x.sector, x.found_general, x.found_major, x.found, x.closed_general, x.closed_major, x.closed]
             for x in a.sectors]
    rows.append(["合计", sum(x.found_general for x in a.sectors), a.found_major, a.found,
                 sum(x.closed_general for x in a.sectors), a.closed_major, a.closed])
    return _table(rows, [50 * mm] + [20 * mm] * 6, s, total_row=True)


def _items_table(a: "MonthlyAnalysis", s: dict):
    from reportlab.lib.units import mm

    if not a.top_items:
        return _table([["说明"], ["本月没有检查表项目不合格的记录。"]], [170 * mm], s)
    rows = [["序号", "检查项", "检查内容", "行业", "次数", "涉及企业"]]
    rows += [[n, i.item_id, i.text, short_sector(i.sector), i.count, i.enterprises]
             for n, i in enumerate(a.top_items, start=1)]
    return _table(rows, [10 * mm, 18 * mm, 90 * mm, 22 * mm, 12 * mm, 18 * mm], s)


def _repeats_table(a: "MonthlyAnalysis", s: dict):
    from reportlab.lib.units import mm

    if not a.repeats:
        return _table([["说明"], ["本月没有隐患反复出现的企业。"]], [170 * mm], s)
    rows = [["企业", "行业", "反复出现的检查项", "涉及检查次数"]]
    rows += [[r.name, short_sector(r.sector), "、".join(r.items), r.inspections] for r in a.repeats[:30]]
    return _table(rows, [70 * mm, 25 * mm, 55 * mm, 20 * mm], s)


def _bar_chart(a: "MonthlyAnalysis", font: str):
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    sectors = a.sectors[:10]
    drawing = Drawing(170 * mm, 70 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 14 * mm, 16 * mm, 150 * mm, 46 * mm
    chart.data = [[x.found for x in sectors], [x.closed for x in sectors]]
    chart.categoryAxis.categoryNames = [short_sector(x.sector) for x in sectors]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = font, 7.5
    chart.categoryAxis.labels.angle, chart.categoryAxis.labels.dy = 20, -4
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = font, 7.5
    chart.valueAxis.valueMin = 0
    top = max([x.found for x in sectors] + [x.closed for x in sectors] + [1])
    chart.valueAxis.valueStep = _step(top)
    chart.valueAxis.valueMax = chart.valueAxis.valueStep * (top // chart.valueAxis.valueStep + 1)
    chart.bars[0].fillColor, chart.bars[1].fillColor = colors.HexColor(BLUE), colors.HexColor(ORANGE)
    chart.barLabels.fontName, chart.barLabels.fontSize = font, 6.5
    chart.barLabelFormat = "%d"
    chart.barLabels.nudge = 5
    drawing.add(chart)
    drawing.add(_legend(Legend, font, [(colors.HexColor(BLUE), "本月发现"), (colors.HexColor(ORANGE), "本月销号")],
                        130 * mm, 68 * mm))
    return drawing


def _line_chart(a: "MonthlyAnalysis", font: str):
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.graphics.widgets.markers import makeMarker
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    values = [count for _, count in a.overdue_trend]
    drawing = Drawing(170 * mm, 55 * mm)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 14 * mm, 10 * mm, 150 * mm, 40 * mm
    chart.data = [values]
    chart.categoryAxis.categoryNames = [f"{m.year}年{m.month}月" for m, _ in a.overdue_trend]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = font, 7.5
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = font, 7.5
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = _step(max(values + [1]))
    chart.valueAxis.valueMax = chart.valueAxis.valueStep * (max(values + [1]) // chart.valueAxis.valueStep + 1)
    chart.lines[0].strokeColor, chart.lines[0].strokeWidth = colors.HexColor(RED), 1.6
    chart.lines[0].symbol = makeMarker("FilledCircle", size=4, fillColor=colors.HexColor(RED))
    chart.lineLabelFormat = "%d"
    chart.lineLabels.fontName, chart.lineLabels.fontSize, chart.lineLabels.dy = font, 7, 6
    drawing.add(chart)
    return drawing


def _legend(legend_class, font: str, pairs: list, x: float, y: float):
    legend = legend_class()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = font, 8
    legend.alignment, legend.columnMaximum, legend.deltax = "right", 1, 50
    legend.colorNamePairs = pairs
    legend.boxAnchor = "nw"
    return legend


def _step(maximum: int) -> int:
    """A round axis step giving about five grid lines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if maximum / step <= 6:
            return step
    return 10_000


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"
