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


def write_settings(path, text: str) -> None:
    """Off the GUI thread: the settings as ``text`` (JSON) to ``path``, as :meth:`Settings.save` writes them
    (temp + fsync + rename). A data folder that is gone meanwhile is not made again."""
    import json
    from pathlib import Path

    from inspector.settings import Settings

    if Path(path).parent.is_dir():
        Settings(path, json.loads(text)).save()


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
        self._kinds: tuple | None = None  # the four event types it acts on, looked up at the first event
        self._writes = None  # the TaskRunner writing dialogs' geometry, made at the first write
        self._unsaved = False  # a background write happened since the last write on the GUI thread

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        # every event of the application passes here (~2,300 for a hazard window's construction and first
        # show); it acts only on events of top-level windows (an Esc a child did not use reaches its window
        # too), so the others leave after two C++ calls, before type(): its Python enum costs more
        if not watched.isWidgetType() or not watched.isWindow():
            return False
        kind, kinds = event.type(), self._kinds
        if kinds is None:
            kinds = self._kinds = (QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.Close, QEvent.Type.KeyPress)
        if kind is not kinds[0] and kind is not kinds[1] and kind is not kinds[2] and kind is not kinds[3]:
            return False
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
        main = isinstance(widget, QMainWindow)
        if main:  # the app is ending: what is on its way first, then the file as the settings are now
            self._write_now()
        encoded = bytes(widget.saveGeometry().toBase64()).decode("ascii")
        saved = dict(self._saved())
        if saved.get(window_name(widget)) == encoded:
            return
        saved[window_name(widget)] = encoded
        if main:
            try:
                self.settings.set(GEOMETRY_KEY, saved)
            except OSError:
                pass  # a read-only data folder costs the remembered size, nothing else
        else:
            self._store_in_background(saved)

    def _write_now(self) -> None:
        """Waits for the background writes, then writes the settings once more on this thread if there were
        any: the check after each write (for a setting saved meanwhile) comes from the event loop, which
        is ending."""
        if self._writes is None or not self._unsaved:
            return
        self._writes.wait()
        self._unsaved = False
        try:
            self.settings.save()
        except OSError:
            pass

    def _store_in_background(self, saved: dict) -> None:
        """A dialog's geometry: in memory now (the next show restores it), on disk from a background task.
        The write ends in an fsync (~10 ms), which on the GUI thread fell into the next window's opening.
        One writer thread keeps the writes in order; a settings change made on the GUI thread while a
        write was on its way (which that write may have overtaken on disk) is written again."""
        import json

        settings = self.settings
        settings._values[GEOMETRY_KEY] = saved  # Settings.set without its save (the file: below)
        self._unsaved = True
        text = json.dumps(settings._values, ensure_ascii=False)

        def written(_=None) -> None:
            if json.dumps(settings._values, ensure_ascii=False) != text:
                self._store_in_background(settings.get(GEOMETRY_KEY) or {})

        self._writer().submit(write_settings, settings.path, text, on_done=written, on_error=lambda _error: None)

    def _writer(self):
        if self._writes is None:
            from inspector.ui.tasks import TaskRunner

            self._writes = TaskRunner(self, max_threads=1)
        return self._writes

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


class fitter_paused:  # noqa: N801 - used as a context manager, like contextlib's
    """``with fitter_paused(): view = View(...)``: the fitter does not see the events of a view's
    construction (~700 for a hazard window). It acts on none of them (a constructor shows, closes and
    types nothing), and PySide6 calling a Python filter costs ~30,000 instructions an event, mostly
    wrapping each new child widget and event: more than building the view itself. Nested pauses end with
    the outermost."""

    depth = 0

    def __enter__(self) -> None:
        app = QApplication.instance()
        fitter = getattr(app, "_inspector_fitter", None)
        self._fitter = fitter if fitter is not None and getattr(fitter, "_installed", False) else None
        if self._fitter is not None:
            if fitter_paused.depth == 0:
                app.removeEventFilter(fitter)
            fitter_paused.depth += 1

    def __exit__(self, *_exc) -> None:
        if self._fitter is not None:
            fitter_paused.depth -= 1
            if fitter_paused.depth == 0:
                QApplication.instance().installEventFilter(self._fitter)


def install_window_fitter(app: QApplication, settings=None) -> WindowFitter:
    """One fitter per application, filtering every event; a new main window hands it its settings."""
    fitter = window_fitter(app, settings)
    if not getattr(fitter, "_installed", False):
        app.installEventFilter(fitter)
        fitter._installed = True
    return fitter
