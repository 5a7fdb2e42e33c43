"""The two charts of the monthly analysis report, drawn with ``reportlab.graphics`` (vectors, the report's
embedded font on every label): sector bars (found / closed) and the overdue trend line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspector.core.reports.analysis import MonthlyAnalysis

BLUE, ORANGE, RED, GREY = "#1f4e79", "#e69138", "#c62828", "#9e9e9e"


def short_sector(name: str) -> str:
    """``燃气（餐饮/瓶装液化石油气）`` -> ``燃气``; ``冷库/涉氨制冷`` -> ``冷库``: fits under a bar."""
    return name.split("（")[0].split("/")[0][:8] or name[:8]


def bar_chart(a: "MonthlyAnalysis", font: str):
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    sectors = a.sectors[:10]
    drawing = _drawing(170 * mm, 78 * mm, font)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 14 * mm, 24 * mm, 150 * mm, 46 * mm
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
                        130 * mm, 77 * mm))
    return drawing


def line_chart(a: "MonthlyAnalysis", font: str):
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.widgets.markers import makeMarker
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    values = [count for _, count in a.overdue_trend]
    drawing = _drawing(170 * mm, 60 * mm, font)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 14 * mm, 12 * mm, 150 * mm, 42 * mm
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


def _drawing(width: float, height: float, font: str):
    """A Drawing whose initial graphics state names our font: by default ReportLab's renderer sets
    Helvetica first, which then sits unembedded in every page's resources."""
    from reportlab.graphics.shapes import Drawing

    return Drawing(width, height, initialFontName=font, initialFontSize=8)


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
