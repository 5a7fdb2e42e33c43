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
