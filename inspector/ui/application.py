"""Start the Qt application: translations, fonts, the database, the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from inspector.paths import resources_dir
from inspector.ui.i18n import install_translators

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
    app.setApplicationName("Inspector")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(resources_dir() / ICON)))
    app.setOrganizationName("XingguoETDZ")
    install_translators(app)
    ensure_cjk_font()
    return app


def open_main_window(services):
    """Build the window at once; the database opens in the background (a damaged or foreign
    file is refused there with a clear message and the window closes)."""
    from inspector.ui.main_window import MainWindow

    window = MainWindow(services)
    QTimer.singleShot(0, window.refresh)
    return window


def run(services) -> int:
    app = create_application()
    window = open_main_window(services)
    failed: list[str] = []
    window.data_unavailable.connect(failed.append)
    window.show()
    status = app.exec()
    return 3 if failed else status
