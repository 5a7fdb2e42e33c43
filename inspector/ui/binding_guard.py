"""A guard against a reference-count bug of the Qt binding that would crash a long session.

PySide6 6.12.0 (the only release its PySide6-Pdf wheel exists for) drops one reference to ``None`` on every
call of a void C++ method made from Python: ~13 per tab switch in the main window. On Python 3.11 ``None``
is an ordinary object; when its count reaches zero the process dies with "Fatal Python error:
none_dealloc" (a plain loop of 5,000 ``setEnabled`` calls does it), losing whatever was being typed.
Python 3.12 made ``None`` immortal by giving it a huge count; this does the same on 3.11, once, before the
first window. Only the count of ``None`` changes, and ``None`` is never freed in a healthy process anyway.
"""
from __future__ import annotations

import sys

IMMORTAL_MARGIN = 1 << 40  # ~10^12 lost references: longer than any field day (≈ 10^6 per hour of clicking)


def keep_none_alive() -> bool:
    """Make ``None``'s reference count unreachable by the leak (Python < 3.12); True when it was raised."""
    if sys.version_info >= (3, 12) or sys.getrefcount(None) > IMMORTAL_MARGIN // 2:
        return False
    _ssize_t_class().from_address(id(None)).value += IMMORTAL_MARGIN  # ob_refcnt: the first field of PyObject
    return True


def _ssize_t_class():
    """``ctypes.c_ssize_t`` from the ``_ctypes`` core alone: the ``ctypes`` package defines every C type and
    loads the C library (~8 M instructions, 1.5 ms, before the window's first frame); this is the same class."""
    import _ctypes

    class SSizeT(_ctypes._SimpleCData):
        _type_ = "q" if sys.maxsize > 2**32 else "i"  # Py_ssize_t: 8 bytes on 64-bit systems (Windows too)

    return SSizeT
