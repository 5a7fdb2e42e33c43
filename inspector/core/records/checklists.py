"""Load and validate sector checklists from YAML files, against the source registry.

``sources.yaml`` (the registry of laws and standards, see :mod:`checklist_sources`) is read
first; every other YAML file is a checklist whose items cite registry keys. A bad file is
reported (file, item, field and line) and skipped; the others load.
Checklists are versioned: :func:`snapshot_of` gives the exact content an inspection
used, keyed by a content-derived id, so old inspections keep their item texts.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from inspector.core.records.checklist_model import SECTORS, Checklist, ChecklistItem, ChecklistSection
from inspector.core.records.checklist_sources import Registry

__all__ = [
    "SECTORS", "Checklist", "ChecklistItem", "ChecklistSection", "ChecklistProblem", "LoadResult", "Registry",
    "REGISTRY_FILE", "load_checklist", "load_checklists", "load_registry", "bundled_registry",
    "snapshot_of", "checklist_from_snapshot",
]

REGISTRY_FILE = "sources.yaml"

MAX_FILE_BYTES = 1_000_000
SNAPSHOT_NAMESPACE = uuid.UUID("6f1c8a52-3f0e-4d8e-9b0c-2d6a1f3e7a10")
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ChecklistProblem:
    file: str
    message: str
    line: int | None = None
    where: str = ""  # item id and field, e.g. "LK-04.basis"

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        where = f" [{self.where}]" if self.where else ""
        return f"{place}{where}: {self.message}"


class ChecklistFileError(Exception):
    def __init__(self, problems: list[ChecklistProblem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass
class LoadResult:
    checklists: list[Checklist] = field(default_factory=list)
    problems: list[ChecklistProblem] = field(default_factory=list)
    registry: Registry | None = None

    def by_id(self, checklist_id: str) -> Checklist:
        for checklist in self.checklists:
            if checklist.id == checklist_id:
                return checklist
        raise KeyError(checklist_id)


def load_checklist(path: Path, registry: Registry | None = None) -> Checklist:
    """Parse and validate one file against ``registry`` (default: the bundled one); raises
    :class:`ChecklistFileError` listing every problem."""
    registry = registry if registry is not None else bundled_registry()
    return _load_model(Path(path), Checklist, {"registry": registry}, "文件内容应为一个检查表（键值映射）")


def load_registry(path: Path) -> Registry:
    """Parse and validate a source registry file (``sources.yaml``)."""
    return _load_model(Path(path), Registry, None, "来源登记表应为键值映射（version、sources）")


def bundled_registry() -> Registry:
    from inspector.paths import bundled_checklists_dir

    return _cached_registry(str(bundled_checklists_dir() / REGISTRY_FILE))


@lru_cache(maxsize=4)
def _cached_registry(path: str) -> Registry:
    return load_registry(Path(path))


def load_checklists(folders: Iterable[Path]) -> LoadResult:
    """Load every YAML file in the folders; a later folder's checklist replaces an earlier one with the same id.

    The registries (``sources.yaml``) of the folders are merged first, a later folder's entries adding to or
    replacing the earlier ones; a registry that does not load is reported and left out.
    """
    folders = [Path(folder) for folder in folders if Path(folder).is_dir()]
    result = LoadResult()
    result.registry = _merged_registry(folders, result.problems)
    if result.registry is None:
        return result
    by_id: dict[str, Checklist] = {}
    for folder in folders:
        for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in YAML_SUFFIXES and p.name != REGISTRY_FILE):
            try:
                checklist = load_checklist(path, result.registry)
            except ChecklistFileError as exc:
                result.problems.extend(exc.problems)
                continue
            by_id[checklist.id] = checklist
    result.checklists = sorted(by_id.values(), key=lambda c: (list(SECTORS).index(c.sector), c.id))
    return result


def _merged_registry(folders: list[Path], problems: list[ChecklistProblem]) -> Registry | None:
    """The bundled registry, with the entries of each folder's own ``sources.yaml`` added or replaced."""
    from inspector.paths import bundled_checklists_dir

    bundled = bundled_checklists_dir() / REGISTRY_FILE
    try:
        merged = bundled_registry()
    except ChecklistFileError as exc:
        problems.extend(exc.problems)
        problems.append(ChecklistProblem(REGISTRY_FILE, "内置来源登记表无法加载，检查表无法校验，均未加载"))
        return None
    for folder in folders:
        path = folder / REGISTRY_FILE
        if not path.is_file() or path.resolve() == bundled.resolve():
            continue
        try:
            registry = load_registry(path)
            merged = Registry.model_validate({"version": registry.version,
                                              "sources": {**merged.sources, **registry.sources}})
        except ChecklistFileError as exc:
            problems.extend(exc.problems)
        except ValidationError as exc:
            problems.append(ChecklistProblem(path.name, f"与内置来源登记表合并失败：{_message(exc.errors()[0])}"))
    return merged


