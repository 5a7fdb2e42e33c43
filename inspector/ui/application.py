"""Start the Qt application: translations, fonts, the database, the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from inspector.paths import resources_dir
from inspector.ui.i18n import install_translators

BUNDLED_FONT = "fonts/wqy-microhei.ttc"


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
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Inspector")
    app.setOrganizationName("XingguoETDZ")
    install_translators(app)
    ensure_cjk_font()
    return app


def ask_about_copied_data(services, parent=None) -> None:
    """A data folder copied or moved here: one question before the database opens (a copy gets a new device id)."""
    from PySide6.QtWidgets import QMessageBox

    if services.copied_data() is None:
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


def open_main_window(services):
    """Build the window at once; the database opens in the background (a damaged or foreign
    file is refused there with a clear message and the window closes)."""
    from inspector.ui.main_window import MainWindow

    window = MainWindow(services)
    QTimer.singleShot(0, window.refresh)
    return window


def run(services) -> int:
    app = create_application()
    ask_about_copied_data(services)
    window = open_main_window(services)
    failed: list[str] = []
    window.data_unavailable.connect(failed.append)
    window.show()
    status = app.exec()
    return 3 if failed else status
