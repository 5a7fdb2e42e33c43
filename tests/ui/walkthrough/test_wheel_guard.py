"""The wheel guard on its own: an unfocused spin/date/combo box ignores the wheel, a focused one still takes it."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from inspector.ui.application import create_application
from inspector.ui.date_edit import DateEdit
from inspector.ui.wheel_guard import guard_wheel
from tests.ui.walkthrough.person import activated, wheel


def form(qtbot):
    create_application()
    widget = QWidget()
    layout = QVBoxLayout(widget)
    fields = {"text": QLineEdit(widget), "spin": QSpinBox(widget), "date": DateEdit(widget), "combo": QComboBox(widget)}
    fields["spin"].setValue(5)
    fields["date"].setDate(QDate(2027, 3, 1))
    fields["combo"].addItems(["一般隐患", "重大事故隐患"])
    for field in fields.values():
        layout.addWidget(field)
    qtbot.addWidget(widget)
    assert guard_wheel(widget) == 3
    widget.show()
    activated(qtbot, widget)
    return widget, fields


def values(fields):
    return fields["spin"].value(), fields["date"].date().toString("yyyy-MM-dd"), fields["combo"].currentIndex()


def test_unfocused_fields_ignore_the_wheel(qtbot):
    _widget, fields = form(qtbot)
    fields["text"].setFocus()
    for name in ("spin", "date", "combo"):
        wheel(fields[name], 3)
        wheel(fields[name], -1)
    assert values(fields) == (5, "2027-03-01", 0)
    assert fields["text"].hasFocus()  # the wheel did not take the focus either


def test_a_focused_field_still_takes_the_wheel(qtbot):
    _widget, fields = form(qtbot)
    fields["spin"].setFocus()
    wheel(fields["spin"], 2)
    assert fields["spin"].value() == 7
    fields["combo"].setFocus()
    wheel(fields["combo"], -1)
    assert fields["combo"].currentIndex() == 1
