"""A full export's history keeps ``seen_seq`` as the laptop has it (operation numbers of that laptop): the
office server records its own operation numbers, whatever the file says, as the office SQLite merge does."""

from __future__ import annotations

import pytest

from inspector.core.sync.export import export_database
from inspector.core.sync.server_merge import merge_into_server
from tests.core.sync.test_export_history import _laptop_with_a_past
from tests.core.sync.test_sync_support import Device, tamper
from tests.pg.server_merge_support import OfficePair, server_state


@pytest.fixture
def second_db(pg_cluster):
    from inspector.db.database import Database

    db = Database.open_url(pg_cluster.create_database())
    yield db
    db.close()


def test_the_server_ignores_the_seen_seq_of_an_incoming_history(folder, pg_db, second_db):
    laptop, ids = _laptop_with_a_past(folder)
    sent = folder / "sent.db"
    export_database(laptop.path, sent)
    foreign = tamper(sent, folder / "foreign.db", ("UPDATE sync_version SET seen_seq = ?", (987654321,)))
    office = OfficePair(Device(folder / "office", "office"), pg_db)
    office.merge(sent)
    state = office.assert_same()  # the server as the office SQLite file: the same history, seen_seq included
    merge_into_server(second_db, [foreign])
    assert server_state(second_db) == state
    assert {seq for *_, seq in state["sync_version"]} == {1}  # the server's first operation, not the laptop's
    assert state["finding"][ids["finding"]]["description"] == "消防通道堵塞，已责令整改"
