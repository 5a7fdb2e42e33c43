"""Start-up on the office database (a saved connection or ``--database URL``): reach the server before
the window opens. A server that does not answer gives one Chinese sentence and the choice to open this
computer's own database file instead, try again, or quit — never a traceback, never a silent switch."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from inspector.ui.tasks import TaskRunner



def _open(services):
    services.db  # opens (and on first use sets up) the office database
    return services.db.device_id


def reach_office(services) -> BaseException | None:
    """Open the server in the background behind a small progress window; the error, or None when open."""
    from inspector.db.server import safe_url

    text = QCoreApplication.translate("OfficeStart", "Connecting to the office database %1…")
    progress = QProgressDialog(text.replace("%1", safe_url(services.database_url)), "", 0, 0)
    progress.setObjectName("officeStartProgress")
    progress.setWindowTitle(QCoreApplication.translate("OfficeStart", "Office database"))
    progress.setCancelButton(None)
    progress.setMinimumDuration(500)
    loop, outcome = QEventLoop(), []
    runner = TaskRunner()

    def finish(value):
        outcome.append(value)
        loop.quit()

    runner.submit(_open, services, on_done=lambda _device: finish(None), on_error=finish)
    if not outcome:
        loop.exec()
    progress.close()
    progress.deleteLater()
    runner.wait()
    return outcome[0]


def ask_unreachable(sentence: str, local_file) -> str:
    """The question after a failed start: "local", "retry" or "quit"."""
    question = QCoreApplication.translate("OfficeStart", "Open this computer's own database file (%1) instead? "
                                          "The saved office connection is kept.").replace("%1", str(local_file))
    box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("OfficeStart", "Office database unavailable"),
                      sentence + "\n\n" + question)
    box.setObjectName("officeUnreachable")
    box.setTextFormat(Qt.TextFormat.PlainText)
    local = box.addButton(QCoreApplication.translate("OfficeStart", "Open the local file"),
                          QMessageBox.ButtonRole.AcceptRole)
    retry = box.addButton(QCoreApplication.translate("OfficeStart", "Try again"), QMessageBox.ButtonRole.ActionRole)
    quit_ = box.addButton(QCoreApplication.translate("OfficeStart", "Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry)
    box.setEscapeButton(quit_)
    box.exec()
    clicked = box.clickedButton()
    return "local" if clicked is local else "retry" if clicked is retry else "quit"


def open_office_at_start(services):
    """The services to open the window with: on the server, or (the person's choice) the local file; None: quit."""
    from inspector.ui.setup.office_text import connection_sentence

    while True:
        error = reach_office(services)
        if error is None:
            return services
        answer = ask_unreachable(connection_sentence(error, services.database_url), services.paths.database)
        if answer == "local":
            local = services.reopen(None)
            services.close()
            return local
        if answer == "quit":
            services.close()
            return None
