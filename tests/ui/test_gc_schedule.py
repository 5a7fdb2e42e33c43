"""The GUI thread's garbage collector: collects cycles when nothing runs in the background, leaves a
busy worker's live rows alone (no stall), and never lets cyclic garbage grow without bound."""

from __future__ import annotations

import gc
import weakref

import pytest

from inspector.ui import application, tasks


class Node:
    def __init__(self):
        self.me = self  # a cycle: only the cyclic collector frees it


def cycles(count: int) -> list:
    made = [Node() for _ in range(count)]
    refs = [weakref.ref(node) for node in made]
    del made
    return refs


@pytest.fixture
def collector():
    was_enabled = gc.isenabled()
    others = list(tasks._RUNNING)  # earlier tests' windows may still have tasks out
    tasks._RUNNING.clear()
    gc.disable()
    gc.collect()
    yield application.GuiThreadCollector()
    tasks._RUNNING.clear()
    tasks._RUNNING.update(others)
    if was_enabled:
        gc.enable()


def alive(refs) -> int:
    return sum(ref() is not None for ref in refs)


def test_cycles_are_collected_when_no_task_runs(collector):
    refs = cycles(5000)
    for _ in range(3):
        collector.collect()
    assert alive(refs) == 0


def test_a_running_task_defers_collection_until_the_young_generation_is_huge(collector, monkeypatch):
    task = Node()
    tasks._RUNNING.add(task)  # a background task has not reported yet
    refs = cycles(5000)
    collector.collect()
    assert alive(refs) == 5000  # nothing traversed while the worker works
    monkeypatch.setattr(application, "BUSY_YOUNG_LIMIT", 1000)
    collector.collect()
    assert alive(refs) == 0  # bounded: past the limit it collects anyway
    tasks._RUNNING.clear()


def test_a_full_collection_not_yet_due_is_not_asked_again_every_tick(collector, monkeypatch):
    """The oldest generation's count stays over its threshold while a full collection is not due (the
    heap grew by less than a quarter): the collector asked every 100 ms tick how many objects the
    oldest generation holds (``gc.get_objects(2)``: the whole heap, 50–100 ms in a long test run, so the
    heartbeat of the GUI scenario never saw a quiet moment and the suite hung)."""
    asked, collected = [], []
    monkeypatch.setattr(gc, "get_count", lambda: (0, 0, 50))  # many generation-1 collections since the last full
    monkeypatch.setattr(gc, "get_objects", lambda generation=None: asked.append(generation) or [])
    monkeypatch.setattr(gc, "collect", lambda generation=2: collected.append(generation) or 0)
    collector.long_lived = 1_000_000  # the last full collection kept many: an empty heap is not a quarter more
    for _ in range(50):  # five seconds of ticks
        collector.collect()
    assert len(asked) <= 2
    assert collected and set(collected) == {1}  # the younger generations are still collected
