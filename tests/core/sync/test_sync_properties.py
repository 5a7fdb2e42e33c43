"""Properties of file sync over random edit histories on two and three laptops (hypothesis).

A history is a list of operations: create, edit, delete and void rows on a laptop whose clock
may run ahead or behind (so times tie and disagree), and sync one laptop to another with a full
or since-last export. Checked on every history:

* merging the same file twice changes nothing (and reports nothing the second time);
* each merge reports exactly the conflicts a causal model of the history predicts (a row edited on
  both sides since the laptops last met, or a later edit losing on time), however the history
  travelled (directly, through a third laptop, in since-last files);
* A merged into B and B merged into A give the same content; merging several files in any order,
  or all at once, gives the same content;
* after everyone has exchanged everything, every laptop holds the same content: every row ever
  created (none lost, none duplicated), each at the greatest version any laptop held (newer
  ``updated_at``, then rev, device id, content hash), and never two live copies of one photo.
"""

from __future__ import annotations

import shutil
import sqlite3
from itertools import permutations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.sync.test_sync_support import EDITABLE, Device, fast_tmp_dir, order_key, specs, stamp

CREATABLE = ("enterprise", "inspection", "finding", "photo", "notice", "number")
DELETABLE = ("enterprise", "inspection", "finding", "photo")
TABLES = ("enterprise", "inspection", "finding", "photo", "notice", "document_number")


def operations(devices: int):
    device = st.integers(0, devices - 1)
    edit = st.tuples(st.just("edit"), device, st.integers(0, 60), st.integers(0, 2))
    edit_shared = st.tuples(st.just("edit_shared"), device, st.integers(0, 2), st.integers(0, 2))
    sync = st.tuples(st.just("sync"), device, device, st.booleans(), st.booleans())
    return st.lists(st.one_of(
        st.tuples(st.just("create"), device, st.sampled_from(CREATABLE), st.integers(0, 30)),
        st.tuples(st.just("create"), device, st.just("photo"), st.integers(0, 3)),
        edit, edit_shared, edit_shared,
        st.tuples(st.just("delete"), device, st.integers(0, 60)),
        st.tuples(st.just("void"), device, st.integers(0, 10)),
        sync, sync,
    ), min_size=1, max_size=14)


def digest(table: str, row: dict) -> str:
    return specs()[table].version(row).digest


