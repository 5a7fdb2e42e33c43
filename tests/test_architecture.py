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


# --- layers: which package may import which ---------------------------------------------------
# Each list runs top to bottom: a package may import those listed after it, never those before it.
CORE_ORDER = ["demo", "sync", "reports", "documents", "loop", "photos", "records", "common"]
UI_ORDER = ["setup", "records", "walkthrough", "loop", "reports", "documents", "photos", "sync"]
LAYER_RULES = [  # (importer prefix, forbidden prefix, why)
    ("inspector.core", "inspector.ui", "the core is Qt-free and knows nothing of the UI"),
    ("inspector.core", "inspector.cli", "the core does not know its command line"),
    ("inspector.db", "inspector.core", "the database layer sits below the core"),
    ("inspector.db", "inspector.ui", "the database layer sits below the UI"),
    ("inspector.cli", "inspector.ui", "commands run without Qt"),
]


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Every module of the package under ``root`` -> the package modules it imports (lazy imports too)."""
    paths = {module_name(root, path): path for path in root.rglob("*.py")}

    def resolve(name: str) -> str:
        while name and name not in paths:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        package = package.rpartition(".")[0]
                    base = f"{package}.{base}" if base else package
                targets.add(base)
                targets.update(f"{base}.{alias.name}" for alias in node.names)
        resolved = {resolve(name) for name in targets if name.split(".")[0] == root.name}
        graph[module] = {name for name in resolved if name and name != module and not module.startswith(name + ".")}
    return graph


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in graph.items():
        for target in targets:
            found += [f"{module} -> {target}: {why}" for importer, forbidden, why in LAYER_RULES
                      if module.startswith(importer + ".") or module == importer
                      if target.startswith(forbidden + ".") or target == forbidden]
            for prefix, order in (("inspector.core.", CORE_ORDER), ("inspector.ui.", UI_ORDER)):
                mine, theirs = _capability(module, prefix, order), _capability(target, prefix, order)
                if mine and theirs and order.index(theirs) < order.index(mine):
                    found.append(f"{module} -> {target}: {mine} may not import {theirs}, which sits above it"
                                 f" ({' > '.join(order)})")
    return sorted(found)


def _capability(module: str, prefix: str, order: list[str]) -> str | None:
    if not module.startswith(prefix):
        return None
    name = module[len(prefix):].split(".")[0]
    return name if name in order else None


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph.get(module, ()):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return cycles


def test_packages_import_only_downwards():
    assert layer_violations(import_graph(PACKAGE)) == []


def test_no_import_cycles():
    assert import_cycles(import_graph(PACKAGE)) == []


def test_every_capability_package_is_in_its_order_and_says_what_it_owns():
    for folder, order in ((PACKAGE / "core", CORE_ORDER), (PACKAGE / "ui", UI_ORDER)):
        packages = sorted(path.parent.name for path in folder.glob("*/__init__.py"))
        assert sorted(order) == packages
        for name in packages:
            assert ast.get_docstring(ast.parse((folder / name / "__init__.py").read_text(encoding="utf-8")))
    assert len([path for path in (PACKAGE / "core").iterdir() if path.name != "__pycache__"]) <= 10


def _write_package(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / "inspector" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in (root / "inspector").rglob("*"):
        if folder.is_dir() and not (folder / "__init__.py").exists():
            (folder / "__init__.py").write_text('"""x"""\n', encoding="utf-8")
    (root / "inspector" / "__init__.py").touch()
    return root / "inspector"


def test_the_rules_catch_a_deliberately_wrong_import(tmp_path):
    package = _write_package(tmp_path, {
        "core/records/inspections.py": "def f():\n    from inspector.core.loop import hazards\n",  # upwards, lazily
        "core/loop/hazards.py": "from ..records import inspections\n",
        "db/models.py": "from inspector.core.common import clock\n",
        "core/common/clock.py": "from inspector.ui import tasks\n",
        "ui/tasks.py": "",
        "ui/photos/strip.py": "from inspector.ui.walkthrough import editor\n",
        "ui/walkthrough/editor.py": "from inspector.ui.photos import strip\n",
    })
    graph = import_graph(package)
    violations = layer_violations(graph)
    assert any(v.startswith("inspector.core.records.inspections -> inspector.core.loop.hazards: records may not")
               for v in violations)
    assert any(v.startswith("inspector.db.models -> inspector.core.common.clock") for v in violations)
    assert any(v.startswith("inspector.core.common.clock -> inspector.ui.tasks") for v in violations)
    assert any(v.startswith("inspector.ui.photos.strip -> inspector.ui.walkthrough.editor") for v in violations)
    assert not any(v.startswith("inspector.core.loop.hazards") for v in violations)  # downwards is fine
    assert sorted(map(sorted, import_cycles(graph))) == [
        ["inspector.core.loop.hazards", "inspector.core.records.inspections"],
        ["inspector.ui.photos.strip", "inspector.ui.walkthrough.editor"],
    ]
