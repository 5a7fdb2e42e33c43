"""bulk.insert_tuples: one JSON statement stores exactly what executemany would, in the rows' order."""

from __future__ import annotations

import sqlite3

import pytest

from inspector.db.bulk import insert_tuples

ROWS = [("兴国冷链 \"引号\" \\ 换\n行", 1, None, True), ("", -(2**63), "x", False), ("a" * 5000, 2**63 - 1, "", 0)]


def _table(connection: sqlite3.Connection, name: str) -> None:
    connection.execute(f"CREATE TABLE {name} (a, b, c, d)")  # no affinity: the stored type is the bound one


def _stored(connection: sqlite3.Connection, name: str) -> list[tuple]:
    return connection.execute(f"SELECT a, typeof(a), b, typeof(b), c, typeof(c), d, typeof(d) FROM {name} "
                              "ORDER BY rowid").fetchall()


def test_text_integers_and_nulls_are_stored_as_executemany_stores_them(tmp_path):
    connection = sqlite3.connect(tmp_path / "t.db")
    _table(connection, "by_json")
    _table(connection, "by_rows")
    assert insert_tuples(connection, "by_json", ROWS, 4) == 3
    connection.executemany("INSERT INTO by_rows VALUES (?, ?, ?, ?)", ROWS)
    assert _stored(connection, "by_json") == _stored(connection, "by_rows")


def test_rows_with_bytes_or_floats_are_stored_unchanged(tmp_path):
    connection = sqlite3.connect(tmp_path / "t.db")
    _table(connection, "t")
    rows = [(b"\x00\xff", 0.1, "a", None), ("b", 1e-300, b"", 2)]
    insert_tuples(connection, "t", rows, 4)
    assert connection.execute("SELECT a, b, c, d FROM t ORDER BY rowid").fetchall() == rows


def test_a_row_of_the_wrong_width_is_refused_and_nothing_is_written(tmp_path):
    connection = sqlite3.connect(tmp_path / "t.db")
    _table(connection, "t")
    with pytest.raises(ValueError):
        insert_tuples(connection, "t", [("a", 1, 2, 3), ("b", 1, 2)], 4)
    assert connection.execute("SELECT count(*) FROM t").fetchone() == (0,)
