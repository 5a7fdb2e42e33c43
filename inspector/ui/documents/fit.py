"""Window sizes that fit the screen (1366×768 and 1280×720 laptops): shrink, never grow."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FITS = QSize(1280, 720)  # the smallest laptop screen in the field survey, before the task bar


def fitting_size(widget: QWidget, width: int, height: int) -> QSize:
    """``width``×``height``, shrunk to 90 % of the screen's available area when that is smaller."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(width, height)
    area = screen.availableGeometry()
    return QSize(min(width, int(area.width() * 0.9)), min(height, int(area.height() * 0.9)))
