"""Offline numbering: per-device blocks, lowest unused number, never reused, reports after merges."""

from __future__ import annotations

import threading

import pytest

from inspector.core.documents import numbering
from inspector.errors import UserError

PREFIX = "（兴）应急责改"


def draw(db, kind="order", prefix=PREFIX, year=2025) -> int:
    with numbering.write_session(db) as session:
        return numbering.draw_number(session, kind=kind, prefix=prefix, year=year, device_id=db.device_id).seq


def copy_numbers(source, target) -> None:
    """What a sync merge does to document numbers: rows arrive unchanged, ids kept."""
    from sqlmodel import select

    from inspector.db.models import DocumentNumber

    with source.session() as session:
        rows = [row.model_dump() for row in session.exec(select(DocumentNumber)).all()]
    with target.session() as session:
        for row in rows:
            session.add(DocumentNumber(**row))


@pytest.fixture
def two_devices(tmp_path):
    from inspector.services import Services

    laptops = [Services(tmp_path / name) for name in ("laptop-a", "laptop-b")]
    yield [s.db for s in laptops]
    for services in laptops:
        services.close()


def test_draws_the_lowest_unused_number_of_this_devices_blocks(services):
    db = services.db
    numbering.add_block(db, kind="order", prefix=PREFIX, year=2025, first=11, last=12)
    numbering.add_block(db, kind="order", prefix=PREFIX, year=2025, first=1, last=2)
    assert [draw(db) for _ in range(4)] == [1, 2, 11, 12]
    with pytest.raises(UserError, match="已用完") as error:
        draw(db)
    assert "号段" in error.value.message and db.device_id in error.value.message


def test_no_block_explains_how_to_get_one(services):
    db = services.db
    numbering.add_block(db, kind="order", prefix=PREFIX, year=2024, first=1, last=5)  # another year
    numbering.add_block(db, kind="order", prefix=PREFIX, year=2025, first=6, last=9, device_id="other-laptop")
    with pytest.raises(UserError) as error:
        draw(db)
    assert "没有2025年" in error.value.message and "文书设置" in error.value.message
    assert "inspector numbers block add" in error.value.message


def test_a_voided_number_is_never_drawn_again(services):
    db = services.db
    numbering.add_block(db, kind="order", prefix=PREFIX, year=2025, first=1, last=10)
    assert [draw(db) for _ in range(3)] == [1, 2, 3]
    from sqlmodel import select

    from inspector.db.models import DocumentNumber

    with db.session() as session:
        second = session.exec(select(DocumentNumber).where(DocumentNumber.seq == 2)).one()
    voided = numbering.void_number(db, second.id, "打印时卡纸，文书作废")
    assert voided.voided_at is not None and voided.void_reason == "打印时卡纸，文书作废" and voided.rev == 2
    assert draw(db) == 4
    with pytest.raises(UserError, match="已于此前作废"):
        numbering.void_number(db, second.id, "再次作废")
    with pytest.raises(UserError, match="原因"):
        numbering.void_number(db, second.id, "  ")


def test_overlapping_blocks_are_refused_within_a_series(services):
    db = services.db
    numbering.add_block(db, kind="order", prefix=PREFIX, year=2025, first=1, last=50)
    with pytest.raises(UserError, match="重叠"):
        numbering.add_block(db, kind="order", prefix=PREFIX, year=2025, first=50, last=60, device_id="other")
    numbering.add_block(db, kind="order", prefix=PREFIX, year=2026, first=1, last=50)  # other year: fine
    numbering.add_block(db, kind="park", prefix="兴经开安改", year=2025, first=1, last=50)  # other kind: fine
    with pytest.raises(UserError, match="无效"):
        numbering.add_block(db, kind="order", prefix=PREFIX, year=2025, first=80, last=70)
    with pytest.raises(UserError, match="未知的文书种类"):
        numbering.add_block(db, kind="letter", prefix=PREFIX, year=2025, first=100, last=110)


