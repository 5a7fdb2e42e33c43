"""The office database's connection in words: its URL from the dialog's fields and back, and a failed
connection as one Chinese sentence (never the password). Qt-free, so tests and the CLI could share it."""

from __future__ import annotations

from dataclasses import dataclass

SSL_MODES = ("disable", "prefer", "require", "verify-full")
DEFAULT_PORT = 5432

# libpq's English first line → the reason a person can act on (checked in this order)
_REASONS = (
    ("password authentication failed", "用户名或密码不正确"),
    ("no password supplied", "服务器要求密码，请填写密码"),
    ("no pg_hba.conf entry", "服务器不允许本机以该用户连接（需在服务器的 pg_hba.conf 中放行本机）"),
    ("server does not support ssl", "服务器不支持加密连接（SSL），请把加密方式改为“不加密”或在服务器上启用 SSL"),
    ("certificate verify failed", "服务器证书验证失败，请检查 CA 证书文件是否是该服务器的"),
    ("root certificate file", "无法读取 CA 证书文件，请重新选择"),
    ("server certificate for", "服务器证书上的名称与服务器地址不符，请填写证书上的主机名"),
    ("could not translate host name", "找不到该服务器，请检查服务器地址"),
    ("name or service not known", "找不到该服务器，请检查服务器地址"),
    ("timeout expired", "连接超时，服务器没有响应，请检查网络和服务器地址"),
    ("connection refused", "服务器拒绝连接（数据库服务没有运行，或端口不对）"),
    ("no such file or directory", "服务器没有响应（数据库服务没有运行，或地址、端口不对）"),
    ("permission denied for database", "该用户没有连接该数据库的权限"),
    ("the database system is starting up", "数据库服务正在启动，请稍后重试"),
    ("invalid response to ssl negotiation", "该地址和端口上的不是 PostgreSQL 数据库服务，请检查端口"),
    ("server closed the connection unexpectedly", "服务器意外断开了连接，请稍后重试或联系管理员"),
    ("network is unreachable", "网络不通，请检查本机网络"),
    ("no route to host", "网络不通，无法到达该服务器"),
)


@dataclass(frozen=True)
class OfficeFields:
    """What the connection dialog asks for (no password: that goes to the keyring, never into the URL)."""

    host: str = ""
    port: int = DEFAULT_PORT
    database: str = ""
    user: str = ""
    sslmode: str = "prefer"
    sslrootcert: str = ""

    def url(self) -> str:
        """``postgresql+psycopg://user@host:port/database?sslmode=…``; a host starting with / is a socket folder."""
        from sqlalchemy.engine import URL

        host, port, query = self.host.strip() or None, self.port, {}
        if host and host.startswith("/"):  # a Unix socket folder (libpq's host parameter)
            query.update(host=host, port=str(port))
            host, port = None, None
        if self.sslmode != "prefer":  # libpq's default needs no word in the URL
            query["sslmode"] = self.sslmode
        if self.sslmode == "verify-full" and self.sslrootcert.strip():
            query["sslrootcert"] = self.sslrootcert.strip()
        url = URL.create("postgresql+psycopg", username=self.user.strip() or None, host=host, port=port,
                         database=self.database.strip() or None, query=query)
        return url.render_as_string(hide_password=False)

    @classmethod
    def from_url(cls, text: str | None) -> "OfficeFields":
        """The fields of a saved URL (unknown or bad: the defaults)."""
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        if not text:
            return cls()
        try:
            url = make_url(text)
        except ArgumentError:
            return cls()
        query = {key: value if isinstance(value, str) else value[0] for key, value in url.query.items()}
        port = url.port or _int(query.get("port")) or DEFAULT_PORT
        sslmode = query.get("sslmode", "prefer")
        return cls(url.host or query.get("host", ""), port, url.database or "", url.username or "",
                   sslmode if sslmode in SSL_MODES else "prefer", query.get("sslrootcert", ""))

    def missing(self) -> str | None:
        """The sentence for the first empty required field, or None."""
        for value, sentence in ((self.host, "请填写服务器地址。"), (self.database, "请填写数据库名。"),
                                (self.user, "请填写用户名。")):
            if not value.strip():
                return sentence
        return None


def _int(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def connection_sentence(error: BaseException, url: str, password: str | None = None) -> str:
    """One Chinese sentence for a failed connection or set-up: what went wrong with which server."""
    from inspector.db.server import safe_url
    from inspector.errors import UserError

    cause = _driver_error(error)
    if cause is None:  # the app's own refusal (not our database, too new, ...): already one sentence
        text = error.message if isinstance(error, UserError) else str(error)
        return _without(text, password)
    first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    lowered = first.lower()
    reason = next((words for needle, words in _REASONS if needle in lowered), None)
    if reason is None and "does not exist" in lowered:
        reason = "该数据库不存在，请检查数据库名" if "database" in lowered else "该用户不存在，请检查用户名"
    where = safe_url(url)
    sentence = f"无法连接办公室数据库 {where}：{reason or first}。"
    return _without(sentence, password)


def _driver_error(error: BaseException) -> BaseException | None:
    """The psycopg error behind ``error`` (wrapped by SQLAlchemy and by DatabaseError), or None."""
    seen = error
    for _ in range(4):
        if seen is None:
            return None
        if type(seen).__module__.startswith("psycopg"):
            return seen
        orig = getattr(seen, "orig", None)
        seen = orig if orig is not None else seen.__cause__
    return None


def _without(text: str, password: str | None) -> str:
    return text.replace(password, "***") if password else text
