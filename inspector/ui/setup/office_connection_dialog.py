"""文件 → 连接办公室数据库: server, port, database, user, password, encryption; 测试连接 and 连接.

Both buttons work in the background (the window's TaskRunner): a server that does not answer takes up
to the 10-second connect timeout, and the window stays usable. 连接 opens the database as
``inspector office connect`` does (a new, empty database gets its tables), then keeps the URL without
its password in settings.json and the password in the system keyring (``inspector.db.office_link``);
without a usable keyring it refuses with the CLI's hint and saves nothing. ``connected`` carries the
saved URL; the caller reopens the window on it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout,
)

from inspector.ui.setup.office_text import DEFAULT_PORT, SSL_MODES, OfficeFields, connection_sentence
from inspector.ui.tab_order import follow_rows
from inspector.ui.wheel_guard import guard_wheel


def probe_office(url: str, password: str | None) -> int | None:
    """测试连接: log in and read the schema version (None: an empty database, set up on 连接); changes nothing."""
    from inspector.db.server import make_server_engine, read_server_version
    from inspector.errors import UserError

    try:
        engine = make_server_engine(url, password)
        try:
            with engine.connect() as connection:
                version = read_server_version(connection)
                connection.rollback()
        finally:
            engine.dispose()
    except Exception as exc:  # noqa: BLE001 - every failure becomes the one sentence below
        raise UserError(connection_sentence(exc, url, password)) from None
    return version


def open_office(url: str, password: str | None, backups_dir) -> str:
    """连接: open the office database as ``inspector office connect`` does (sets up a new one); its device id."""
    from inspector.db.database import Database
    from inspector.errors import UserError

    try:
        db = Database.open_url(url, backups_dir, password)
    except Exception as exc:  # noqa: BLE001
        raise UserError(connection_sentence(exc, url, password)) from None
    try:
        return db.device_id
    finally:
        db.close()


def _drop_password(url: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    from inspector.db.office_link import KEYRING_SERVICE

    try:
        keyring.delete_password(KEYRING_SERVICE, url)
    except (KeyringError, RuntimeError):
        pass  # none was kept for it (PGPASSWORD/.pgpass), or no keyring


class OfficeConnectionDialog(QDialog):
    connected = Signal(str)  # the saved, password-less URL

    def __init__(self, services, tasks, parent=None):
        super().__init__(parent)
        self.services, self.tasks = services, tasks
        self.setObjectName("officeConnectionDialog")
        self.setWindowTitle(self.tr("Connect to the office database"))
        self.host, self.database, self.user = QLineEdit(self), QLineEdit(self), QLineEdit(self)
        self.host.setPlaceholderText(self.tr("e.g. db-server or 192.168.1.10"))
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sslmode = QComboBox(self)
        for mode, text in zip(SSL_MODES, self._ssl_texts()):
            self.sslmode.addItem(text, mode)
        self.ca_file = QLineEdit(self)
        self.ca_button = QPushButton(self.tr("Choose…"), self)
        self.ca_button.clicked.connect(self.choose_ca_file)
        self.sslmode.currentIndexChanged.connect(self._ssl_changed)
        self.message = QLabel(self)
        self.message.setObjectName("officeConnectionMessage")
        self.message.setWordWrap(True)
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.connect_button = QPushButton(self.tr("Connect"), self)
        self.connect_button.setDefault(True)
        self.test_button.clicked.connect(self.test_connection)
        self.connect_button.clicked.connect(self.connect_office)
        self._layout()
        self._fill(OfficeFields.from_url(services.settings.get("office_database") or services.database_url))
        self.pick_ca_file = lambda: QFileDialog.getOpenFileName(  # replaceable in tests
            self, self.tr("CA certificate (sslrootcert)"), "", self.tr("Certificates (*.crt *.pem *.cer);;* (*)"))[0]
        guard_wheel(self)

    def _ssl_texts(self) -> list[str]:
        return [self.tr("No encryption (disable)"), self.tr("Encrypt if the server can (prefer)"),
                self.tr("Always encrypt (require)"), self.tr("Encrypt and verify the server (verify-full)")]

    def _layout(self) -> None:
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.ca_button)
        form = QFormLayout()
        for label, widget in ((self.tr("Server"), self.host), (self.tr("Port"), self.port),
                              (self.tr("Database"), self.database), (self.tr("User"), self.user),
                              (self.tr("Password"), self.password), (self.tr("Encryption"), self.sslmode),
                              (self.tr("CA certificate"), ca_row)):
            form.addRow(label, widget)
        follow_rows(form)
        hint = QLabel(self.tr("The password is kept in this computer's system keyring, never in the settings file."), self)
        hint.setWordWrap(True)
        close = QPushButton(self.tr("Cancel"), self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.connect_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message, 1)
        layout.addLayout(buttons)
        self.resize(520, 400)

    def _fill(self, fields: OfficeFields) -> None:
        self.host.setText(fields.host)
        self.port.setValue(fields.port or DEFAULT_PORT)
        self.database.setText(fields.database)
        self.user.setText(fields.user)
        self.sslmode.setCurrentIndex(SSL_MODES.index(fields.sslmode))
        self.ca_file.setText(fields.sslrootcert)
        self._ssl_changed()

    def _ssl_changed(self, _index: int = 0) -> None:
        verify = self.sslmode.currentData() == "verify-full"
        self.ca_file.setEnabled(verify)
        self.ca_button.setEnabled(verify)

    def choose_ca_file(self) -> None:
        path = self.pick_ca_file()
        if path:
            self.ca_file.setText(path)

    def fields(self) -> OfficeFields:
        return OfficeFields(self.host.text(), self.port.value(), self.database.text(), self.user.text(),
                            self.sslmode.currentData(), self.ca_file.text())

    # --- the two buttons ------------------------------------------------------------------------

    def _checked(self) -> tuple[str, str | None] | None:
        """(URL, password) once the fields are complete; else the sentence shows and None."""
        from pathlib import Path

        from inspector.db.office_link import password_for

        fields = self.fields()
        problem = fields.missing()
        if problem is None and fields.sslmode == "verify-full" and fields.sslrootcert.strip() \
                and not Path(fields.sslrootcert.strip()).is_file():
            problem = self.tr("The CA certificate file %1 does not exist.").replace("%1", fields.sslrootcert.strip())
        if problem:
            self.message.setText(problem)
            return None
        url = fields.url()
        return url, self.password.text() or password_for(url)  # empty: the saved one, else PGPASSWORD/.pgpass

    def _busy(self, text: str) -> None:
        self.test_button.setEnabled(False)
        self.connect_button.setEnabled(False)
        self.message.setText(text)

    def _idle(self) -> None:
        self.test_button.setEnabled(True)
        self.connect_button.setEnabled(True)

    def test_connection(self) -> None:
        checked = self._checked()
        if checked is None:
            return
        self._busy(self.tr("Connecting…"))
        self.tasks.submit(probe_office, *checked, on_done=self._tested, on_error=self._failed)

    def _tested(self, version: int | None) -> None:
        self._idle()
        if version is None:
            self.message.setText(self.tr("Connected. The database is empty: Connect sets it up for Inspector."))
        else:
            self.message.setText(self.tr("Connected. It is an Inspector office database (schema version %1).")
                                 .replace("%1", str(version)))

    def connect_office(self) -> None:
        checked = self._checked()
        if checked is None:
            return
        self._busy(self.tr("Connecting and setting up…"))
        url, password = checked
        self.tasks.submit(open_office, url, password, self.services.paths.backups,
                          on_done=lambda _device: self._save(url, self.password.text()), on_error=self._failed)

    def _save(self, url: str, password: str) -> None:
        """Keep the connection as ``inspector office connect`` does; no keyring: refused, nothing saved."""
        from inspector.db import office_link
        from inspector.errors import UserError

        self._idle()
        previous = self.services.settings.get(office_link.SETTING)
        try:
            clean = office_link.save(self.services.settings, url, password or None)
        except UserError as error:
            self.message.setText(error.message)
            return
        if previous and previous != clean:
            _drop_password(previous)  # another server now: its password leaves the keyring
        self.connected.emit(clean)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._idle()
        self.message.setText(getattr(error, "message", None) or connection_sentence(error, self.fields().url()))
