"""What the window's first frame no longer waits for (docs/startup-and-scale.md, "What runs before the first
frame"): each check names a cost measured in instructions, so a change that brings one back fails here
rather than only in the benchmark's ratio."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import inspector

FIRST_FRAME = r"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstFrame(QObject):  # the benchmark's probe: an application-wide filter noticing the first expose
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Expose and getattr(watched, "isExposed", lambda: False)():
            if any(isinstance(w, QMainWindow) and w.windowHandle() is watched for w in QApplication.topLevelWidgets()):
                import builtins
                widgets, gui = sys.modules["PySide6.QtWidgets"].__dict__, sys.modules["PySide6.QtGui"].__dict__
                print("QStyle" in widgets, "QFont" in gui, "QMessageBox" in widgets, "json" in sys.modules,
                      "ctypes" in sys.modules, builtins.__import__ is builtins.__orig_import__, flush=True)
                os._exit(0)
        return False

app = QApplication(sys.argv[:1])
first_frame = FirstFrame()
app.installEventFilter(first_frame)
from inspector.cli import main
main(["--data-dir", sys.argv[1]])
"""


def test_the_first_frame_of_a_new_data_folder_waits_for_none_of_the_removed_costs(tmp_path):
    done = subprocess.run([sys.executable, "-c", FIRST_FRAME, str(tmp_path / "data")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = dict(zip(["QStyle's type (47 M)", "QFont's type (7 M)", "QMessageBox's type", "json (5 M)",
                     "ctypes (8 M)", "Python's own import"], done.stdout.split()))
    assert seen == {"QStyle's type (47 M)": "False", "QFont's type (7 M)": "False", "QMessageBox's type": "False",
                    "json (5 M)": "False", "ctypes (8 M)": "False", "Python's own import": "True"}, done.stdout


def test_no_module_selects_a_pyside_feature():
    """The window drops PySide6's ``__feature__`` import hook (``use_plain_imports``); a module selecting
    ``snake_case`` or ``true_property`` would then silently get nothing, so none may."""
    package = Path(inspector.__file__).parent
    selecting = [str(path.relative_to(package)) for path in package.rglob("*.py")
                 if re.search(r"^\s*(from|import)\s+__feature__", path.read_text(encoding="utf-8"), re.MULTILINE)]
    assert selecting == []


def test_the_unanimated_style_still_zeroes_the_layout_animation(qapp):
    from PySide6.QtWidgets import QStyle, QTabWidget

    from inspector.ui.layout_style import unanimated_style

    style = unanimated_style()
    tabs = QTabWidget()
    tabs.setStyle(style)
    duration = QStyle.StyleHint.SH_Widget_Animation_Duration
    assert style.styleHint(duration, None, tabs) == 0
    assert style.styleHint(QStyle.StyleHint.SH_TabBar_Alignment, None, tabs) == qapp.style().styleHint(
        QStyle.StyleHint.SH_TabBar_Alignment, None, tabs)  # everything else is the application's style
