"""文件 → 连接办公室数据库 / 断开办公室数据库 for a main window, and how the window names its database.

Connecting or disconnecting reopens the window on the other database: a new ``Services`` on the same data
folder and settings (the composition root, ``Services.reopen``), a new window, the old one closed (its
unsaved walk-through edits are asked about first, as when quitting).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication



def database_text(services) -> str:
    """The status bar's words for what is open: the office database (password masked) or the data folder."""
    if services.database_url:
        from urllib.parse import unquote

        from inspector.db.server import safe_url

        text = QCoreApplication.translate("OfficeConnection", "Office database: %1")
        return text.replace("%1", unquote(safe_url(services.database_url)))  # host=/run/postgresql, not %2F
    return QCoreApplication.translate("OfficeConnection", "Data folder: %1").replace("%1", str(services.paths.root))


def window_title(services, title: str) -> str:
    """The window title, with the office database's server and name when the window works on it."""
    if not services.database_url:
        return title
    from sqlalchemy.engine import make_url

    url = make_url(services.database_url)
    host = url.host or url.query.get("host") or "localhost"
    text = QCoreApplication.translate("OfficeConnection", "office database %1 on %2")
    return f"{title} — " + text.replace("%1", url.database or "").replace("%2", str(host))


def open_connection_dialog(window):
    """The connection dialog (filled with the saved connection, if any); 连接 reopens the window on it."""
    from inspector.ui.setup.office_connection_dialog import OfficeConnectionDialog

    dialog = OfficeConnectionDialog(window.services, window.tasks, window)
    dialog.connected.connect(lambda url: reopen_window(window, url))
    window.office_dialog = dialog
    dialog.open()
    return dialog


def forget_connection(window) -> None:
    """断开办公室数据库: drop the saved URL and the keyring's password; a window on the server reopens on the file."""
    from inspector.db import office_link
    from inspector.db.server import safe_url
    from inspector.ui.dialogs import confirm

    services = window.services
    saved = services.settings.get(office_link.SETTING)
    url = saved or services.database_url
    if not url:
        from PySide6.QtWidgets import QMessageBox  # here: its type costs start-up time (window_title is called then)

        QMessageBox.information(window, QCoreApplication.translate("OfficeConnection", "Disconnect the office database"),
                                QCoreApplication.translate("OfficeConnection", "No office database is connected; "
                                                           "this computer uses its own database file."))
        return
    question = QCoreApplication.translate(
        "OfficeConnection", "Disconnect the office database %1? This computer then uses its own database file; the data "
        "on the server stays as it is, and the saved password is removed from the system keyring.")
    title = QCoreApplication.translate("OfficeConnection", "Disconnect the office database")
    if not confirm(window, title, question.replace("%1", safe_url(url)),
                   QCoreApplication.translate("OfficeConnection", "Disconnect")):
        return
    office_link.forget(services.settings)
    if services.database_url:
        reopen_window(window, None)


def reopen_window(window, database_url: str | None):
    """A new window on ``database_url`` (None: the local file), same data folder and settings; the old one closes."""
    from PySide6.QtCore import QTimer

    from inspector.ui.window_fit import install_window_fitter

    if not window.records.ready_to_close():  # unsaved walk-through edits: stored or asked about first
        return None
    services = window.services.reopen(database_url)
    install_window_fitter(QApplication.instance(), services.settings)
    replacement = type(window)(services)  # the main window's own class (importing it here would be a cycle)
    window.replacement = replacement
    QTimer.singleShot(0, replacement.refresh)
    replacement.setGeometry(window.geometry())  # takes the old window's place
    replacement.showMaximized() if window.isMaximized() else replacement.show()
    if not window.close():  # still refused (a question answered with 取消): keep the old window as it was
        replacement.close()
        replacement.tasks.wait()
        services.close()
        window.replacement = None
        return None
    window.services.close()
    QApplication.instance().aboutToQuit.connect(services.close)
    return replacement
