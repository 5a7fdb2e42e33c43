"""The core stays Qt-free; only inspector/ui imports PySide6; nothing heavy at import time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "inspector"
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_only_ui_imports_qt():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts:
            continue
        qt = [name for name in imported_modules(path) if name.split(".")[0] in QT_MODULES]
        if qt:
            offenders.append(f"{path.relative_to(PACKAGE)}: {qt}")
    assert offenders == []


def test_core_and_cli_run_without_loading_qt(tmp_path):
    code = (
        "import sys, runpy, importlib, pkgutil\n"
        "import inspector.core, inspector.db\n"
        "for pkg in (inspector.core, inspector.db):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "from inspector.cli import main\n"
        f"main(['--data-dir', r'{tmp_path}', 'checklists', '--json'])\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_importing_the_package_does_no_heavy_work():
    code = (
        "import sys, inspector, inspector.cli, inspector.services\n"
        "heavy = [m for m in ('sqlmodel', 'sqlalchemy', 'reportlab', 'PIL', 'PySide6', 'yaml') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_building_the_main_window_leaves_the_database_layer_to_the_background(tmp_path):
    """The window appears before sqlmodel/SQLAlchemy (~0.8 s to import) or the database are touched."""
    code = (
        "import os, sys\n"
        "os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')\n"
        "from inspector.services import Services\n"
        "from inspector.ui.application import create_application, open_main_window\n"
        "app = create_application()\n"
        f"services = Services(r'{tmp_path}')\n"
        "window = open_main_window(services)\n"
        "heavy = [m for m in ('sqlmodel', 'sqlalchemy', 'reportlab', 'openpyxl') if m in sys.modules]\n"
        "assert not heavy and 'db' not in services.__dict__, (heavy, list(services.__dict__))\n"
        "window.tasks.wait()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
