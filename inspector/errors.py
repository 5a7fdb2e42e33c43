"""Exceptions whose message is meant for the person using the app.

Every error that bad input can cause is raised as a :class:`UserError` (or a subclass)
with one clear sentence in Chinese; the CLI prints it on stderr and exits non-zero,
the GUI shows it in a dialog. Anything else is a bug.
"""


class UserError(Exception):
    """An error caused by input or environment, explained in one sentence."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DatabaseError(UserError):
    """The database file is missing, damaged, foreign or too new."""

    exit_code = 3


class NotFoundError(UserError):
    """A record named by id does not exist."""

    exit_code = 4


class OutputRefused(UserError):
    """A file the app was asked to write would replace something it must not (or without consent)."""


# errno -> what happened, in one Chinese phrase (the only place that turns OS errors into words)
_ERRNO_TEXT = {
    "ENOSPC": "磁盘空间已满",
    "EDQUOT": "磁盘配额已满",
    "EFBIG": "文件过大，超出磁盘或文件系统的限制",
    "EACCES": "没有权限",
    "EPERM": "没有权限",
    "EROFS": "磁盘是只读的（可能是写保护的 U 盘或光盘）",
    "ENOENT": "文件或文件夹不存在",
    "ENOTDIR": "路径中有一部分不是文件夹",
    "EISDIR": "这是一个文件夹，不是文件",
    "EEXIST": "文件已存在",
    "EIO": "磁盘读写出错（U 盘可能已拔出或已损坏）",
    "ENXIO": "设备不存在（U 盘可能已拔出）",
    "ENODEV": "设备不存在（U 盘可能已拔出）",
    "ENAMETOOLONG": "文件名过长",
    "EBUSY": "文件正被其他程序占用",
    "ETXTBSY": "文件正被其他程序占用",
    "EMFILE": "打开的文件过多",
    "ENFILE": "打开的文件过多",
    "EINVAL": "文件名或路径无效",
    "ESTALE": "网络或移动磁盘已断开",
    "ENOTCONN": "网络或移动磁盘已断开",
}
_WINERROR_TEXT = {32: "文件正被其他程序占用（可能已在 Excel、WPS 或 PDF 阅读器中打开）", 33: "文件正被其他程序锁定",
                  112: "磁盘空间已满", 19: "磁盘是只读的（写保护）", 21: "设备未就绪（U 盘可能已拔出）"}


def os_error_text(exc: BaseException) -> str:
    """What went wrong in Chinese, never the operating system's English text."""
    import errno as errno_module

    known = known_io_text(exc)
    if known:
        return known
    code = getattr(exc, "errno", None)
    name = errno_module.errorcode.get(code, "") if isinstance(code, int) else ""
    return f"文件读写失败（错误代码 {name or code or type(exc).__name__}）"


def known_io_text(exc: BaseException) -> str | None:
    """The Chinese phrase for a recognised I/O failure (errno, Windows error or SQLite's wording), else None."""
    import errno as errno_module

    winerror = getattr(exc, "winerror", None)
    if winerror in _WINERROR_TEXT:
        return _WINERROR_TEXT[winerror]
    code = getattr(exc, "errno", None)
    name = errno_module.errorcode.get(code, "") if isinstance(code, int) else ""
    if name in _ERRNO_TEXT:
        return _ERRNO_TEXT[name]
    text = str(exc).lower()
    if "disk is full" in text or "no space" in text:
        return _ERRNO_TEXT["ENOSPC"]
    if "readonly" in text or "read-only" in text:
        return _ERRNO_TEXT["EROFS"]
    if "disk i/o error" in text:
        return _ERRNO_TEXT["EIO"]
    if "locked" in text or "busy" in text:
        return _ERRNO_TEXT["EBUSY"]
    if "unable to open" in text:
        return "无法打开文件（文件夹不存在、没有权限或磁盘已拔出）"
    return None


def describe_io_error(exc: BaseException, path=None, doing: str = "读写") -> str:
    """One Chinese sentence for a failed file operation: ``无法写入 X：磁盘空间已满。``"""
    target = path if path is not None else getattr(exc, "filename", None)
    where = f" {target}" if target else "文件"
    return f"无法{doing}{where}：{os_error_text(exc)}。"
