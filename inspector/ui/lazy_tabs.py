"""Tabs whose page is built when it is first shown, so the main window's first frame costs only its frame.

:class:`LazyTabWidget` holds a light :class:`LazyPage` per lazy tab (the title is there at once); the
page calls its factory the first time the tab becomes current or someone asks for :meth:`LazyPage.content`,
and lays the built view over its whole area. The tab widget answers with the built view where Qt would
answer with the page (``widget``, ``currentWidget``, ``indexOf``, ``setCurrentWidget``), so the features'
code keeps comparing and selecting their own views. Tabs added with ``addTab`` (walk-throughs) are plain.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget


class LazyPage(QWidget):
    """One tab's place: empty until :meth:`content` builds the view with ``factory(self)``."""

    def __init__(self, factory: Callable[[QWidget], QWidget], parent: QWidget | None = None):
        super().__init__(parent)
        self._factory = factory
        self._content: QWidget | None = None
        self._when_built: list[Callable[[QWidget], None]] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._content is not None

    def built_content(self) -> QWidget | None:
        """The view if it has been built, else None (never builds)."""
        return self._content

    def content(self) -> QWidget:
        """The view, built now if it was not yet; callbacks waiting for it run once, in order."""
        if self._content is None:
            from inspector.ui.window_fit import fitter_paused

            with fitter_paused():  # the window fitter has nothing to do with a view's construction
                self._content = self._factory(self)
            self._layout.addWidget(self._content)
            self._content.lower()  # an overlay on the page (the start page) stays on top
            _size_combos_by_their_contents(self._content)
            waiting, self._when_built = self._when_built, []
            for callback in waiting:
                callback(self._content)
        return self._content

    def when_built(self, callback: Callable[[QWidget], None]) -> None:
        """``callback(view)`` now if the view exists, else right after it is built."""
        if self._content is not None:
            callback(self._content)
        else:
            self._when_built.append(callback)


def _size_combos_by_their_contents(view: QWidget) -> None:
    """A combo box sizes itself to its items when first shown. Built at start-up, a view was first shown
    after its data had arrived; built when its tab is opened, it is shown before: its combo boxes follow
    their items instead (else 「2026年12月」 shows as 「2026年1…」)."""
    from PySide6.QtWidgets import QComboBox

    first_show = QComboBox.SizeAdjustPolicy.AdjustToContentsOnFirstShow
    for combo in view.findChildren(QComboBox):
        if combo.sizeAdjustPolicy() == first_show:
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)


class LazyTabWidget(QTabWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.building_enabled = False  # the window switches it on after its first frame
        self.currentChanged.connect(self._build_current)  # first in line: later slots see the built view

    def add_lazy(self, factory: Callable[[QWidget], QWidget], title: str, index: int | None = None) -> LazyPage:
        page = LazyPage(factory, self)
        if index is None:
            self.addTab(page, title)
        else:
            self.insertTab(index, page, title)
        return page

    def build_current(self) -> None:
        """From now on the current tab is built as soon as it is shown (called after the first frame)."""
        self.building_enabled = True
        self._build_current(self.currentIndex())

    def _build_current(self, index: int) -> None:
        page = super().widget(index)
        if self.building_enabled and isinstance(page, LazyPage):
            page.content()

    # --- the built view stands for its page ----------------------------------------------------

    def widget(self, index: int) -> QWidget | None:
        page = super().widget(index)
        if isinstance(page, LazyPage) and page.built:
            return page.built_content()
        return page

    def currentWidget(self) -> QWidget | None:  # noqa: N802 - Qt API
        return self.widget(self.currentIndex())

    def indexOf(self, widget: QWidget) -> int:  # noqa: N802 - Qt API
        index = super().indexOf(widget)
        if index < 0 and widget is not None and isinstance(widget.parentWidget(), LazyPage):
            index = super().indexOf(widget.parentWidget())
        return index

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt API
        index = self.indexOf(widget)
        if index >= 0:
            self.setCurrentIndex(index)
