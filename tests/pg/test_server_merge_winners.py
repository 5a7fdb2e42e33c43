"""The winners' write streams a file's new rows of a table into one COPY and ends it for every :data:`CHUNK` rows
the server already holds (updated, then a new COPY): new and updated rows mixed land as in an office file."""

from __future__ import annotations

import pytest

from inspector.core.sync import server_apply
from tests.core.sync.test_sync_support import Device
from tests.pg.server_merge_support import OfficePair


@pytest.fixture
def office(folder, pg_db) -> OfficePair:
    return OfficePair(Device(folder / "office", "office"), pg_db)


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "insert"])
def test_new_and_updated_rows_mixed_across_several_copies_land_as_in_an_office_file(folder, office, copy, monkeypatch):
    monkeypatch.setattr(server_apply, "CHUNK", 2)  # a COPY ended after every two rows the server holds
    copies = []
    real = server_apply.copy_rows

    def counted(server, server_table, rows):
        if not copy:
            return False
        copies.append(server_table.table)
        return real(server, server_table, rows)

    monkeypatch.setattr(server_apply, "copy_rows", counted)
    segments = []

    class Recorded(server_apply._NewRows):
        def __init__(self, *args):
            super().__init__(*args)
            segments.append(self)

    monkeypatch.setattr(server_apply, "_NewRows", Recorded)
    laptop = Device(folder / "laptop", "laptop")
    inspection = laptop.inspection(2, laptop.enterprise(1))
    held = [laptop.finding(3 + n, inspection, f"隐患{n}") for n in range(5)]
    office.merge(laptop.export())
    office.assert_same()
    copies.clear()
    segments.clear()
    for n, finding in enumerate(held):  # updates and new rows interleaved in the file's order
        laptop.update("finding", finding, 20 + n, description=f"已改{n}")
        laptop.finding(30 + n, inspection, f"新隐患{n}")
    on_file, on_server = office.merge(laptop.export())
    assert on_server.to_json()["totals"] == on_file.to_json()["totals"]
    state = office.assert_same()
    assert sorted(row["description"] for row in state["finding"].values()) == sorted(
        [f"已改{n}" for n in range(5)] + [f"新隐患{n}" for n in range(5)])
    held_counts = [len(segment.old) for segment in segments if segment.old and segment.old[0][0] in held]
    assert held_counts == [2, 2, 1]  # the five held findings updated two, two and one at a time
    assert copies.count("finding") == (1 if copy else 0)  # the new ones in one COPY (or INSERTs without COPY)
