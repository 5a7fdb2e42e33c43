"""What differs between SQLite and PostgreSQL in the office's plain-SQL queries, in one place.

* The elements of a JSON array of ids: SQLite spells it ``json_each(column)``, PostgreSQL
  ``json_array_elements_text(column)`` (its own ``json_each`` is for objects). Both are a FROM item whose
  ``value`` column is the element as text (:func:`json_ids`).
* A DATE column read through ``text()``: ISO text from SQLite, a ``date`` from PostgreSQL (:func:`as_date`).
"""

from __future__ import annotations

from datetime import date


def json_ids(session_or_connection, column: str, alias: str = "j") -> str:
    """A FROM item listing the text elements of the JSON array in ``column`` as ``{alias}.value``."""
    if _dialect(session_or_connection) == "postgresql":
        return f"json_array_elements_text({column}) AS {alias}(value)"
    return f"json_each({column}) AS {alias}"


def _dialect(session_or_connection) -> str:
    bind = session_or_connection.get_bind() if hasattr(session_or_connection, "get_bind") else session_or_connection
    return bind.dialect.name


def as_date(value) -> date | None:
    """A DATE column's value from a ``text()`` query on either backend."""
    if value is None or value == "" or isinstance(value, date):
        return value or None
    return date.fromisoformat(str(value)[:10])
