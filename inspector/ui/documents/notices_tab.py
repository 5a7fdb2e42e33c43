"""Plugs the 文书 feature into the main window: the tab (its :class:`NoticesView` built when first
shown or first needed), a 文书 menu with the settings dialog, and 生成文书 on the inspections list and
in every walk-through. Importing this module does not import the view (start-up stays fast)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMenu


def install_notices(window):
    """Add the tab and the menu; returns the tab's page (``page.content()`` is the NoticesView)."""
    page = window.tabs.add_lazy(lambda parent: _make_view(window, parent),
                                QCoreApplication.translate("NoticesView", "Documents"))
    menu = QMenu(QCoreApplication.translate("NoticesView", "&Documents"), window)
    menus = window.menuBar().actions()
    if menus:  # before the Help menu, which stays last
        window.menuBar().insertMenu(menus[-1], menu)
    else:
        window.menuBar().addMenu(menu)
    menu.addAction(QCoreApplication.translate("NoticesView", "Generate document for the current inspection…"),
                   lambda: _generate(window))
    menu.addAction(QCoreApplication.translate("NoticesView", "Numbers and document settings…"),
                   lambda: window.notices.open_settings())
    window.data_loaded.connect(lambda: page.built and page.content().refresh())
    window._inspections_page.when_built(lambda inspections: _connect_requests(window, inspections))
    window.tabs.currentChanged.connect(lambda _index: _connect_requests(window, window.tabs.currentWidget()))
    return page


def _make_view(window, parent):
    from inspector.ui.documents.notices_view import NoticesView

    view = NoticesView(window.services, parent, tasks=window.tasks)
    if window.has_data:
        view.refresh()
    return view


def _connect_requests(window, widget) -> None:
    """A view's 生成文书 (its ``document_requested`` signal: the inspections list, a walk-through) opens the draft."""
    signal = getattr(widget, "document_requested", None)
    if signal is not None and not getattr(widget, "_documents_connected", False):
        signal.connect(lambda inspection_id: window.notices.open_inspection(inspection_id))
        widget._documents_connected = True


def current_inspection_id(window) -> str | None:
    """The inspection open in the current tab (a walk-through), else the one selected in 检查记录."""
    widget = window.tabs.currentWidget()
    inspections = window._inspections_page.built_content()
    if getattr(widget, "inspection_id", None) and widget is not inspections:
        return widget.inspection_id
    return inspections.selected_id() if inspections is not None else None


def _generate(window) -> None:
    inspection_id = current_inspection_id(window)
    view = window.notices
    if inspection_id:
        view.open_inspection(inspection_id)
    else:
        view.dialogs.info(window, QCoreApplication.translate("NoticesView", "Generate document"),
                          QCoreApplication.translate("NoticesView", "Open an inspection, or select one in "
                                                     "Inspections, first."))
