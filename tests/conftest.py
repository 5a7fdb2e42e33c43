"""Shared fixtures: real data directories and databases on disk, one QApplication (pytest-qt)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.file_order import pytest_collection_modifyitems  # noqa: F401 - the slowest files first

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("INSPECTOR_DATA_DIR", None)


def pytest_configure(config):
    """The suite's one process makes hundreds of thousands of Qt calls: guard it as the app guards itself."""
    from inspector.ui.binding_guard import keep_none_alive
    from tests import qt_import_guard

    keep_none_alive()
    qt_import_guard.install()


@pytest.fixture(autouse=True)
def no_qt_import_off_the_gui_thread():
    """A test whose tasks imported a Qt module on a worker thread fails (tests/qt_import_guard.py)."""
    from tests import qt_import_guard

    qt_import_guard.take()
    yield
    seen = qt_import_guard.take()
    assert not seen, "a Qt module was imported off the GUI thread (PySide6 crashes):\n" + "\n".join(seen)


@pytest.fixture
def folder():
    """A scratch folder on tmpfs when there is one (the sync tests write many small databases)."""
    from tests.core.sync.test_sync_support import fast_tmp_dir

    path = fast_tmp_dir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def services(data_dir):
    from inspector.services import Services

    services = Services(data_dir)
    yield services
    services.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """A data directory with the default demo, built once per run; copy it with ``demo_dir``."""
    from inspector.core.demo.generate import build_demo
    from inspector.services import Services

    path = tmp_path_factory.mktemp("demo-template")
    services = Services(path)
    build_demo(services.db, services.checklists.checklists, seed=3, inspections=8)
    services.close()
    return path


@pytest.fixture
def demo_dir(demo_template, tmp_path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(demo_template, target)
    rebind_device(target)
    return target


def rebind_device(data_dir: Path) -> None:
    """Bind a copied test data directory to its new place, keeping the template's device id (as if it had
    been made there), instead of it being re-keyed as a copy with a notice on its first command."""
    import sqlite3

    from inspector.core.common.device_binding import BINDING_KEY, fingerprint

    connection = sqlite3.connect(data_dir / "inspector.db")
    with connection:
        connection.execute("UPDATE local_meta SET value = ? WHERE key = ?", (fingerprint(data_dir), BINDING_KEY))
    connection.close()


@pytest.fixture
def demo_services(demo_dir):
    from inspector.services import Services

    services = Services(demo_dir)
    yield services
    services.close()
