"""The scale run's GUI scenario: the real main window on a county's database, used as a person uses it.

A 10 ms QTimer heartbeat runs from before the window is built to the end; the longest gap between beats
is the longest GUI-thread stall. Each step acts through real events (tab-bar clicks, key presses in the
search box, wheel turns over the list, menu actions) and waits until every background task has reported
and the GUI has been quiet for a moment. A gap is charged to the step during which it began.

A sampler thread records the GUI thread's Python stack whenever a beat is late by more than 40 ms, so
each long gap comes with where the GUI thread was (``--why`` prints the stacks).
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from pathlib import Path

QUIET_MS = 600  # after a step's tasks are done, this long without a late beat ends the step
STEP_LIMIT_MS = 240_000
LATE_MS = 40


class Sampler(threading.Thread):
    """Samples the GUI thread's stack while its heartbeat is late."""

    def __init__(self, main_ident: int):
        super().__init__(daemon=True)
        self.main_ident, self.last_beat, self.step = main_ident, time.monotonic(), "start"
        self.stacks: dict[str, Counter] = {}
        self.others: dict[str, Counter] = {}  # what the other threads were running meanwhile
        self.running = True

    def beat(self) -> None:
        self.last_beat = time.monotonic()

    def run(self) -> None:
        while self.running:
            time.sleep(0.005)
            if (time.monotonic() - self.last_beat) * 1000 > LATE_MS:
                frames = sys._current_frames()
                frame = frames.get(self.main_ident)
                if frame is not None:
                    self.stacks.setdefault(self.step, Counter())[_stack(frame)] += 1
                for ident, other in frames.items():
                    if ident not in (self.main_ident, self.ident):
                        self.others.setdefault(self.step, Counter())[_stack(other, 5)] += 1


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:")):
            return int(line.split()[1]) / 1024
    return 0.0


def _stack(frame, depth: int = 7) -> str:
    parts = []
    while frame is not None and len(parts) < depth:
        code = frame.f_code
        parts.append(f"{Path(code.co_filename).name}:{frame.f_lineno} {code.co_name}")
        frame = frame.f_back
    return " < ".join(parts)