class World:
    """The laptops, a shared tick for their clocks, and the causal model of what each has seen."""

    def __init__(self, folder, count: int, skews: list[int]):
        self.devices = [Device(folder / f"d{i}", f"d{i}") for i in range(count)]
        self.skews, self.tick = skews, 0
        self.known: list[dict[tuple[str, str], set[str]]] = [{} for _ in range(count)]
        self.seed_shared_rows()

    def seed_shared_rows(self) -> None:
        """Rows every laptop has before the history starts, so that the history edits them concurrently."""
        first, at = self.devices[0], self.time(0)
        enterprise = first.enterprise(at, "共同企业")
        first.finding(at, first.inspection(at, enterprise), "共同隐患")
        notice = first.notice(at, enterprise)
        first.number(at, 1)
        self.shared = [("enterprise", enterprise), ("finding", first.rows("finding").popitem()[0]), ("notice", notice)]
        file = first.export(target="seed")
        for index in range(1, len(self.devices)):
            self.merge(index, file, self.knowledge_in(0, file))

    def time(self, index: int) -> int:
        self.tick += 1
        return 10 * self.tick + self.skews[index]

    def state(self, index: int) -> dict[tuple[str, str], dict]:
        device = self.devices[index]
        return {(table, row_id): row for table in TABLES for row_id, row in device.rows(table).items()}

    def run(self, op) -> None:
        getattr(self, f"do_{op[0]}")(*op[1:])

    def do_create(self, index: int, kind: str, value: int) -> None:
        device, at = self.devices[index], self.time(index)
        parents = {"inspection": "enterprise", "finding": "inspection", "photo": "finding", "notice": "enterprise"}
        parent_ids = sorted(device.rows(parents[kind])) if kind in parents else []
        if kind in parents and not parent_ids:
            device.enterprise(at, f"企业{value}")
            return
        parent = parent_ids[value % len(parent_ids)] if parent_ids else None
        if kind == "enterprise":
            device.enterprise(at, f"企业{value}")
        elif kind == "inspection":
            device.inspection(at, parent)
        elif kind == "finding":
            device.finding(at, parent, f"隐患{value}")
        elif kind == "photo":
            device.photo(at, parent, picture=value % 2)
        elif kind == "notice":
            device.notice(at, parent, f"兴经开安改〔2026〕{value}号")
        else:
            device.number(at, value % 6 + 1)

    def _pick(self, index: int, tables, choice: int, live_only: bool = False):
        state = self.state(index)
        keys = sorted(k for k, row in state.items() if k[0] in tables and not (live_only and row["deleted_at"]))
        return (keys[choice % len(keys)], state) if keys else (None, state)

    def _remember_before_change(self, index: int, key, state) -> None:
        self.known[index].setdefault(key, set()).add(digest(key[0], state[key]))

    def do_edit(self, index: int, choice: int, value: int) -> None:
        key, state = self._pick(index, EDITABLE, choice)
        if key:
            self._remember_before_change(index, key, state)
            self.devices[index].update(key[0], key[1], self.time(index), **{EDITABLE[key[0]]: f"改{value}"})

    def do_edit_shared(self, index: int, choice: int, value: int) -> None:
        key = self.shared[choice % len(self.shared)]
        state = self.state(index)
        self._remember_before_change(index, key, state)
        self.devices[index].update(key[0], key[1], self.time(index), **{EDITABLE[key[0]]: f"共改{value}"})

    def do_delete(self, index: int, choice: int) -> None:
        key, state = self._pick(index, DELETABLE, choice, live_only=True)
        if key:
            self._remember_before_change(index, key, state)
            self.devices[index].delete(key[0], key[1], self.time(index))

    def do_void(self, index: int, choice: int) -> None:
        key, state = self._pick(index, ("notice",), choice)
        if key and state[key]["status"] == "issued":
            self._remember_before_change(index, key, state)
            self.devices[index].update("notice", key[1], self.time(index), status="voided", void_reason="作废")

    def do_sync(self, source: int, target: int, since_last: bool, twice: bool) -> None:
        if source == target:
            return
        file = self.devices[source].export(since_last=since_last, target=f"d{target}")
        self.merge(target, file, self.knowledge_in(source, file), twice)

    def knowledge_in(self, source: int, file) -> dict[tuple[str, str], tuple[dict, set[str]]]:
        """What the file carries: each row and the versions its laptop knew of it (the model's view)."""
        rows = file_rows(file)
        return {key: (row, self.known[source].get(key, set()) | {digest(key[0], row)}) for key, row in rows.items()}

    def merge(self, target: int, file, carried, twice: bool = False) -> None:
        device, before = self.devices[target], self.state(target)
        report = device.merge(file)
        reported = sorted((c.table, c.row_id) for c in report.conflicts)
        assert reported == sorted(self.expected_conflicts(target, before, carried)), report.lines()
        for key, (row, versions) in carried.items():
            self.known[target].setdefault(key, set()).update(versions)
            if key in before:
                self.known[target][key].add(digest(key[0], before[key]))
        for key, row in self.state(target).items():  # photo tombstones the merge made
            if key in before and digest(key[0], row) != digest(key[0], before[key]):
                self.known[target].setdefault(key, set()).update({digest(key[0], row), digest(key[0], before[key])})
        if twice:
            fingerprint = device.fingerprint()
            again = device.merge(file)
            assert again.changes == 0 and again.conflicts == [] and device.fingerprint() == fingerprint

    def expected_conflicts(self, target: int, before, carried) -> list[tuple[str, str]]:
        expected = []
        for key, (theirs, their_versions) in carried.items():
            mine = before.get(key)
            if mine is None or digest(key[0], mine) == digest(key[0], theirs):
                continue
            if mine["deleted_at"] and theirs["deleted_at"]:
                continue
            my_versions = self.known[target].get(key, set()) | {digest(key[0], mine)}
            known = digest(key[0], theirs) in my_versions
            descends = digest(key[0], mine) in their_versions
            wins = order_key(key[0], theirs) > order_key(key[0], mine)
            if (not known and not descends) or (descends and not known and not wins) or (known and not descends and wins):
                expected.append(key)
        return expected


