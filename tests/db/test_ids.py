"""New record ids are time-ordered UUIDs (version 7, RFC 9562); the sync rules take them as any canonical UUID,
as older releases do, and still refuse what is no UUID."""

from __future__ import annotations

import sqlite3
import time
import uuid

import pytest

from inspector.cli import main
from inspector.core.sync.rules import Bounds, first_problem, is_uuid
from inspector.db.ids import new_id

NOT_UUIDS = ["", "abc", "0195d2a4-5b6c-7d8e-9f01-23456789abc", "0195d2a4-5b6c-7d8e-9f01-23456789abcde",
             "0195D2A4-5B6C-7D8E-9F01-23456789ABCD", "{0195d2a4-5b6c-7d8e-9f01-23456789abcd}",
             "0195d2a45b6c7d8e9f0123456789abcd", "0195d2a4-5b6c-7d8e-9f01-23456789abcg", "0195d2a4_5b6c_7d8e_9f01_23456789abcd",
             " 0195d2a4-5b6c-7d8e-9f01-23456789abcd", None, 12]


def test_new_ids_are_version_7_uuids_in_creation_order():
    before = time.time_ns() // 1_000_000
    ids = [new_id() for _ in range(20_000)]
    after = time.time_ns() // 1_000_000
    assert len(set(ids)) == len(ids) and ids == sorted(ids)  # increasing, within a millisecond too
    for text in ids[::97]:
        parsed = uuid.UUID(text)
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122 and str(parsed) == text
        assert before <= parsed.int >> 80 <= after  # the first 48 bits: the creation time in ms


def test_the_sync_rules_accept_version_7_and_version_4_ids_and_refuse_what_is_no_uuid():
    assert is_uuid(new_id()) and is_uuid(str(uuid.uuid4()))
    assert not any(is_uuid(text) for text in NOT_UUIDS)
    columns = ("id", "reinspection_id", "finding_id", "outcome")
    row = (new_id(), new_id(), str(uuid.uuid4()), "rectified")  # a v7 row referring to a v4 one: ids mix
    assert first_problem("reinspection_item", columns, [row], Bounds.now()) is None
    for bad in NOT_UUIDS[:9]:
        problem = first_problem("reinspection_item", columns, [(bad, *row[1:])], Bounds.now())
        assert problem is not None and problem.column == "id" and "UUID" in problem.reason, bad


@pytest.fixture
def laptops(tmp_path):
    """Two laptops: A with records typed in through the app (their ids from ``new_id``), B with a demo."""
    from inspector.core.records.enterprises import create_enterprise
    from inspector.services import Services

    a, b = tmp_path / "a", tmp_path / "b"
    services = Services(a)
    made = [create_enterprise(services.db, name=f"兴国县第{n}号机械有限公司").id for n in range(5)]
    services.close()
    assert main(["--data-dir", str(b), "demo", "--inspections", "3", "--history-only"]) == 0
    return a, b, made


def test_records_made_by_the_app_get_version_7_ids_and_merge_into_another_laptop(laptops, tmp_path):
    a, b, made = laptops
    assert all(uuid.UUID(text).version == 7 for text in made) and made == sorted(made)
    assert main(["--data-dir", str(a), "export", "--out", str(tmp_path / "a.db")]) == 0
    assert main(["--data-dir", str(b), "merge", str(tmp_path / "a.db")]) == 0
    connection = sqlite3.connect(b / "inspector.db")
    merged = [row_id for (row_id,) in connection.execute("SELECT id FROM enterprise WHERE id IN (%s) ORDER BY id"
                                                         % ", ".join("?" * len(made)), made)]
    history = connection.execute("SELECT id FROM sync_log").fetchall()
    connection.close()
    assert merged == made
    assert history and all(uuid.UUID(row_id).version == 7 for (row_id,) in history)  # the merge's own ids too
    assert main(["--data-dir", str(b), "check"]) == 0


def test_short_ids_are_the_random_digits_of_a_version_7_id_and_the_first_of_an_old_one():
    from inspector.db.ids import short_id

    made = [new_id() for _ in range(2000)]  # within a few ms: their first 8 digits are the same time
    assert len({text[:8] for text in made}) < 5 and len({short_id(text) for text in made}) == len(made)
    assert all(short_id(text) == text[-8:] for text in made)
    old = "3f2b8c1d-0a9e-4c7b-9d2e-5a6b7c8d9e0f"  # version 4: printed ledger numbers stay as they were
    assert short_id(old) == "3f2b8c1d"


def test_a_new_laptop_gets_a_random_device_id(services):
    device = uuid.UUID(services.db.device_id)  # typed by its first 8 digits: never the time of its setting up
    assert device.version == 4 and str(device) == services.db.device_id
