"""Two laptops for the sync tests (each a data folder with its own device id)."""
from __future__ import annotations

import pytest

from tests.core.sync.test_sync_support import Device


@pytest.fixture
def a(folder):
    return Device(folder / "a", "a")


@pytest.fixture
def b(folder):
    return Device(folder / "b", "b")
