"""The slowest test files start first under pytest-xdist (tests/file_order.py, tests/slow_files.txt,
``inspector.bootstrap.parallel_arguments``), so the workers finish together."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from inspector import bootstrap
from tests import file_order

ROOT = Path(__file__).resolve().parents[1]


def test_every_listed_slow_file_is_a_test_file_listed_once():
    listed = file_order.slow_files(ROOT)
    assert listed and len(set(listed)) == len(listed)
    assert [path for path in listed if not (ROOT / path).is_file() or not Path(path).name.startswith("test_")] == []


def test_the_listed_files_come_first_in_the_lists_order_the_others_as_collected(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "slow_files.txt").write_text("# slowest first\ntests/c.py  # 90 s\n\ntests/b.py\n")
    ids = ["tests/a.py::one", "tests/b.py::one", "tests/b.py::two", "tests/c.py::one", "tests/d.py::one",
           "tests/c.py::two"]
    items = [SimpleNamespace(nodeid=nodeid) for nodeid in ids]
    file_order.pytest_collection_modifyitems(SimpleNamespace(rootpath=tmp_path), items)
    assert [item.nodeid for item in items] == ["tests/c.py::one", "tests/c.py::two", "tests/b.py::one",
                                               "tests/b.py::two", "tests/a.py::one", "tests/d.py::one"]


def test_xdist_starts_the_listed_file_first_with_the_readmes_arguments(tmp_path, monkeypatch):
    """A real two-worker run: the listed file has the fewest tests, which xdist's own order puts last."""
    monkeypatch.setattr(bootstrap.os, "cpu_count", lambda: 2)
    arguments = bootstrap.parallel_arguments([])
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "slow_files.txt").write_text("tests/test_d.py\n")
    for name, count in (("a", 5), ("b", 4), ("c", 3), ("d", 1)):
        tests = "".join(f"def test_{n}():\n    record({name!r})\n\n\n" for n in range(count))
        (tmp_path / "tests" / f"test_{name}.py").write_text(RECORDING + tests)
    first = {worker: files[0] for worker, files in run_and_read(tmp_path, arguments).items()}
    assert sorted(first.values()) == ["a", "d"]  # the listed file, then the first collected (not b: by count)


RECORDING = '''import os


def record(name):
    with open(os.environ["ORDER_LOG"], "a") as log:
        log.write(os.environ["PYTEST_XDIST_WORKER"] + " " + name + "\\n")


'''


def run_and_read(folder: Path, arguments: list[str]) -> dict[str, list[str]]:
    log = folder / "order.log"
    log.unlink(missing_ok=True)
    env = {**os.environ, "ORDER_LOG": str(log), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.file_order",
                           "--rootdir", str(folder), "-c", os.devnull, *arguments, "tests"],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    runs: dict[str, list[str]] = {}
    for line in log.read_text().splitlines():
        worker, name = line.split()
        runs.setdefault(worker, []).append(name)
    return runs


def test_the_list_is_made_from_a_junit_report(tmp_path, capsys):
    report = tmp_path / "junit.xml"
    report.write_text('<testsuites><testsuite>'
                      '<testcase classname="tests.pg.test_server_fixtures" name="a" time="2.5"/>'
                      '<testcase classname="tests.test_cli.TestNothing" name="b" time="1"/>'
                      '<testcase classname="tests.pg.test_server_fixtures" name="c" time="1.5"/>'
                      '<testcase classname="tests.test_cli" name="d" time="0.25"/>'
                      '</testsuite></testsuites>')
    assert file_order.file_times(report, ROOT) == {"tests/pg/test_server_fixtures.py": 4.0, "tests/test_cli.py": 1.25}
    assert file_order.main([str(report), "1"]) == 0
    assert capsys.readouterr().out == "tests/pg/test_server_fixtures.py  # 4 s\n"
