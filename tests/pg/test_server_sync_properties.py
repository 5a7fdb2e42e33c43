"""The sync properties of tests/core/sync/test_sync_properties.py with the office on PostgreSQL (hypothesis).

The same random histories of two and three laptops (create, edit, delete, void, clocks ahead and behind,
full and since-last syncs between laptops), and at random points:

* a laptop sends an export (full or since-last) to the office, which merges it twice: into an office
  SQLite file (the laptop merge, whose properties the SQLite tests state) and into an office server
  database;
* the office sends an export (full or since-last, per laptop) back to a laptop: the server's
  ``server_export`` and the office file's ``export_database``, which the laptop merges.

Checked on every history:

* after every merge the server holds exactly what the office file holds (every synced row, the
  history with ``seen_seq``, the conflict records), and reports the same totals, conflicts and photo
  de-duplications; the office's merge reports exactly the conflicts the causal model of the SQLite
  properties predicts (the office is one more party of the model);
* merging the same file into the server again changes nothing and reports nothing;
* an export of the server carries the office file's export's rows to the same laptop (full, or since-last
  for that laptop), unchanged, but for rows the laptop already holds at that version (see
  :func:`same_or_known`); the laptop merging the server's file reports the
  conflicts the model predicts and ends exactly as a copy of it that merged the office file's export;
  merged again, nothing changes;
* at the end, every laptop's full export merged into fresh server databases one by one in one order,
  and all at once in the reverse order, gives the same content as merging them into a fresh office file;
  then the office server's full export merged into every laptop leaves every laptop holding exactly the
  office's content (nothing lost on the way back), and merged again changes nothing.

Fewer examples than the SQLite properties (each example creates three server databases): see
:data:`SETTINGS`.
"""

from __future__ import annotations

import shutil

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.core.sync.test_sync_properties import TABLES, World, digest, operations
from tests.core.sync.test_sync_support import EDITABLE, Device, fast_tmp_dir
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
    """The laptops of the SQLite properties, and an office that is both an SQLite file and a server database.
    In the causal model (``known``) the office is one more party, after the laptops."""

    def __init__(self, folder, count, skews, office_db):
        super().__init__(folder, count, skews)
        self.office = OfficePair(Device(folder / "office", "office"), office_db)
        self.known.append({})  # what the office has seen
        self.folder, self.sent = folder, 0

    @property
    def office_index(self) -> int:
        return len(self.devices)

    def state(self, index: int) -> dict:
        if index == self.office_index:  # the office file (the server equals it: assert_same after each merge)
            device = self.office.file
            return {(table, row_id): row for table in TABLES for row_id, row in device.rows(table).items()}
        return super().state(index)

    def time(self, index: int) -> int:
        if index == self.office_index:  # the office's clock is right
            self.tick += 1
            return 10 * self.tick
        return super().time(index)

    def do_office_edit(self, choice: int, value: int) -> None:
        """Office staff change a row (on the file and on the server alike), as a laptop's edit."""
        key, state = self._pick(self.office_index, EDITABLE, choice)
        if key:
            self._remember_before_change(self.office_index, key, state)
            self.office.update(key[0], key[1], self.time(self.office_index), **{EDITABLE[key[0]]: f"办{value}"})

    def do_office(self, index: int, since_last: bool, twice: bool) -> None:
        file = self.devices[index].export(since_last=since_last, target="office")
        before, carried = self.state(self.office_index), self.knowledge_in(index, file)
        on_file, on_server = self.office.merge(file)
        same_report(on_file, on_server)
        assert sorted((c.table, c.row_id) for c in on_server.conflicts) == sorted(
            self.expected_conflicts(self.office_index, before, carried)), on_server.lines()
        self.learn(self.office_index, before, carried)
        state = self.office.assert_same()
        if twice:  # on both, so that both count the merge (sync_seq, the history's seen_seq)
            again_on_file, again = self.office.merge(file)
            assert again.changes == again_on_file.changes == 0 and again.conflicts == []
            assert content(server_state(self.office.db)) == content(state)
            self.office.assert_same()

    def do_back(self, index: int, since_last: bool, twice: bool) -> None:
        """The office exports to laptop ``index`` (server and office file alike); the laptop merges the server's."""
        from inspector.core.sync.export import ExportOptions
        from inspector.core.sync.server_export import export_from_server

        self.sent += 1
        target = f"d{index}"
        from_server = self.folder / f"office-server-to-{target}-{self.sent}.db"
        export_from_server(self.office.db, from_server, ExportOptions(since_last=since_last, target=target))
        from_file = self.office.file.export(since_last=since_last, target=target)
        same_or_known(exported(from_server), exported(from_file), file_state(self.devices[index].path),
                      self.known[index])
        twin = self.devices[index].clone(self.folder / f"twin-{self.sent}")
        twin.merge(from_file)
        self.merge(index, from_server, self.knowledge_in(self.office_index, from_server), twice)
        assert self.devices[index].fingerprint() == twin.fingerprint()
        self.office.assert_same()  # the export's history entries went into both alike

    def learn(self, target: int, before: dict, carried: dict) -> None:
        """The model's update after a merge into ``target`` (as World.merge does for a laptop)."""
        for key, (_row, versions) in carried.items():
            self.known[target].setdefault(key, set()).update(versions)
            if key in before:
                self.known[target][key].add(digest(key[0], before[key]))
        for key, row in self.state(target).items():  # photo tombstones the merge made
            if key in before and digest(key[0], row) != digest(key[0], before[key]):
                self.known[target].setdefault(key, set()).update({digest(key[0], row), digest(key[0], before[key])})


