"""Benchmark: launch to main window mapped (``python -m inspector``) against a bare PySide6 QMainWindow.

Run:  .venv/bin/python benchmarks/bench_startup.py [--quick] [--runs N] [--data-dir DIR] [--instructions]

Both are fresh subprocesses under QT_QPA_PLATFORM=offscreen, started alternately (interleaved, so
machine load hits both alike); the figure is the median over N runs of the wall time from just
before ``Popen`` to the first Expose event of a top-level QMainWindow's window with
``isExposed()`` true (offscreen, Qt sends it when the window is shown: the moment it would map).

  baseline  ``python -c``: import PySide6.QtWidgets, QApplication, QMainWindow().show(), app.exec()
  inspector the app's real entry (``inspector.cli.main`` as ``python -m inspector`` runs it), on an
            empty data directory (first run: the database is created in the background) and, for
            information, on the cached 1,000-inspection demo data.

Both processes create the QApplication and install the event filter that notices the expose event
the same way (a small probe, see PROBE), then quit at once: process exit is not timed. The app
reuses an existing QApplication (``create_application``), so its own start-up path is unchanged.

Target (issue 15): the app's window mapped within 1.3x the bare window's time.

``--instructions``: instead of wall time, the instructions each process executes up to that first
Expose (``valgrind --tool=callgrind``, ``PYTHONHASHSEED=0``, the process ends at the Expose): the same
figure to 0.01 % run after run, where wall and CPU time on a shared machine wander by ±10 %. Needs
valgrind; ~1 minute.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

TARGET = 1.3

PROBE = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Expose and getattr(obj, "isExposed", lambda: False)():
            widgets = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.windowHandle() is obj]
            if widgets:
                print("MAPPED", time.monotonic(), flush=True)
                QTimer.singleShot(0, QApplication.instance().quit)
        return False

app = QApplication(sys.argv[:1])
probe = Probe()
app.installEventFilter(probe)
"""

BARE = PROBE + r"""
window = QMainWindow()
window.resize(1200, 760)
window.show()
app.exec()
"""

APP = PROBE + r"""
from inspector.cli import main
sys.exit(main(["--data-dir", sys.argv[1]]))
"""

ENDS_AT_EXPOSE = ("QTimer.singleShot(0, QApplication.instance().quit)", "import os; os._exit(0)")


def instructions_until_mapped(code: str, *args: str) -> int:
    """Instructions executed from launch to the main window's first expose event (the process ends there)."""
    with tempfile.TemporaryDirectory(prefix="bench-startup-cg-") as folder:
        out = Path(folder) / "callgrind.out"
        done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", benchlib.PYTHON,
                               "-c", code.replace(*ENDS_AT_EXPOSE), *args], capture_output=True, text=True,
                              timeout=600, cwd=benchlib.ROOT,
                              env=benchlib.python_env(QT_QPA_PLATFORM="offscreen", PYTHONHASHSEED="0"))
        if "MAPPED " not in done.stdout:
            raise RuntimeError(f"no window was mapped (exit {done.returncode}): {done.stderr.strip()[-500:]}")
        for line in out.read_text().splitlines():
            if line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError("callgrind wrote no summary")


def count_instructions(data: Path) -> bool:
    """The deterministic figure: instructions to the first expose, bare window against a new data folder
    (and, for information, ``data``)."""
    empty_root = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        mapped_after(APP, str(empty_root / "warm"))  # .pyc files written, page cache warm
        bare = instructions_until_mapped(BARE)
        app = instructions_until_mapped(APP, str(empty_root / "new"))
        full = instructions_until_mapped(APP, str(data))
    finally:
        shutil.rmtree(empty_root, ignore_errors=True)
    print("instructions from launch to the main window's first expose (callgrind)")
    print(f"  bare PySide6 QMainWindow          {bare / 1e6:7.1f} M")
    print(f"  inspector, new data folder        {app / 1e6:7.1f} M   {app / bare:4.2f}x (target <= {TARGET}x)")
    print(f"  inspector, 1,000-inspection data  {full / 1e6:7.1f} M   {full / bare:4.2f}x")
    met = benchlib.result("window mapped after launch vs bare QMainWindow, instructions", app / 1e6, bare / 1e6,
                          unit="M", max_ratio=TARGET, note="new data folder, callgrind")
    benchlib.result("window mapped after launch, 1,000-inspection data, instructions", full / 1e6, bare / 1e6,
                    unit="M", note="information")
    return met


def mapped_after(code: str, *args: str) -> float:
    """Seconds from launching a process to its main window's first expose event."""
    start = time.monotonic()
    done = subprocess.run([benchlib.PYTHON, "-c", code, *args], capture_output=True, text=True, timeout=120,
                          cwd=benchlib.ROOT, env=benchlib.python_env(QT_QPA_PLATFORM="offscreen"))
    for line in done.stdout.splitlines():
        if line.startswith("MAPPED "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"no window was mapped (exit {done.returncode}): {done.stderr.strip()[-500:]}")


def build_parser():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--data-dir", type=Path, help="a data directory for the information row "
                        "(default: cached 1,000-inspection demo data)")
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions under callgrind instead of timing (deterministic; needs valgrind)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data = args.data_dir or benchlib.demo_data_dir(1_000, 1)
    if args.instructions:
        return 0 if count_instructions(data) else 1
    runs = min(args.runs, 5) if args.quick else args.runs
    empty_root = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    samples: dict[str, list[float]] = {"bare": [], "empty": [], "data": []}
    try:
        mapped_after(BARE)  # warm the page cache for both
        mapped_after(APP, str(empty_root / "warm"))
        for n in range(runs):
            samples["bare"].append(mapped_after(BARE))
            samples["empty"].append(mapped_after(APP, str(empty_root / f"run{n}")))  # a new data folder each run
            samples["data"].append(mapped_after(APP, str(data)))
    finally:
        shutil.rmtree(empty_root, ignore_errors=True)
    bare, empty, full = (statistics.median(samples[k]) for k in ("bare", "empty", "data"))
    print(f"window mapped after launch, median of {runs} interleaved runs (offscreen)")
    print(f"  bare PySide6 QMainWindow          {bare:6.3f} s")
    print(f"  inspector, new data folder        {empty:6.3f} s   {empty / bare:4.2f}x (target <= {TARGET}x)")
    print(f"  inspector, 1,000-inspection data  {full:6.3f} s   {full / bare:4.2f}x")
    met = benchlib.result("window mapped after launch vs bare QMainWindow", empty, bare, max_ratio=TARGET,
                          note="new data folder")
    benchlib.result("window mapped after launch, 1,000-inspection data", full, bare, note="information")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