class Scenario:
    """Steps run one after another from the event loop; ``result()`` gives the stalls per step."""

    def __init__(self, app, services):
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.app, self.services, self.window = app, services, None
        self.clock = QElapsedTimer()
        self.clock.start()
        self.beats: list[tuple[int, str]] = []
        self.last_late = 0
        self.cpu: list[tuple[float, float]] = []  # the GUI thread's and the process's CPU seconds at each beat
        self.sampler = Sampler(threading.get_ident())
        self.heart = QTimer()
        self.heart.setInterval(10)
        self.heart.timeout.connect(self._beat)
        self.steps = [("launch", self.launch), ("list", self.open_list), ("filter", self.type_filter),
                      ("scroll", self.scroll_list), ("tabs", None), ("ledger", self.open_ledger),
                      ("export dialog", self.open_export), ("hazard window", self.open_hazard)]
        import os

        only = os.environ.get("SCALE_GUI_STEPS")  # diagnosis: a comma-separated subset of the steps
        if only:
            self.steps = [step for step in self.steps if step[0] in only.split(",")]
        self.step, self.step_started, self.pending, self.marks = "start", 0, [], {}
        self.notes: list[str] = []
        self.rss: list[str] = []  # MB resident after each step
        self.poll = QTimer()
        self.poll.setInterval(50)
        self.poll.timeout.connect(self._check)

    def _gc(self, phase: str, info: dict) -> None:
        """Every collection's length (a collection holds the GIL: the sampler cannot see it)."""
        import gc

        if phase == "start":
            self._gc_start, self._gc_cpu, self._gc_young = time.perf_counter(), time.thread_time(), gc.get_count()
        elif threading.get_ident() == self.sampler.main_ident:
            ms = (time.perf_counter() - self._gc_start) * 1000
            if ms > 20:  # (step, generation, ms, CPU ms, counts of the generations before, objects freed)
                self.gc_long.append((self.step, info["generation"], round(ms),
                                     round((time.thread_time() - self._gc_cpu) * 1000), self._gc_young,
                                     info["collected"]))

    def _time_task_callbacks(self) -> None:
        """Every background task's result handler on the GUI thread over 20 ms, by name (diagnosis)."""
        from inspector.ui.tasks import TaskRunner

        original, scenario = TaskRunner._finish, self
        scenario.slow_callbacks = []

        def timed(runner, task, callback, value):
            start = time.perf_counter()
            original(runner, task, callback, value)
            ms = (time.perf_counter() - start) * 1000
            if ms > 20:
                name = getattr(callback, "__qualname__", repr(callback))
                scenario.slow_callbacks.append((scenario.step, getattr(task.function, "__name__", "?"), name, round(ms)))

        TaskRunner._finish = timed

    def _beat(self) -> None:
        now = self.clock.elapsed()
        if self.beats and now - self.beats[-1][0] > 50:
            self.last_late = now
        self.beats.append((now, self.step))
        self.cpu.append((time.thread_time(), time.process_time()))
        self.sampler.beat()

    def run(self) -> None:
        from PySide6.QtCore import QTimer

        import gc

        self.gc_long, self._gc_start = [], 0.0
        self._time_task_callbacks()
        gc.callbacks.append(self._gc)
        import os

        if os.environ.get("SCALE_GUI_SWITCH"):  # diagnosis: the GIL switch interval (s), Python's default 0.005
            sys.setswitchinterval(float(os.environ["SCALE_GUI_SWITCH"]))
        self.profile_to = os.environ.get("SCALE_GUI_PROFILE")  # a folder: cProfile of the GUI thread per step
        self.profiler = None
        self.heart.start()
        self.sampler.start()
        QTimer.singleShot(50, self._next)
        self.poll.start()
        self.app.exec()
        self._profile(None)
        self.sampler.running = False
        gc.callbacks.remove(self._gc)

    # --- sequencing --------------------------------------------------------------------------

    def _next(self) -> None:
        if not self.steps:
            self.heart.stop()
            self.poll.stop()
            self.app.quit()
            return
        name, action = self.steps.pop(0)
        if action is None:  # every tab, one step each
            self.steps[0:0] = self._tab_steps()
            return self._next()
        self._begin(name)
        action()

    def _profile(self, step: str | None) -> None:
        if not self.profile_to:
            return
        import cProfile

        if self.profiler is not None:
            self.profiler.disable()
            self.profiler.dump_stats(str(Path(self.profile_to) / f"{self.step}.prof"))
        if step is not None:
            # the GUI thread's CPU time, not wall time: a C++ call that releases the GIL (many do) would
            # otherwise be charged with the wait for a busy worker to hand it back
            self.profiler = cProfile.Profile(time.thread_time)
            self.profiler.enable()

    def _begin(self, name: str) -> None:
        self._profile(name)
        self.step, self.sampler.step, self.step_started = name, name, self.clock.elapsed()
        self.marks[name] = self.step_started
        # a beat now, in the new step's name: the gap the step's action makes is its own (without it the
        # gap began at the previous step's last beat and was charged to that step — the 企业 tab's first
        # build was reported as 检查表's)
        self._beat()

    def _idle(self) -> bool:
        from inspector.ui.tasks import tasks_running

        return self.window is not None and not tasks_running()

    def _check(self) -> None:
        now = self.clock.elapsed()
        waiting = self.pending and not self.pending[0]()
        if waiting and now - self.step_started < STEP_LIMIT_MS:
            return
        if waiting:
            self.notes.append(f"{self.step}: gave up waiting after {STEP_LIMIT_MS / 1000:.0f} s")
            self.pending = []
        if self.pending:
            self.pending.pop(0)
            return
        if self._idle() and now - max(self.last_late, self.step_started) > QUIET_MS:
            self.marks[self.step + " done"] = now
            self.rss.append(f"{self.step} {_rss_mb():.0f}")
            self._next()

    # --- steps -------------------------------------------------------------------------------

    def launch(self) -> None:
        from inspector.ui.application import open_main_window

        loaded = []
        self.window = window = open_main_window(self.services)
        window.data_loaded.connect(lambda: loaded.append(self.clock.elapsed()))
        window.resize(1366, 768)
        window.show()
        self.pending = [lambda: bool(loaded)]
        self._loaded = loaded

    def _click_tab(self, index: int) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        bar = self.window.tabs.tabBar()
        QTest.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, bar.tabRect(index).center())

    def open_list(self) -> None:
        window = self.window
        self._click_tab(window.tabs.indexOf(window._inspections_page))
        self.pending = [lambda: window.inspections.model.total_rows > 0]

    def type_filter(self) -> None:
        """The initials of the enterprise of the oldest inspection (beyond the first page), one key at a time."""
        from inspector.core.common.text_search import initials

        view = self.window.inspections
        model = view.model
        oldest = model.rows[-1] if model.rows else None
        word = (oldest.enterprise_initials or initials(oldest.enterprise))[:4] if oldest else "zz"
        self.word = word.lower()
        view.search.setFocus()
        self._keys(view.search, list(self.word), then=lambda: self.pending.append(
            lambda: view.proxy.rowCount() > 0 or view.proxy.matching_rows() == 0))

    def _keys(self, widget, keys: list, then=None, gap_ms: int = 120) -> None:
        """One key event per character, ``gap_ms`` apart (a person typing)."""
        from PySide6.QtCore import QTimer, Qt
        from PySide6.QtTest import QTest

        done = []
        self.pending = [lambda: bool(done)]

        def one():
            if not keys:
                if then:
                    then()
                done.append(True)
                return
            key = keys.pop(0)
            if key == "\b":
                QTest.keyClick(widget, Qt.Key.Key_Backspace)
            else:
                QTest.keyClick(widget, key)
            QTimer.singleShot(gap_ms, one)

        one()

    def scroll_list(self) -> None:
        """Clear the filter (backspaces), then turn the wheel down over the list, 80 notches, 40 ms apart."""
        from PySide6.QtCore import QPoint, QPointF, QTimer, Qt
        from PySide6.QtGui import QWheelEvent
        from PySide6.QtWidgets import QApplication

        view = self.window.inspections
        matched = view.proxy.matching_rows()
        self.notes.append(f"filter '{self.word}': {matched:,} of {view.model.total_rows:,} rows, "
                          f"{view.proxy.rowCount():,} in the table")
        notches = [80]

        def turn():
            if notches[0] <= 0:
                self.notes.append(f"scrolled to row {view.table.rowAt(0):,} ({view.model.rowCount():,} fetched)")
                return
            notches[0] -= 1
            target = view.table.viewport()
            centre = QPointF(target.width() / 2, target.height() / 2)
            event = QWheelEvent(centre, QPointF(target.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, -120),
                                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                                False)
            QApplication.sendEvent(target, event)
            QTimer.singleShot(40, turn)

        self._keys(view.search, ["\b"] * len(self.word), then=lambda: QTimer.singleShot(300, turn))
        self.pending.append(lambda: notches[0] <= 0)

    def _tab_steps(self) -> list:
        tabs = self.window.tabs
        steps = []
        for index in range(tabs.count()):
            if tabs.widget(index) is self.window.inspections:
                continue
            steps.append((f"tab {tabs.tabText(index).replace('&', '')}", lambda i=index: self._click_tab(i)))
        return steps

    def open_ledger(self) -> None:
        self.dialog = self.window.closed_loop.open_ledger()

    def open_export(self) -> None:
        if getattr(self, "dialog", None) is not None:
            self.dialog.close()
        self.dialog = self.window.sync.open_export()

    def open_hazard(self) -> None:
        """The export dialog closed, the 待办 tab clicked, and on it the first hazard of the list opened with
        ↓ and Enter — 300 ms apart, as a person does them (until round 6 all three came in one event-loop
        pass, so their costs added up in one gap no person would cause)."""
        from PySide6.QtCore import QTimer, Qt
        from PySide6.QtTest import QTest

        self.dialog.close()
        dashboard = self.window.closed_loop.dashboard
        done = []
        self.pending = [lambda: bool(done)]

        def click() -> None:
            self._click_tab(self.window.tabs.indexOf(dashboard))
            QTimer.singleShot(300, keys)

        def keys() -> None:
            table = dashboard.table
            table.setFocus()
            QTest.keyClick(table, Qt.Key.Key_Down)
            QTest.keyClick(table, Qt.Key.Key_Return)
            done.append(True)

        QTimer.singleShot(300, click)

    # --- result ------------------------------------------------------------------------------

    def result(self) -> dict:
        worst: dict[str, tuple[int, int]] = {}
        gaps, busiest = [], (0, 0, 0, "")  # the gap in which the GUI thread itself ran longest
        for n, ((a, step), (b, _)) in enumerate(zip(self.beats, self.beats[1:])):
            if b - a > worst.get(step, (0, 0))[0]:
                worst[step] = (b - a, a)
            if b - a > 50:
                (gui0, all0), (gui1, all1) = self.cpu[n], self.cpu[n + 1]
                busiest = max(busiest, (round((gui1 - gui0) * 1000), b - a, a, step))
                if b - a > 100:
                    gaps.append(f"{b - a} ms at {a / 1000:.1f} s ({step}): GUI thread CPU {(gui1 - gui0) * 1000:.0f} ms, "
                                f"process CPU {(all1 - all0) * 1000:.0f} ms")
        self.notes.append("gaps over 100 ms: " + "; ".join(gaps))
        longest = max(worst.items(), key=lambda item: item[1][0]) if worst else ("", (0, 0))
        where = {}
        for step, counter in self.sampler.stacks.items():
            where[step] = counter.most_common(3) + [("OTHER " + stack, n) for stack, n in
                                                    self.sampler.others.get(step, Counter()).most_common(3)]
        return {"worst": worst, "longest": longest, "busiest": busiest, "marks": self.marks, "notes": self.notes + [f"gc over 20 ms: {self.gc_long}",
                                       f"task results handled in over 20 ms: {self.slow_callbacks}",
                                       "RSS MB after each step: " + ", ".join(self.rss)],
                "stacks": where,
                "loaded_ms": self._loaded[0] if self._loaded else None}
