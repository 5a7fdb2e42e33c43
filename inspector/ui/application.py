"""Start the Qt application: translations, fonts, the database, the main window (which fits the
screen through :mod:`inspector.ui.window_fit`)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from inspector.paths import resources_dir
from inspector.ui.i18n import install_translators
from inspector.ui.window_fit import available_rect, install_window_fitter

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
            QApplication.setFont(QFont(families[0], QApplication.font().pointSize()))


def create_application(argv: list[str] | None = None) -> QApplication:
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


GC_INTERVAL_MS = 500


def collect_garbage_on_the_gui_thread(app: QApplication) -> None:
    """Python's cyclic garbage collector runs in whichever thread allocates at that moment; when a
    background task's thread collects a cycle holding a Qt widget, Qt deletes the widget off the GUI
    thread and the process crashes (seen: a segfault while a worker loaded inspectors). So automatic
    collection is switched off and the GUI thread collects on a timer, generation by generation."""
    import gc

    gc.disable()
    timer = QTimer(app)
    timer.setInterval(GC_INTERVAL_MS)

    def collect() -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return

    timer.timeout.connect(collect)
    timer.start()
    app._inspector_gc_timer = timer


def ask_about_copied_data(services, parent=None) -> None:
    """A data folder copied or moved here: one question before the database opens (a copy gets a new device id)."""
    from PySide6.QtWidgets import QMessageBox

    if not services.paths.database.is_file() or services.copied_data() is None:  # a new folder: nothing to ask
        return
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

    install_window_fitter(QApplication.instance(), services.settings)
    window = MainWindow(services, offer_first_run=offer_first_run)
    window.after_first_frame(window.refresh)
    return window


def show_main_window(window) -> None:
    """Remembered geometry if there is one, else maximised (a laptop screen is small)."""
    fitter = install_window_fitter(QApplication.instance(), window.services.settings)
    if fitter.restore(window):
        fitter._restored.add(id(window))
        if window.isMaximized():
            window.setGeometry(available_rect(window))  # where no window manager maximises
        window.show()
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