def _load_model(path: Path, model, context: dict | None, not_a_mapping: str):
    name = path.name
    text = _read_text(path)
    root = _compose(text, name)
    lines: dict[tuple, int] = {}
    problems: list[ChecklistProblem] = []
    data = _to_python(root, (), lines, problems, name)
    if problems:
        raise ChecklistFileError(problems)
    if not isinstance(data, dict):
        raise ChecklistFileError([ChecklistProblem(name, not_a_mapping, 1)])
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise ChecklistFileError([_problem(name, error, data, lines) for error in exc.errors()]) from None


def snapshot_of(checklist: Checklist) -> dict[str, Any]:
    """The row that records exactly which checklist content an inspection used."""
    content = checklist.model_dump(mode="json")
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return {
        "id": str(uuid.uuid5(SNAPSHOT_NAMESPACE, digest)),
        "checklist_id": checklist.id,
        "version": checklist.version,
        "title": checklist.title,
        "sector": checklist.sector,
        "content_sha256": digest,
        "content": content,
    }


def checklist_from_snapshot(content: dict[str, Any]) -> Checklist:
    return Checklist.model_validate(content)


# --- parsing helpers -------------------------------------------------------


def _read_text(path: Path) -> str:
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ChecklistFileError([ChecklistProblem(name, f"文件过大（{size} 字节，上限 {MAX_FILE_BYTES}）")])
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ChecklistFileError([ChecklistProblem(name, "文件不是 UTF-8 编码的文本")]) from None
    except OSError as exc:
        raise ChecklistFileError([ChecklistProblem(name, f"无法读取文件：{exc.strerror or exc}")]) from None


def _compose(text: str, name: str):
    import yaml

    from inspector.core.common.bounded_yaml import YamlLimitError, compose_yaml_bounded

    try:
        return compose_yaml_bounded(text, name)  # alias bombs and deep nesting refused in milliseconds
    except YamlLimitError as exc:
        raise ChecklistFileError([ChecklistProblem(name, exc.reason, exc.line)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ChecklistFileError([ChecklistProblem(name, f"YAML 语法错误：{problem}", line)]) from None


def _to_python(node, loc: tuple, lines: dict, problems: list, name: str):
    """Build plain data from YAML nodes, remembering the line of every path and refusing duplicate keys."""
    import yaml

    if node is None:
        return None
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = yaml.SafeLoader(" ").construct_object(key_node) if not isinstance(key_node, yaml.ScalarNode) else key_node.value
            if key in result:
                problems.append(ChecklistProblem(name, f"键 {key!r} 重复", key_node.start_mark.line + 1))
            result[key] = _to_python(value_node, loc + (key,), lines, problems, name)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(child, loc + (i,), lines, problems, name) for i, child in enumerate(node.value)]
    return yaml.SafeLoader(" ").construct_object(node, deep=True)


def _problem(name: str, error: dict, data: dict, lines: dict) -> ChecklistProblem:
    loc = tuple(error["loc"])
    line = None
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            line = lines[loc[:cut]]
            break
    return ChecklistProblem(name, _message(error), line, _where(loc, data))


def _where(loc: tuple, data: dict) -> str:
    """Name the item (by its id) and the field a validation error is about."""
    if len(loc) >= 4 and loc[0] == "sections" and loc[2] == "items":
        try:
            item = data["sections"][loc[1]]["items"][loc[3]]
            item_id = item.get("id", f"第{loc[3] + 1}项") if isinstance(item, dict) else f"第{loc[3] + 1}项"
        except (KeyError, IndexError, TypeError):
            item_id = f"第{loc[3] + 1}项"
        rest = ".".join(str(part) for part in loc[4:])
        return f"{item_id}.{rest}" if rest else str(item_id)
    return ".".join(str(part) for part in loc)


_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段",
    "string_type": "应为文本",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "list_type": "应为列表",
    "dict_type": "应为键值映射",
    "model_type": "应为键值映射",
    "date_type": "应为日期（如 2025-03-01）",
    "date_from_datetime_parsing": "应为日期（如 2025-03-01）",
    "date_parsing": "应为日期（如 2025-03-01）",
    "string_pattern_mismatch": "编号只能用字母、数字、点、横线和下划线",
}


def _message(error: dict) -> str:
    kind = error["type"]
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind in ("string_too_short", "too_short"):
        return "不能为空"
    if kind in ("string_too_long", "too_long"):
        return "内容过长"
    if kind in ("greater_than_equal", "less_than_equal"):
        return "数值超出范围（0–365）"
    message = error.get("msg", kind)
    return message.removeprefix("Value error, ")
