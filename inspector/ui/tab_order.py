"""Tab goes through a form's fields in the order the form shows them.

Qt's default tab order is the order the widgets were created, not where they stand: the
enterprise form made its 行业 box after the line edits, so Tab from 地址 went to 法定代表人 and a
person typing field after field put the sector into 法定代表人 and every later value one row down
(the office connection form, likewise, went from 服务器 to 数据库 and reached 端口 last).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLayout, QLayoutItem, QWidget


def follow_rows(form: QFormLayout) -> list[QWidget]:
    """Chain the tab order of ``form``'s fields row by row (a row's own layout left to right)."""
    fields: list[QWidget] = []
    for row in range(form.rowCount()):
        fields += _tab_widgets(form.itemAt(row, QFormLayout.ItemRole.FieldRole))
    for before, after in zip(fields, fields[1:]):
        QWidget.setTabOrder(before, after)
    return fields


def _tab_widgets(item: QLayoutItem | None) -> list[QWidget]:
    if item is None:
        return []
    widget, layout = item.widget(), item.layout()
    if widget is not None:
        return [widget] if widget.focusPolicy() & Qt.FocusPolicy.TabFocus else []
    if isinstance(layout, QLayout):
        return [found for index in range(layout.count()) for found in _tab_widgets(layout.itemAt(index))]
    return []
