"""YAML read with limits: size, nesting depth, aliases and the size the aliases expand to.

PyYAML's safe loader happily expands a "billion laughs" alias bomb (1 KB of text, gigabytes of
memory) and recurses once per nesting level (a deep file ends the process with RecursionError).
Here the event stream is checked first, without building anything and without recursion; a file
over a limit is refused with :class:`YamlLimitError` in well under a second, naming the file.
"""

from __future__ import annotations

from pathlib import Path

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_ALIASES = 100
MAX_NODES = 200_000  # nodes after expanding every alias


class YamlLimitError(ValueError):
    """A YAML text over a limit: ``reason`` says which, ``message`` is one Chinese sentence naming the file."""

    def __init__(self, name: str, reason: str, line: int | None = None):
        self.name, self.reason, self.line = name, reason, line
        self.message = f"{name}{f' 第 {line} 行' if line else ''}：{reason}，已跳过该文件。"
        super().__init__(self.message)


def safe_loader():
    """libyaml's safe loader when PyYAML has it (the C parser: the bundled checklists 0.49 -> ~0.1 s), else
    PyYAML's own; both give the same nodes and line marks."""
    import yaml

    return getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


def check_yaml_limits(text: str, name: str, *, max_depth: int = MAX_DEPTH, max_aliases: int = MAX_ALIASES,
                      max_nodes: int = MAX_NODES, max_bytes: int = MAX_BYTES) -> None:
    """Raise :class:`YamlLimitError` if ``text`` is too big, too deep or expands too far (yaml.YAMLError if invalid)."""
    import yaml

    if len(text.encode("utf-8")) > max_bytes:
        raise YamlLimitError(name, f"文件过大（上限 {max_bytes} 字节）")
    try:
        _count_events(yaml, text, name, max_depth, max_aliases, max_nodes)
    except yaml.YAMLError as exc:  # libyaml stops at 1,000 levels by itself, before this check's own limit
        if "nesting depth" not in str(exc):
            raise
        mark = getattr(exc, "problem_mark", None)
        raise YamlLimitError(name, f"嵌套过深（上限 {max_depth} 层）", mark.line + 1 if mark else None) from None


def _count_events(yaml, text: str, name: str, max_depth: int, max_aliases: int, max_nodes: int) -> None:
    sizes: dict[str, int] = {}  # anchor -> nodes it stands for, aliases inside it expanded
    open_anchors: list[tuple[str | None, int]] = []  # collections being read: (anchor, nodes before it)
    nodes = aliases = 0
    for event in yaml.parse(text, Loader=safe_loader()):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > max_aliases:
                raise YamlLimitError(name, f"别名（*引用）过多（上限 {max_aliases} 个）", line)
            nodes += sizes.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            nodes += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            nodes += 1
            open_anchors.append((event.anchor, nodes))
            if len(open_anchors) > max_depth:
                raise YamlLimitError(name, f"嵌套过深（上限 {max_depth} 层）", line)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, before = open_anchors.pop()
            if anchor:
                sizes[anchor] = nodes - before + 1
        if nodes > max_nodes:
            raise YamlLimitError(name, f"别名展开后内容过多（超过 {max_nodes} 个节点，可能是“别名炸弹”）", line)


def read_yaml_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The file's text, refusing a file over ``max_bytes`` before reading it (OSError, UnicodeDecodeError pass)."""
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise YamlLimitError(path.name, f"文件过大（{size} 字节，上限 {max_bytes} 字节）")
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise YamlLimitError(path.name, f"文件过大（上限 {max_bytes} 字节）")
    return data.decode("utf-8-sig")


def compose_yaml_bounded(text: str, name: str, **limits):
    """The YAML node tree (with line marks) of a text within the limits."""
    import yaml

    check_yaml_limits(text, name, **limits)
    return yaml.compose(text, Loader=safe_loader())


def load_yaml_bounded(path: Path, **limits):
    """Plain data from a YAML file within the limits (safe loader: no Python objects)."""
    import yaml

    path = Path(path)
    text = read_yaml_text(path, limits.pop("max_bytes", MAX_BYTES))
    check_yaml_limits(text, path.name, **limits)
    return yaml.load(text, Loader=safe_loader())  # noqa: S506 - SafeLoader, limits checked above