def exported(path) -> dict:
    """What an export file carries: its synced rows."""
    return content(file_state(path))


def same_or_known(from_server: dict, from_file: dict, laptop: dict, seen: dict) -> None:
    """The server's export holds the office file's rows, as they are, but for versions the laptop has already
    seen (it holds them, or held them before a later edit: ``seen``, the model's knowledge). The laptop merges
    the server's files only, so only the server learns, from the laptop's later exports, which of its own
    exports the laptop merged: its since-last exports then leave out versions the laptop sent or received
    from it; the office file's keep sending them."""
    for table in SYNCED:
        extra = {k: v for k, v in from_server[table].items() if from_file[table].get(k) != v}
        assert extra == {}, table  # nothing the office file would not send, nothing different
        for row_id in from_file[table].keys() - from_server[table].keys():
            row = from_file[table][row_id]
            if laptop[table].get(row_id) == row:
                continue
            assert table in TABLES and digest(table, row) in seen.get((table, row_id), set()), (table, row_id)


def interleave(ops: list, office_ops: list, back_ops: list = (), edit_ops: list = ()) -> list:
    merged = list(ops)
    steps = ([(o[0], "office", *o[1:]) for o in office_ops] + [(o[0], "back", *o[1:]) for o in back_ops]
             + [(o[0], "office_edit", *o[1:]) for o in edit_ops])
    for position, *op in sorted(steps, key=lambda o: o[0], reverse=True):
        merged.insert(min(position, len(merged)), tuple(op))
    return merged


def everyone_gets_the_office_back(world: OfficeWorld) -> None:
    """The office's full export to each laptop: every laptop ends with exactly the office's content."""
    from inspector.core.sync.export import ExportOptions
    from inspector.core.sync.server_export import export_from_server

    office = content(server_state(world.office.db))
    for index, device in enumerate(world.devices):
        out = world.folder / f"office-full-to-d{index}.db"
        export_from_server(world.office.db, out, ExportOptions(target=f"d{index}"))
        device.merge(out)
        assert content(file_state(device.path)) == office, f"d{index}"
        fingerprint = device.fingerprint()
        again = device.merge(out)
        assert again.changes == 0 and again.conflicts == [] and device.fingerprint() == fingerprint


