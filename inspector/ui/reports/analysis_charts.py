"""Two small charts painted with QPainter (no QtCharts): grouped bars and a line with markers."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

GRID = QColor("#e0e0e0")
AXIS = QColor("#616161")


def nice_step(maximum: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if maximum / step <= 5:
            return step
    return 20000


class _Chart(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(200)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(560, 260)

    def _frame(self, painter: QPainter, maximum: float, bottom_labels: int) -> tuple[QRectF, float, int]:
        """Draw title, grid and value axis; returns the plot rectangle, the value scale and the step."""
        metrics = QFontMetrics(self.font())
        step = nice_step(max(maximum, 1))
        top_value = step * (int(max(maximum, 1) // step) + 1)
        left = metrics.horizontalAdvance(str(top_value)) + 12
        plot = QRectF(left, metrics.height() * 1.8, self.width() - left - 12,
                      self.height() - metrics.height() * (1.8 + bottom_labels) - 10)
        painter.setPen(AXIS)
        painter.drawText(QRectF(0, 2, self.width(), metrics.height()), Qt.AlignmentFlag.AlignHCenter, self.title)
        scale = plot.height() / top_value
        for value in range(0, top_value + 1, step):
            y = plot.bottom() - value * scale
            painter.setPen(QPen(GRID if value else AXIS, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(AXIS)
            painter.drawText(QRectF(0, y - metrics.height() / 2, left - 6, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(value))
        return plot, scale, step


class BarChart(_Chart):
    """Grouped vertical bars: one group per category, one bar per series, with a legend."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.categories: list[str] = []
        self.series: list[tuple[str, QColor, list[int]]] = []

    def set_data(self, title: str, categories: list[str], series: list[tuple[str, QColor, list[int]]]) -> None:
        self.title, self.categories, self.series = title, list(categories), list(series)
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        if not self.categories:
            painter.setPen(AXIS)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.title)
            return
        maximum = max((v for _, _, values in self.series for v in values), default=0)
        plot, scale, _ = self._frame(painter, maximum, 2)
        metrics = QFontMetrics(self.font())
        group = plot.width() / len(self.categories)
        bar = min(36.0, group * 0.8 / max(1, len(self.series)))
        for index, name in enumerate(self.categories):
            x0 = plot.left() + index * group + (group - bar * len(self.series)) / 2
            for number, (_, colour, values) in enumerate(self.series):
                value = values[index]
                rect = QRectF(x0 + number * bar, plot.bottom() - value * scale, bar - 2, value * scale)
                painter.fillRect(rect, colour)
                painter.setPen(AXIS)
                painter.drawText(QRectF(rect.left() - 8, rect.top() - metrics.height(), bar + 14, metrics.height()),
                                 Qt.AlignmentFlag.AlignHCenter, str(value))
            label = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(group) - 2)
            painter.drawText(QRectF(plot.left() + index * group, plot.bottom() + 4, group, metrics.height() * 2),
                             Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap, label)
        self._legend(painter, metrics)
        painter.end()

    def _legend(self, painter: QPainter, metrics: QFontMetrics) -> None:
        x = self.width() - 12
        for name, colour, _ in reversed(self.series):
            width = metrics.horizontalAdvance(name)
            x -= width
            painter.setPen(AXIS)
            painter.drawText(QPointF(x, metrics.ascent() + 2), name)
            x -= 16
            painter.fillRect(QRectF(x, 4, 12, 10), colour)
            x -= 14


class LineChart(_Chart):
    """One series over labelled points (months), markers and values."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.labels: list[str] = []
        self.values: list[int] = []
        self.colour = QColor("#c62828")

    def set_data(self, title: str, labels: list[str], values: list[int], colour: QColor | None = None) -> None:
        self.title, self.labels, self.values = title, list(labels), list(values)
        self.colour = colour or self.colour
        self.update()

    def points(self) -> list[QPointF]:
        """Where the markers are drawn (for tests and for painting)."""
        if not self.values:
            return []
        metrics = QFontMetrics(self.font())
        step = nice_step(max(max(self.values), 1))
        top_value = step * (int(max(max(self.values), 1) // step) + 1)
        left = metrics.horizontalAdvance(str(top_value)) + 12
        top, bottom = metrics.height() * 1.8, self.height() - metrics.height() - 10
        width = self.width() - left - 12
        slot = width / len(self.values)
        scale = (bottom - top) / top_value
        return [QPointF(left + slot * (i + 0.5), bottom - v * scale) for i, v in enumerate(self.values)]

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        if not self.values:
            painter.end()
            return
        plot, _, _ = self._frame(painter, max(self.values), 1)
        metrics = QFontMetrics(self.font())
        points = self.points()
        painter.setPen(QPen(self.colour, 2))
        for a, b in zip(points, points[1:]):
            painter.drawLine(a, b)
        slot = plot.width() / len(points)
        for point, value, label in zip(points, self.values, self.labels):
            painter.setBrush(self.colour)
            painter.setPen(QPen(self.colour, 1))
            painter.drawEllipse(point, 4, 4)
            painter.setPen(AXIS)
            painter.drawText(QRectF(point.x() - 30, point.y() - metrics.height() - 6, 60, metrics.height()),
                             Qt.AlignmentFlag.AlignHCenter, str(value))
            painter.drawText(QRectF(point.x() - slot / 2, plot.bottom() + 4, slot, metrics.height()),
                             Qt.AlignmentFlag.AlignHCenter, label)
        painter.end()
