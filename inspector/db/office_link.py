"""The saved connection to the office database: the URL in settings.json, the password in the OS keyring.

The URL is stored without its password (``office_database`` in settings.json); the password, when
there is one, goes to the system keyring (Windows Credential Manager, macOS Keychain, Secret Service)
through ``keyring``, under the service ``inspector-office-database`` and the password-less URL. Without
a usable keyring the password can come from libpq's ``PGPASSWORD`` or ``~/.pgpass`` instead.
"""

from __future__ import annotations

from pathlib import Path

from inspector.errors import UserError

SETTING = "office_database"
KEYRING_SERVICE = "inspector-office-database"
NO_KEYRING = "本机没有可用的系统密钥环，无法保存数据库密码；请改用环境变量 PGPASSWORD 或 ~/.pgpass 文件。"


def split_password(url: str) -> tuple[str, str | None]:
    """(the URL without password, the password or None); UserError for a URL that is not a server's."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from inspector.db.server import SERVER_SCHEMES, safe_url

    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UserError(f"数据库地址无效：{safe_url(url)}") from exc
    if parsed.drivername not in SERVER_SCHEMES:
        raise UserError("办公室数据库地址应以 postgresql+psycopg:// 开头。")
    return parsed.set(password=None).render_as_string(hide_password=False), parsed.password


def saved_url(settings_path: Path) -> str | None:
    """The saved office URL (never with a password), read straight from settings.json; None if none."""
    try:
        text = Path(settings_path).read_text(encoding="utf-8")
    except (OSError, ValueError):  # a new data folder has no settings.json: no json import before the first frame
        return None
    import json

    try:
        values = json.loads(text)
    except ValueError:
        return None
    url = values.get(SETTING) if isinstance(values, dict) else None
    return url if isinstance(url, str) and url else None


def save(settings, url: str, password: str | None) -> str:
    """Keep ``url`` (its password moved to the keyring); returns the saved, password-less URL."""
    clean, in_url = split_password(url)
    password = password or in_url
    if password:
        _keyring_call("set_password", KEYRING_SERVICE, clean, password)
    settings.set(SETTING, clean)
    return clean


def forget(settings) -> str | None:
    """Drop the saved connection and its keyring entry; returns the URL that was saved."""
    clean = settings.get(SETTING)
    if not clean:
        return None
    try:
        _keyring_call("delete_password", KEYRING_SERVICE, clean)
    except UserError:
        pass  # nothing stored, or no keyring: the setting still goes
    settings.set(SETTING, None)
    return clean


def password_for(url: str) -> str | None:
    """The keyring's password for a password-less URL, or None (then libpq looks at PGPASSWORD/.pgpass)."""
    try:
        clean, in_url = split_password(url)
    except UserError:
        return None
    if in_url:
        return None
    try:
        return _keyring_call("get_password", KEYRING_SERVICE, clean)
    except UserError:
        return None


def _keyring_call(name: str, *args):
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        return getattr(keyring, name)(*args)
    except PasswordDeleteError as exc:
        raise UserError("密钥环中没有该连接的密码。") from exc
    except (KeyringError, RuntimeError) as exc:
        raise UserError(NO_KEYRING) from exc
