"""YAML read with limits: alias bombs, deep nesting and big files refused fast, naming the file."""

from __future__ import annotations

import time

import pytest

from inspector.core.common.bounded_yaml import YamlLimitError, load_yaml_bounded


def bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("text, words", [
    (bomb(), "别名展开"),
    ("a: " + "[" * 100_000 + "]" * 100_000, "嵌套过深"),
    ("\n".join(f"k{i}: &x{i} 1\nv{i}: *x{i}" for i in range(200)), "别名（*引用）过多"),
    ("x: " + "y" * 1_100_000, "文件过大"),
])
def test_hostile_yaml_is_refused_in_well_under_a_second(tmp_path, text, words):
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(YamlLimitError) as refused:
        load_yaml_bounded(path)
    assert time.perf_counter() - started < 5  # generous for a loaded machine; unbounded it takes minutes
    assert "hostile.yaml" in refused.value.message and words in refused.value.message


def test_ordinary_yaml_with_a_few_aliases_loads(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("base: &b {a: 1, b: [1, 2]}\nfirst: *b\nsecond: *b\n", encoding="utf-8")
    assert load_yaml_bounded(path) == {"base": {"a": 1, "b": [1, 2]}, "first": {"a": 1, "b": [1, 2]},
                                       "second": {"a": 1, "b": [1, 2]}}


def test_the_bundled_checklists_are_within_the_limits():
    from inspector.paths import bundled_checklists_dir

    for path in bundled_checklists_dir().glob("*.yaml"):
        assert isinstance(load_yaml_bounded(path), dict)
