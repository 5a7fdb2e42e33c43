"""The Qt binding must not be able to crash a long field day.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` on every call of a void C++ method
(inspector/ui/binding_guard.py). Without the guard, 5,000 calls of ``QWidget.setEnabled`` end the process
with "Fatal Python error: none_dealloc"; the app's own start (``create_application``) must make that
impossible. Run in a child process: the crash takes the interpreter down.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LONG_DAY = """
from PySide6.QtWidgets import QWidget
from inspector.ui.application import create_application
app = create_application([])
widget = QWidget()
for _ in range(30000):
    widget.setEnabled(True)
print("alive")
"""


def test_thirty_thousand_void_calls_after_the_apps_start_do_not_kill_python():
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", LONG_DAY], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "alive", done.stderr[-800:]
