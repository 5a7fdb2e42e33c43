"""The order test files run in (a pytest plugin; tests/conftest.py uses it): the slowest files first.

pytest-xdist's ``--dist loadfile`` hands out whole files in collection order when given
``--no-loadscope-reorder`` (``inspector/bootstrap.py`` passes it; by default it orders them by their number
of tests, which left the one-file .deb test to run last, alone). ``tests/slow_files.txt`` lists the files
that take longest, slowest first (measured: see its header); they come first, the others after them as
collected. The sort is stable, so each file's tests keep their order.
"""

from __future__ import annotations

from pathlib import Path

LIST = Path("tests") / "slow_files.txt"  # from the project root (pytest's rootdir)


def slow_files(root: Path) -> list[str]:
    """The listed paths, from the project root; ``#`` starts a comment."""
    path = root / LIST
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return [entry for entry in (line.split("#", 1)[0].strip() for line in lines) if entry]


def pytest_collection_modifyitems(config, items) -> None:
    rank = {path: index for index, path in enumerate(slow_files(config.rootpath))}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


def file_times(junit_xml: Path, root: Path) -> dict[str, float]:
    """Seconds per test file (setup, call and teardown of its tests) from a ``--junitxml`` report."""
    from xml.etree import ElementTree

    times: dict[str, float] = {}
    for case in ElementTree.parse(junit_xml).getroot().iter("testcase"):
        parts = case.get("classname", "").split(".")
        while parts and not (root / ("/".join(parts) + ".py")).is_file():
            parts.pop()  # a class's name after the module's
        if parts:
            path = "/".join(parts) + ".py"
            times[path] = times.get(path, 0.0) + float(case.get("time") or 0)
    return times


def main(argv: list[str]) -> int:
    """``python -m tests.file_order REPORT.xml [N]``: the N slowest files of a whole run's ``--junitxml``
    report, slowest first, as lines for tests/slow_files.txt."""
    if not argv:
        print(main.__doc__)
        return 2
    root = Path(__file__).resolve().parents[1]
    count = int(argv[1]) if len(argv) > 1 else 30
    for path, seconds in sorted(file_times(Path(argv[0]), root).items(), key=lambda item: -item[1])[:count]:
        print(f"{path}  # {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