def check_office_history(cluster, count: int, skews: list[int], ops, office_ops, back_ops=(), edit_ops=()) -> None:
    from inspector.core.sync.server_merge import merge_into_server

    folder, offices = fast_tmp_dir(), offices_on(cluster)
    try:
        world = OfficeWorld(folder, count, skews, offices.new())
        for op in interleave(ops, office_ops, back_ops, edit_ops):
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
        everyone_gets_the_office_back(world)
    finally:
        offices.release_all()
        shutil.rmtree(folder, ignore_errors=True)


def office_edits():
    return st.lists(st.tuples(st.integers(0, 14), st.integers(0, 60), st.integers(0, 2)), max_size=3)


def office_operations(devices: int):
    return st.lists(st.tuples(st.integers(0, 14), st.integers(0, devices - 1), st.booleans(), st.booleans()),
                    min_size=1, max_size=3)


SETTINGS = settings(max_examples=6, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@SETTINGS
@given(skews=st.lists(st.integers(-15, 15), min_size=2, max_size=2), ops=operations(2), office_ops=office_operations(2),
       back_ops=office_operations(2), edit_ops=office_edits())
# found by a longer run: the office sends d0 an (empty) export, merges d0's export acknowledging it, then sends
# d0 a since-last export; the server leaves out what d0 sent, the office file (never acknowledged) does not
@example(skews=[0, 0], ops=[("create", 0, "enterprise", 0)], office_ops=[(1, 0, False, False)],
         back_ops=[(0, 0, False, False), (13, 0, True, False)], edit_ops=[])
# and one where the version left out is older than the laptop's own (it voided the shared notice since)
@example(skews=[9, -5], ops=[("create", 0, "enterprise", 0), ("create", 0, "photo", 0), ("create", 0, "enterprise", 0),
                             ("create", 0, "enterprise", 0), ("create", 0, "enterprise", 23), ("create", 0, "enterprise", 0),
                             ("create", 0, "enterprise", 18), ("create", 0, "enterprise", 0), ("create", 0, "enterprise", 0),
                             ("create", 0, "enterprise", 0), ("create", 0, "finding", 0), ("void", 0, 0)],
         office_ops=[(9, 0, False, True)],
         back_ops=[(13, 1, True, False), (3, 0, True, False), (13, 0, True, False), (12, 1, False, True)], edit_ops=[])
def test_two_laptops_and_the_office_server(pg_cluster, skews, ops, office_ops, back_ops, edit_ops):
    check_office_history(pg_cluster, 2, skews, ops, office_ops, back_ops, edit_ops)


@SETTINGS
@given(skews=st.lists(st.integers(-15, 15), min_size=3, max_size=3), ops=operations(3), office_ops=office_operations(3),
       back_ops=office_operations(3), edit_ops=office_edits())
def test_three_laptops_and_the_office_server(pg_cluster, skews, ops, office_ops, back_ops, edit_ops):
    check_office_history(pg_cluster, 3, skews, ops, office_ops, back_ops, edit_ops)


def test_a_known_tricky_history_reaches_the_office_server_as_it_reaches_the_office_file(pg_cluster):
    """The SQLite properties' tricky history (clocks that tie), with the office taking exports on the way."""
    ops = [("create", 0, "enterprise", 0), ("create", 0, "inspection", 0), ("create", 0, "finding", 0),
           ("sync", 0, 1, False, False), ("sync", 0, 2, True, False), ("create", 1, "photo", 0),
           ("create", 2, "photo", 0), ("edit", 1, 2, 1), ("edit", 2, 2, 2), ("sync", 1, 0, True, True),
           ("delete", 0, 3), ("sync", 2, 0, True, False), ("sync", 0, 1, True, True)]
    office_ops = [(6, 1, False, True), (7, 2, True, True), (10, 0, True, False)]
    back_ops = [(8, 0, True, True), (11, 1, False, False), (12, 2, True, False)]
    edit_ops = [(7, 0, 1), (9, 4, 2), (11, 2, 0)]  # the office changes rows between its exports
    check_office_history(pg_cluster, 3, [0, 10, -10], ops, office_ops, back_ops, edit_ops)
