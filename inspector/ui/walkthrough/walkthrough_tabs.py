"""Walk-throughs in the main window's tabs: one closable tab per inspection; the × stores pending edits first."""

from __future__ import annotations

from PySide6.QtWidgets import QTabBar, QTabWidget, QToolButton, QWidget

from inspector.ui.tasks import TaskRunner
from inspector.ui.walkthrough.walkthrough_view import WalkthroughView


def open_in_tabs(tabs: QTabWidget, services, inspection_id: str, tasks: TaskRunner | None = None,
                 close_tab=None) -> WalkthroughView:
    """Show the inspection's walk-through in its own closable tab (the existing one if open).

    ``close_tab(view)`` is called by the tab's ×; by default the tab closes once its edits are saved."""
    for index in range(tabs.count()):
        widget = tabs.widget(index)
        if isinstance(widget, WalkthroughView) and widget.inspection_id == inspection_id:
            tabs.setCurrentIndex(index)
            return widget
    view = WalkthroughView(services, inspection_id, tasks)
    name = view.state.enterprise_name
    index = tabs.addTab(view, name if len(name) <= 14 else name[:13] + "…")
    tabs.setTabToolTip(index, name)
    close = QToolButton(tabs)
    close.setText("×")
    close.setAutoRaise(True)
    close.setToolTip(view.tr("Close"))
    close.clicked.connect(lambda: (close_tab or close_when_saved)(view))
    tabs.tabBar().setTabButton(index, QTabBar.ButtonPosition.RightSide, close)
    tabs.setCurrentIndex(index)
    view.table.setFocus()
    return view


def close_when_saved(view: WalkthroughView) -> bool:
    """Close the view's tab after storing its pending edits; False (and the reason shown) when they were not."""
    problem = view.save_pending_edits()
    if problem:
        view._set_saved(problem, "#b71c1c")
        return False
    discard_tab(view)
    return True


def discard_tab(view: WalkthroughView) -> None:
    tabs = _tab_widget_of(view)
    if tabs is not None:
        tabs.removeTab(tabs.indexOf(view))
    view.deleteLater()


def _tab_widget_of(view: QWidget):
    parent = view.parentWidget()
    while parent is not None and not isinstance(parent, QTabWidget):
        parent = parent.parentWidget()
    return parent
