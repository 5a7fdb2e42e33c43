"""Start the Qt application: translations, fonts, the database, the main window (which fits the
screen through :mod:`inspector.ui.window_fit`)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from inspector.paths import resources_dir
from inspector.ui.i18n import install_translators
from inspector.ui.window_fit import available_rect, fit_to_screen, install_window_fitter, window_fitter

BUNDLED_FONT = "fonts/wqy-microhei.ttc"
APP_ID = "inspector"  # desktop file resources/inspector.desktop, Wayland app id, X11 WM_CLASS instance
ICON = "icons/inspector.png"


def ensure_cjk_font() -> None:
    """Use the bundled CJK font when the system has none (else every Chinese glyph is a box)."""
    if QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        return
    path = resources_dir() / BUNDLED_FONT
    font_id = QFontDatabase.addApplicationFont(str(path)) if path.exists() else -1
    if font_id >= 0:
        families = QFontDatabase.applicationFontFamilies(font_id)
        if families:
            from PySide6.QtGui import QFont  # only here: its Python type (enums) costs ~7 M instructions

            QApplication.setFont(QFont(families[0], QApplication.font().pointSize()))


def use_plain_imports() -> None:
    """Python's own ``__import__`` again instead of PySide6's ``__feature__`` hook.

    PySide6 replaces ``builtins.__import__`` so that ``from __feature__ import snake_case`` works; the hook
    runs two Python functions for every import statement executed afterwards and reads the source file of
    every module imported for the first time (``shibokensupport.feature._mod_uses_pyside``): ~9 M
    instructions from here to the window's first frame (docs/startup-and-scale.md). The app selects no feature
    (``tests/ui/test_start_path.py`` checks that no module imports ``__feature__``), and without one
    PySide6 behaves the same whether the hook ran or not."""
    import builtins

    original = getattr(builtins, "__orig_import__", None)
    if original is not None and builtins.__import__ is getattr(builtins, "__feature_import__", None):
        builtins.__import__ = original  # only PySide6's own hook: never another wrapper installed after it


def create_application(argv: list[str] | None = None) -> QApplication:
    from inspector.ui.binding_guard import keep_none_alive

    use_plain_imports()
    keep_none_alive()  # before any Qt call: PySide6 6.12.0 leaks references to None (binding_guard)
    args = list(argv if argv is not None else sys.argv[:1]) or [APP_ID]
    args[0] = APP_ID  # X11 WM_CLASS comes from argv[0]: "__main__.py" under python -m
    app = QApplication.instance() or QApplication(args)
    if app.property("inspector_ready"):
        return app
    app.setApplicationName("Inspector")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(resources_dir() / ICON)))
    app.setOrganizationName("XingguoETDZ")
    install_translators(app)
    ensure_cjk_font()
    collect_garbage_on_the_gui_thread(app)
    app.setProperty("inspector_ready", True)
    return app


GC_INTERVAL_MS = 100  # short: a worker allocating fast would leave the GUI thread a big young generation to traverse


def collect_garbage_on_the_gui_thread(app: QApplication) -> None:
    """Python's cyclic garbage collector runs in whichever thread allocates at that moment; when a
    background task's thread collects a cycle holding a Qt widget, Qt deletes the widget off the GUI
    thread and the process crashes (seen: a segfault while a worker loaded inspectors). So automatic
    collection is switched off and the GUI thread collects on a timer, generation by generation
    (:class:`GuiThreadCollector`)."""
    import gc

    gc.disable()
    collector = GuiThreadCollector()
    timer = QTimer(app)
    timer.setInterval(GC_INTERVAL_MS)
    timer.timeout.connect(collector.collect)
    timer.start()
    app._inspector_gc_timer = timer
    app._inspector_gc = collector


FULL_CHECK_SECONDS = 10  # how often a full collection that was not due is asked about again
BUSY_YOUNG_LIMIT = 1_000_000  # while a task runs, generation 0 waits until this many objects (bounded memory)


class GuiThreadCollector:
    """CPython's own schedule, run from the GUI thread: generation 0, 1 or 2 when its count is over the
    threshold, and a full collection only once the objects that reached the oldest generation since
    the last one are a quarter of those it kept (else a large heap — a county's 100,000 inspections,
    SQLAlchemy's classes — is traversed every few seconds: stalls of 0.1–3 s at 10,000 inspections).
    :func:`freeze_start_up_objects` takes what start-up loaded out of every later collection.

    While a background task runs, its live rows (a county's versions, a list being built) sit in the
    young generations: traversing them frees nothing and stalled the window 0.1–0.2 s per collection
    at 10,000 inspections, up to 1.5 s at 100,000. So nothing is collected then unless generation 0
    holds a million objects; once the task has finished, its rows are gone (freed by reference
    counting, which also lowers the generation's count) and the collection that follows is cheap."""

    def __init__(self):
        self.long_lived = 0  # objects in the oldest generation after the last full collection
        self._next_full_check = 0.0  # time.monotonic() before which a full collection is not asked about

    def collect(self) -> None:
        import gc

        from inspector.ui.tasks import tasks_running

        counts, thresholds = gc.get_count(), gc.get_threshold()
        if tasks_running() and counts[1] <= thresholds[1] and counts[2] <= thresholds[2]:
            if counts[0] > BUSY_YOUNG_LIMIT:  # bounded memory if the task makes cyclic garbage
                gc.collect(0)
            return
        if counts[1] > thresholds[1] or counts[2] > thresholds[2]:
            if counts[2] > thresholds[2] and self._full_due():
                gc.collect(2)
                self.long_lived = len(gc.get_objects(2))
            else:
                gc.collect(1)
        elif counts[0] > thresholds[0]:
            gc.collect(0)

    def _full_due(self) -> bool:
        """Asked at most every ``FULL_CHECK_SECONDS``: counting the oldest generation lists the whole heap,
        and while its count stays over the threshold (the heap grew by less than a quarter) every tick asked."""
        import gc
        import time

        now = time.monotonic()
        if now < self._next_full_check:
            return False
        self._next_full_check = now + FULL_CHECK_SECONDS
        return len(gc.get_objects(2)) - self.long_lived > self.long_lived // 4


def freeze_start_up_objects() -> None:
    """Once the window's data has loaded: modules, classes and views made at start-up stay for the whole
    session, so the collector stops traversing them (``gc.freeze``; they are still freed by reference
    counting when released)."""
    import gc

    gc.freeze()


def ask_about_copied_data(services, parent=None) -> None:
    """A data folder copied or moved here: one question before the database opens (a copy gets a new device id)."""
    if not services.paths.database.is_file() or services.copied_data() is None:  # a new folder: nothing to ask
        return
    from PySide6.QtWidgets import QMessageBox  # only now: its enum classes cost start-up time

    box = QMessageBox(QMessageBox.Icon.Question, QCoreApplication.translate("Application", "Data folder copied?"),
                      QCoreApplication.translate(
                          "Application", "This data folder comes from another place or computer: if it is a copy, "
                          "this computer gets a new device id and needs new number blocks from the office, because "
                          "the old blocks stay with the original computer."), parent=parent)
    copy = box.addButton(QCoreApplication.translate("Application", "It is a copy: new device id"),
                         QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QCoreApplication.translate("Application", "I only moved it: keep the id"),
                  QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(copy)
    box.setEscapeButton(copy)  # closing the question never leaves two computers with one id
    box.exec()
    services.keep_moved_device = box.clickedButton() is not copy and box.clickedButton() is not None


# --- start ----------------------------------------------------------------------------------

def open_main_window(services, offer_first_run: bool = False):
    """Build the window at once; the database opens in the background once the first frame is on
    screen (a damaged or foreign file is refused there with a clear message and the window closes).
    ``offer_first_run``: a new installation gets the first-run setup once its data is loaded (the app
    does; tests choose)."""
    from inspector.ui.main_window import MainWindow

    from inspector.ui import file_dialogs

    app = QApplication.instance()
    window_fitter(app, services.settings)
    file_dialogs.use_settings(services.settings)  # each file dialog opens where the last one of its kind did
    window = MainWindow(services, offer_first_run=offer_first_run)
    window.after_first_frame(window.refresh)
    # every event passes an application-wide Python filter: from the first frame and the current tab's
    # view on, not for the thousands their construction and first layout send (show_main_window fits the
    # window itself)
    window.after_first_frame(lambda: install_window_fitter(app, services.settings), last=True)
    _freeze_after_first_load(window)
    return window


def _freeze_after_first_load(window) -> None:
    def loaded() -> None:
        window.data_loaded.disconnect(loaded)
        freeze_start_up_objects()

    window.data_loaded.connect(loaded)


def show_main_window(window) -> None:
    """Remembered geometry if there is one, else maximised (a laptop screen is small)."""
    fitter = window_fitter(QApplication.instance(), window.services.settings)
    if fitter.restore(window):
        fitter._restored.add(id(window))
        if window.isMaximized():
            window.setGeometry(available_rect(window))  # where no window manager maximises
        window.show()
        if not window.isMaximized() and not window.isFullScreen():
            fit_to_screen(window)  # what the fitter does on Show, before it filters (after the first frame)
    else:
        window.setGeometry(available_rect(window))  # where no window manager maximises
        window.showMaximized()


def run(services) -> int:
    app = create_application()
    ask_about_copied_data(services)
    window = open_main_window(services, offer_first_run=True)
    failed: list[str] = []
    window.data_unavailable.connect(failed.append)
    show_main_window(window)
    status = app.exec()
    return 3 if failed else status
