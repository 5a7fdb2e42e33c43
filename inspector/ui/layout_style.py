"""The main window's central widget and toolbars are laid out without QMainWindow's animation.

Our toolbars do not move and there are no docks, yet QMainWindow animates every layout pass of its
central widget and toolbars (a ``QPropertyAnimation`` 0 ms long) unless their style's
``SH_Widget_Animation_Duration`` is 0. The animation's private timer passing an application-wide
Python event filter (the window fitter after the first frame; a benchmark's probe before it) makes
PySide6 create every lazily loaded Qt type: 170 enum classes, ~120 M instructions.

Two ways to say 0, each where it is cheaper:

- **until the first frame**, a style sheet (``widget-animation-duration: 0``, Qt's own C++): a Python
  ``QProxyStyle`` needs ``QStyle``'s Python type, whose eleven enums (570 members) cost 47 M
  instructions, ~8 ms — more than anything else the first frame waits for;
- **from the first frame on**, the proxy style (:func:`unanimated_style`): under a style sheet every
  widget of the tabs' views would be drawn by Qt's style-sheet style, ~10 % slower (measured on a
  3,000-row table: column sizing 191 → 209 ms, painting 73–87 → 87–90 ms).

The swap repolishes the tab widget's frame, its bar and the toolbars once; they draw the same pixels
under both (``tests/ui/test_first_frame.py`` compares the window before and after).
"""

from __future__ import annotations

UNANIMATED_SHEET = "QTabWidget, QToolBar { widget-animation-duration: 0; }"


class LayoutStyle:
    """Keeps the widgets given to :meth:`apply` unanimated: the style sheet until :meth:`first_frame_shown`,
    the proxy style after it."""

    def __init__(self):
        self.style = None  # the proxy style, once the first frame is on screen
        self._sheeted: list = []

    def apply(self, widget) -> None:
        if self.style is not None:
            widget.setStyle(self.style)
        elif widget not in self._sheeted:
            widget.setStyleSheet(UNANIMATED_SHEET)
            self._sheeted.append(widget)

    def first_frame_shown(self) -> None:
        self.style = unanimated_style()
        sheeted, self._sheeted = self._sheeted, []
        for widget in sheeted:
            widget.setStyleSheet("")
            widget.setStyle(self.style)


_STYLE_CLASS: list = []  # the proxy style's class, defined on first use (defining it creates QStyle's type)


def unanimated_style():
    """The application's style without layout animation (``SH_Widget_Animation_Duration`` = 0)."""
    if not _STYLE_CLASS:
        from PySide6.QtWidgets import QProxyStyle, QStyle

        animation_duration = QStyle.StyleHint.SH_Widget_Animation_Duration

        class Unanimated(QProxyStyle):
            def styleHint(self, hint, option=None, widget=None, data=None):  # noqa: N802 - Qt override
                if hint == animation_duration:
                    return 0
                return super().styleHint(hint, option, widget, data)

        _STYLE_CLASS.append(Unanimated)
    return _STYLE_CLASS[0]()
