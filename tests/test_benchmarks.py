"""The benchmark harness cannot rot: every script imports and parses its arguments (nothing is timed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_benchmark_imports_and_parses_its_arguments():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--quick", "--dry-run"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    listed = {line.split()[1] for line in done.stdout.splitlines() if line.startswith("ok ")}
    scripts = {path.name for path in (ROOT / "benchmarks").glob("bench_*.py")}
    assert listed == scripts
    assert {"bench_startup.py", "bench_scale.py", "bench_demo.py", "bench_unexported.py",
            "bench_notice_cold.py"} <= scripts


def test_a_result_line_reports_a_missed_target(capsys, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    import benchlib

    assert benchlib.result("slow path", 3.0, 1.0, max_ratio=1.3) is False
    assert benchlib.result("fast path", 1.0, 4.0, min_speedup=2.0) is True
    assert benchlib.result("absolute", 0.3, None, max_value=0.2) is False
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith(benchlib.MARK)]
    assert len(lines) == 3 and '"ratio": 3.0' in lines[0] and '"met": false' in lines[0]


def test_the_gui_scenario_charges_a_stall_to_the_step_whose_action_made_it(qtbot, services, monkeypatch):
    """A step's action that blocks the GUI thread: its gap is the step's own, not the previous step's (the
    scenario reported the 企业 tab's first build as 检查表's before)."""
    import time

    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    from scale_gui import Scenario

    from inspector.ui.application import create_application
    from inspector.ui.tasks import TaskRunner

    monkeypatch.setattr(TaskRunner, "_finish", TaskRunner._finish)  # the scenario wraps it: restored afterwards
    scenario = Scenario(create_application(), services)
    scenario.window, scenario._loaded = object(), []  # no window: the steps below need none
    # a step ends once no task of the process runs: an earlier test's unfinished task must not hold it for ever
    monkeypatch.setattr(scenario, "_idle", lambda: True)
    scenario.steps = [("quiet", lambda: None), ("blocking", lambda: time.sleep(0.8))]
    scenario.run()
    worst = scenario.result()["worst"]
    assert worst["blocking"][0] >= 800 > worst["quiet"][0]
