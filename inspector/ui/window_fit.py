"""Windows fit the screen: one application-wide event filter (:class:`WindowFitter`) gives every top-level
window and dialog its remembered geometry back when it is shown (saved per ``objectName`` in the
settings), then clamps it to the available screen area, so no button ends up below a 1280×720
screen's edge; Esc closes a plain top-level window the way it already closes a dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget

GEOMETRY_KEY = "window_geometry"  # settings: {objectName: base64 of QWidget.saveGeometry()}


def available_rect(widget: QWidget) -> QRect:
    """The usable area (without panels) of the screen the widget is on, or of the primary screen."""
    parent = widget.parentWidget()
    screen = (parent.window().screen() if parent is not None else None) or widget.screen() \
        or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(widget: QWidget) -> None:
    """Shrink and move ``widget`` (a top-level window) so its frame lies inside the available area."""
    area = available_rect(widget)
    frame = widget.frameGeometry()
    extra_w, extra_h = frame.width() - widget.width(), frame.height() - widget.height()
    width = min(widget.width(), area.width() - extra_w)
    height = min(widget.height(), area.height() - extra_h)
    if (width, height) != (widget.width(), widget.height()):
        QWidget.resize(widget, max(width, 1), max(height, 1))  # QWidget's own: a view may define move()/resize()
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.left()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        QWidget.move(widget, max(x, area.left()), max(y, area.top()))


def _is_window(widget) -> bool:
    if not isinstance(widget, QWidget) or not widget.isWindow():
        return False
    if isinstance(widget, QMainWindow) and widget.parent() is None:
        return True  # the main window, shown before its first frame: asking its windowType() would create
        # the Qt namespace's ~95 enum classes then (14 ms of start-up)
    from PySide6.QtCore import Qt

    kind = widget.windowType()
    return kind in (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet)


def _remembers_geometry(widget: QWidget) -> bool:
    """Our own windows and dialogs; Qt's message boxes and file dialogs size themselves."""
    return type(widget).__module__.startswith("inspector.")


def window_name(widget: QWidget) -> str:
    if not widget.objectName():
        widget.setObjectName(type(widget).__name__)
    return widget.objectName()


def _is_plain_escape(event) -> bool:
    from PySide6.QtCore import Qt

    return event.key() == Qt.Key.Key_Escape and not event.modifiers()


class WindowFitter(QObject):
    """Application event filter: restore, clamp and remember the geometry of top-level windows."""

    def __init__(self, settings=None, parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings
        self._restored: set[int] = set()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        try:
            return self._filter(watched, event)
        except Exception:  # noqa: BLE001 - an exception escaping an event filter crashes PySide6 6.12
            import traceback

            traceback.print_exc()
            return False

    def _filter(self, watched, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show and _is_window(watched):
            self._shown(watched)
        elif kind in (QEvent.Type.Close, QEvent.Type.Hide) and _is_window(watched):
            self.remember(watched)
        elif kind == QEvent.Type.KeyPress and _is_plain_escape(event):
            return self._escape(watched)
        return False

    def _shown(self, widget: QWidget) -> None:
        if id(widget) not in self._restored and _remembers_geometry(widget):
            self._restored.add(id(widget))
            widget.destroyed.connect(lambda _=None, key=id(widget): self._restored.discard(key))
            self.restore(widget)
        if not widget.isMaximized() and not widget.isFullScreen():
            fit_to_screen(widget)

    def restore(self, widget: QWidget) -> bool:
        saved = self._saved().get(window_name(widget))
        if not saved or not isinstance(saved, str):
            return False
        return widget.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))

    def remember(self, widget: QWidget) -> None:
        if self.settings is None or not _remembers_geometry(widget) or id(widget) not in self._restored:
            return
        encoded = bytes(widget.saveGeometry().toBase64()).decode("ascii")
        saved = dict(self._saved())
        if saved.get(window_name(widget)) == encoded:
            return
        saved[window_name(widget)] = encoded
        try:
            self.settings.set(GEOMETRY_KEY, saved)
        except OSError:
            pass  # a read-only data folder costs the remembered size, nothing else

    def _saved(self) -> dict:
        if self.settings is None:
            return {}
        saved = self.settings.get(GEOMETRY_KEY) or {}
        return saved if isinstance(saved, dict) else {}

    def _escape(self, watched) -> bool:
        """Esc that reached a plain top-level window (no child used it): close that window.
        Dialogs close themselves on Esc; the main window stays."""
        if not _is_window(watched) or isinstance(watched, (QDialog, QMainWindow)):
            return False
        watched.close()
        return True


def window_fitter(app: QApplication, settings=None) -> WindowFitter:
    """The application's one fitter (made now if there is none), with a new main window's settings;
    :func:`install_window_fitter` makes it watch every window."""
    fitter = getattr(app, "_inspector_fitter", None)
    if fitter is None:
        fitter = WindowFitter(settings, app)
        app._inspector_fitter = fitter
    fitter.settings = settings
    return fitter


def install_window_fitter(app: QApplication, settings=None) -> WindowFitter:
    """One fitter per application, filtering every event; a new main window hands it its settings."""
    fitter = window_fitter(app, settings)
    if not getattr(fitter, "_installed", False):
        app.installEventFilter(fitter)
        fitter._installed = True
    return fitter
