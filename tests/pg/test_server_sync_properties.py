"""The sync properties of tests/core/sync/test_sync_properties.py with the office on PostgreSQL (hypothesis).

The same random histories of two and three laptops (create, edit, delete, void, clocks ahead and behind,
full and since-last syncs between laptops), and at random points a laptop sends an export (full or
since-last) to the office, which merges it twice: into an office SQLite file (the laptop merge, whose
properties the SQLite tests state) and into an office server database. Checked on every history:

* after every merge the server holds exactly what the office file holds (every synced row, the
  history with ``seen_seq``, the conflict records), and reports the same totals, conflicts and photo
  de-duplications;
* merging the same file into the server again changes nothing and reports nothing;
* at the end, every laptop's full export merged into fresh server databases one by one in one order,
  and all at once in the reverse order, gives the same content as merging them into a fresh office file.

Fewer examples than the SQLite properties (each example creates three server databases): see
:data:`SETTINGS`.
"""

from __future__ import annotations

import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.sync.test_sync_properties import World, operations
from tests.core.sync.test_sync_support import Device, fast_tmp_dir
from tests.pg.server_merge_support import OfficePair, file_state, server_state

SYNCED = ("enterprise", "inspector", "checklist_snapshot", "inspection", "finding", "reinspection", "photo",
          "reinspection_item", "hazard_event", "notice", "document_number", "number_block")


class ServerOffices:
    """Office server databases for the examples: a few made once, emptied back to new before each use
    (``TRUNCATE`` and the new database's ``local_meta``: far cheaper than creating and dropping databases)."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.pool: list = []
        self.used = 0

    def new(self):
        from inspector.db.database import Database

        if self.used == len(self.pool):
            db = Database.open_url(self.cluster.create_database("office"))
            self.pool.append((db, self._meta(db)))
        db, meta = self.pool[self.used]
        self.used += 1
        self._reset(db, meta)
        return db

    def release_all(self) -> None:
        self.used = 0

    @staticmethod
    def _meta(db) -> list[dict]:
        from sqlalchemy import text

        with db.engine.connect() as connection:
            return [dict(r._mapping) for r in connection.execute(text("SELECT key, value FROM local_meta"))]

    @staticmethod
    def _reset(db, meta: list[dict]) -> None:
        from sqlalchemy import inspect, text

        with db.engine.begin() as connection:
            tables = [t for t in inspect(connection).get_table_names() if t != "schema_version"]
            connection.execute(text(f"TRUNCATE {', '.join(tables)}"))
            connection.execute(text("INSERT INTO local_meta (key, value) VALUES (:key, :value)"), meta)


_OFFICES: dict[int, ServerOffices] = {}


def offices_on(cluster) -> ServerOffices:
    if id(cluster) not in _OFFICES:
        _OFFICES.clear()
        _OFFICES[id(cluster)] = ServerOffices(cluster)
    return _OFFICES[id(cluster)]


def same_report(on_file, on_server) -> None:
    assert on_server.to_json()["totals"] == on_file.to_json()["totals"]
    assert sorted((c.table, c.row_id, c.reason, c.kept) for c in on_server.conflicts) == sorted(
        (c.table, c.row_id, c.reason, c.kept) for c in on_file.conflicts)
    assert on_server.photos_deduplicated == on_file.photos_deduplicated


def content(state: dict) -> dict:
    return {table: state[table] for table in SYNCED}


class OfficeWorld(World):
    """The laptops of the SQLite properties, and an office that is both an SQLite file and a server database."""

    def __init__(self, folder, count, skews, office_db):
        super().__init__(folder, count, skews)
        self.office = OfficePair(Device(folder / "office", "office"), office_db)

    def do_office(self, index: int, since_last: bool, twice: bool) -> None:
        file = self.devices[index].export(since_last=since_last, target="office")
        on_file, on_server = self.office.merge(file)
        same_report(on_file, on_server)
        state = self.office.assert_same()
        if twice:  # on both, so that both count the merge (sync_seq, the history's seen_seq)
            again_on_file, again = self.office.merge(file)
            assert again.changes == again_on_file.changes == 0 and again.conflicts == []
            assert content(server_state(self.office.db)) == content(state)
            self.office.assert_same()


def interleave(ops: list, office_ops: list) -> list:
    merged = list(ops)
    for position, *op in sorted(office_ops, key=lambda o: o[0], reverse=True):
        merged.insert(min(position, len(merged)), ("office", *op))
    return merged


def check_office_history(cluster, count: int, skews: list[int], ops, office_ops) -> None:
    from inspector.core.sync.server_merge import merge_into_server

    folder, offices = fast_tmp_dir(), offices_on(cluster)
    try:
        world = OfficeWorld(folder, count, skews, offices.new())
        for op in interleave(ops, office_ops):
            world.run(op)
        files = [device.export(target="office") for device in world.devices]
        on_file, on_server = world.office.merge(*files)
        same_report(on_file, on_server)
        world.office.assert_same()
        fresh_file = Device(folder / "fresh-office", "office")
        for file in files:
            fresh_file.merge(file)
        expected = content(file_state(fresh_file.path))
        one_by_one, all_at_once = offices.new(), offices.new()
        for file in files:
            merge_into_server(one_by_one, [file])
        merge_into_server(all_at_once, list(reversed(files)))
        assert content(server_state(one_by_one)) == expected
        assert content(server_state(all_at_once)) == expected
        again = merge_into_server(all_at_once, files)
        assert again.changes == 0 and again.conflicts == []
    finally:
        offices.release_all()
        shutil.rmtree(folder, ignore_errors=True)


def office_operations(devices: int):
    return st.lists(st.tuples(st.integers(0, 14), st.integers(0, devices - 1), st.booleans(), st.booleans()),
                    min_size=1, max_size=3)


SETTINGS = settings(max_examples=6, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@SETTINGS
@given(skews=st.lists(st.integers(-15, 15), min_size=2, max_size=2), ops=operations(2), office_ops=office_operations(2))
def test_two_laptops_and_the_office_server(pg_cluster, skews, ops, office_ops):
    check_office_history(pg_cluster, 2, skews, ops, office_ops)


@SETTINGS
@given(skews=st.lists(st.integers(-15, 15), min_size=3, max_size=3), ops=operations(3), office_ops=office_operations(3))
def test_three_laptops_and_the_office_server(pg_cluster, skews, ops, office_ops):
    check_office_history(pg_cluster, 3, skews, ops, office_ops)


def test_a_known_tricky_history_reaches_the_office_server_as_it_reaches_the_office_file(pg_cluster):
    """The SQLite properties' tricky history (clocks that tie), with the office taking exports on the way."""
    ops = [("create", 0, "enterprise", 0), ("create", 0, "inspection", 0), ("create", 0, "finding", 0),
           ("sync", 0, 1, False, False), ("sync", 0, 2, True, False), ("create", 1, "photo", 0),
           ("create", 2, "photo", 0), ("edit", 1, 2, 1), ("edit", 2, 2, 2), ("sync", 1, 0, True, True),
           ("delete", 0, 3), ("sync", 2, 0, True, False), ("sync", 0, 1, True, True)]
    office_ops = [(6, 1, False, True), (7, 2, True, True), (10, 0, True, False)]
    check_office_history(pg_cluster, 3, [0, 10, -10], ops, office_ops)