def file_rows(path) -> dict[tuple[str, str], dict]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = {}
        for table in TABLES:
            cursor = connection.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            rows.update({(table, row[0]): dict(zip(names, row)) for row in cursor})
        return rows
    finally:
        connection.close()


def expected_final(world: World) -> dict[tuple[str, str], dict]:
    """Greatest version of every row any laptop holds, then the photo rule: one live row per picture."""
    final: dict[tuple[str, str], dict] = {}
    for index in range(len(world.devices)):
        for key, row in world.state(index).items():
            if key not in final or order_key(key[0], row) > order_key(key[0], final[key]):
                final[key] = row
    groups: dict[tuple, list[dict]] = {}
    for (table, _), row in final.items():
        if table == "photo":
            groups.setdefault((row["finding_id"], row["kind"], row["original_sha256"]), []).append(row)
    for members in groups.values():
        canonical = min(members, key=lambda r: (r["created_at"], r["id"]))
        for row in members:
            if row is not canonical and not row["deleted_at"]:
                final[("photo", row["id"])] = row | {"deleted_at": row["updated_at"]}
    return final


def check_history(count: int, skews: list[int], ops) -> None:
    folder = fast_tmp_dir()
    try:
        world = World(folder, count, skews)
        for op in ops:
            world.run(op)
        expected = expected_final(world)
        files = [device.export() for device in world.devices]
        check_commutative_and_order_free(world, files, folder)
        hub = world.devices[0]
        hub.merge(*files[1:])
        everything = hub.export()
        for device in world.devices[1:]:
            device.merge(everything)
        fingerprints = {device.fingerprint() for device in world.devices}
        assert len(fingerprints) == 1
        for index in range(count):
            state = world.state(index)
            assert set(state) == set(expected)  # every row ever created, nothing more
            assert state == expected
            live_pictures = [(r["finding_id"], r["kind"], r["original_sha256"]) for (t, _), r in state.items()
                             if t == "photo" and not r["deleted_at"]]
            assert len(live_pictures) == len(set(live_pictures))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def check_commutative_and_order_free(world: World, files, folder) -> None:
    first, second = world.devices[0], world.devices[1]
    a_then_b = first.clone(folder / "ab")
    a_then_b.merge(files[1])
    b_then_a = second.clone(folder / "ba")
    b_then_a.merge(files[0])
    assert a_then_b.fingerprint() == b_then_a.fingerprint()
    if len(files) < 3:
        return
    results = set()
    for number, order in enumerate(list(permutations(files))[:3]):
        copy = first.clone(folder / f"order{number}")
        for file in order:
            copy.merge(file)
        results.add(copy.fingerprint())
    together = first.clone(folder / "together")
    together.merge(*reversed(files))
    results.add(together.fingerprint())
    assert len(results) == 1


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(skews=st.lists(st.integers(-15, 15), min_size=2, max_size=2), ops=operations(2))
def test_two_laptops(skews, ops):
    check_history(2, skews, ops)


@SETTINGS
@given(skews=st.lists(st.integers(-15, 15), min_size=3, max_size=3), ops=operations(3))
def test_three_laptops(skews, ops):
    check_history(3, skews, ops)


def test_a_known_tricky_history_three_laptops_with_clocks_that_tie():
    ops = [("create", 0, "enterprise", 0), ("create", 0, "inspection", 0), ("create", 0, "finding", 0),
           ("sync", 0, 1, False, False), ("sync", 0, 2, True, False), ("create", 1, "photo", 0),
           ("create", 2, "photo", 0), ("edit", 1, 2, 1), ("edit", 2, 2, 2), ("sync", 1, 0, True, True),
           ("delete", 0, 3), ("sync", 2, 0, True, False), ("sync", 0, 1, True, True)]
    check_history(3, [0, 10, -10], ops)
    assert stamp(0) < stamp(1)
