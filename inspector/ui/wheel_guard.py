"""The mouse wheel scrolls the form, it does not change a value the user is not editing.

Qt's spin boxes, date edits and combo boxes change their value when the wheel turns over them,
even without focus: scrolling a long form moved a 整改期限 from 2027 to 2032. After
``guard_wheel(form)`` such a field reacts to the wheel only while it has keyboard focus (the user
clicked or tabbed into it); otherwise the wheel event goes on to the scroll area behind it.

Use it on any form: ``guard_wheel(self)`` at the end of ``__init__`` (it covers the fields that
exist then), or ``guard_wheel(widget)`` for a single field created later.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget

GUARDED_TYPES = (QAbstractSpinBox, QComboBox)


class WheelGuard(QObject):
    """Event filter: a wheel event over an unfocused guarded field is left to the field's parents."""

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not _focused(watched):
            event.ignore()  # a real (spontaneous) wheel event then propagates to the scroll area
            return True
        return False


def _focused(widget: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))


def _guard() -> WheelGuard:
    app = QApplication.instance()
    guard = app.findChild(WheelGuard, "wheel-guard")
    if guard is None:
        guard = WheelGuard(app)
        guard.setObjectName("wheel-guard")
    return guard


def guard_wheel(root: QWidget) -> int:
    """Guard ``root`` (if it is such a field) and every spin, date and combo box inside it; how many."""
    guard = _guard()
    widgets = [root] if isinstance(root, GUARDED_TYPES) else []
    widgets += [child for child in root.findChildren(QWidget) if isinstance(child, GUARDED_TYPES)]
    for widget in widgets:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel no longer gives focus (WheelFocus)
        widget.removeEventFilter(guard)
        widget.installEventFilter(guard)
    return len(widgets)