def test_two_devices_with_their_own_blocks_never_collide(two_devices):
    a, b = two_devices
    for db in (a, b):  # the office hands out blocks to both device ids; they travel by sync
        numbering.add_block(db, kind="order", prefix=PREFIX, year=2025, first=1, last=5, device_id=a.device_id)
        numbering.add_block(db, kind="order", prefix=PREFIX, year=2025, first=6, last=10, device_id=b.device_id)
    drawn_a = [draw(a) for _ in range(3)]
    drawn_b = [draw(b) for _ in range(4)]
    assert drawn_a == [1, 2, 3] and drawn_b == [6, 7, 8, 9]
    copy_numbers(b, a)
    report = {(r.kind, r.year): r for r in numbering.number_report(a)}[("order", 2025)]
    assert report.used == 7 and report.highest == 9 and report.duplicates == ()
    assert report.gaps == ((4, 5),) and report.clean


def test_overlapping_blocks_made_apart_show_up_as_duplicates_after_a_merge(two_devices):
    a, b = two_devices
    numbering.add_block(a, kind="order", prefix=PREFIX, year=2025, first=1, last=5)
    numbering.add_block(b, kind="order", prefix=PREFIX, year=2025, first=3, last=8)
    [draw(a) for _ in range(4)]  # 1..4
    [draw(b) for _ in range(2)]  # 3, 4
    copy_numbers(b, a)
    report = numbering.number_report(a)[0]
    assert [d.seq for d in report.duplicates] == [3, 4]
    assert set(report.duplicates[0].device_ids) == {a.device_id, b.device_id}
    assert not report.clean


def test_numbers_another_device_used_are_skipped_even_inside_this_devices_block(two_devices):
    a, b = two_devices
    numbering.add_block(b, kind="order", prefix=PREFIX, year=2025, first=1, last=3, device_id=b.device_id)
    assert draw(b) == 1
    numbering.add_block(a, kind="order", prefix=PREFIX, year=2025, first=1, last=3)  # a mistake made offline
    copy_numbers(b, a)
    assert draw(a) == 2


def test_gaps_are_listed_as_ranges(services):
    db = services.db
    numbering.add_block(db, kind="park", prefix="兴经开安改", year=2025, first=1, last=3)
    numbering.add_block(db, kind="park", prefix="兴经开安改", year=2025, first=7, last=7)
    numbering.add_block(db, kind="park", prefix="兴经开安改", year=2025, first=10, last=12)
    assert [draw(db, "park", "兴经开安改") for _ in range(5)] == [1, 2, 3, 7, 10]
    report = numbering.number_report(db)[0]
    assert report.gaps == ((4, 6), (8, 9)) and report.highest == 10


def test_blocks_list_their_use_and_can_be_withdrawn(services):
    db = services.db
    block = numbering.add_block(db, kind="order", prefix=PREFIX, year=2025, first=1, last=10, note="县局下发")
    numbering.add_block(db, kind="order", prefix=PREFIX, year=2025, first=11, last=20, device_id="other")
    draw(db), draw(db)
    mine = numbering.list_blocks(db, db.device_id)
    assert [(b.first, b.last, b.used, b.remaining, b.note) for b in mine] == [(1, 10, 2, 8, "县局下发")]
    assert len(numbering.list_blocks(db)) == 2
    numbering.remove_block(db, block.id)
    assert numbering.list_blocks(db, db.device_id) == []
    with pytest.raises(UserError, match="没有2025年"):
        draw(db)


def test_concurrent_issuers_on_one_laptop_get_distinct_numbers(services):
    db = services.db
    numbering.add_block(db, kind="order", prefix=PREFIX, year=2025, first=1, last=100)
    drawn: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(8):
                drawn.append(draw(db))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(drawn) == list(range(1, 25))


def test_series_prefix_follows_the_document_configuration():
    from inspector.core.documents import load_config

    config = load_config()
    assert numbering.series_prefix(config, "order") == "（兴）应急责改"
    assert numbering.series_prefix(config, "park") == "兴经开安改"
    changed = load_config(overrides={"authority": {"abbreviation": "赣"}})
    assert numbering.series_prefix(changed, "record") == "（赣）应急检记"
