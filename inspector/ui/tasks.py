"""The one background-task helper: run plain functions off the GUI thread.

A task takes and returns plain data, never touches widgets and never imports a module that uses Qt
(PySide6 creates its types lazily: a worker defining widgets while the GUI thread builds others crashed
the process with SIGSEGV); tests/qt_import_guard.py fails a test whose task does. Its result, error or
progress comes back to the GUI thread through Qt signals. Usage::

    runner = TaskRunner(parent)
    runner.submit(build_ledger, path, on_done=show, on_error=report, on_progress=bar.setValue)

Functions that accept a ``progress`` keyword get a callable ``progress(done, total)``.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class _Task(QRunnable):
    def __init__(self, function: Callable, args: tuple, kwargs: dict):
        super().__init__()
        self.function, self.args, self.kwargs = function, args, kwargs
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        import inspect  # in the worker: not at start-up

        kwargs = dict(self.kwargs)
        if "progress" in inspect.signature(self.function).parameters:
            kwargs["progress"] = lambda done, total: self.signals.progress.emit(int(done), int(total))
        try:
            result = self.function(*self.args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, never swallowed
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


CHORE_THREADS = 2
# every runner's unfinished tasks (the garbage collector waits for quiet moments); weak, so a task whose
# runner was deleted before it reported does not count for ever
_RUNNING: weakref.WeakSet = weakref.WeakSet()


def tasks_running() -> bool:
    """Whether any TaskRunner of the process has a task that has not reported yet."""
    return bool(_RUNNING)


class TaskRunner(QObject):
    """Owns a thread pool; keeps tasks alive until they report, waits for them on shutdown.

    A failure without its own ``on_error`` is emitted as ``task_failed`` so it is never lost.
    """

    task_failed = Signal(object)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._chores: QThreadPool | None = None
        self._running: set[_Task] = set()

    def submit(self, function: Callable, *args: Any, on_done: Callable | None = None,
               on_error: Callable | None = None, on_progress: Callable | None = None, chore: bool = False,
               **kwargs: Any) -> None:
        """``chore=True``: housekeeping nobody waits for (a count, a scheduled backup), which can take
        minutes on a county's database: it runs on threads of its own (two, as the window's chores ran
        before), so it never queues what a person asked for."""
        task = _Task(function, args, kwargs)
        task.signals.done.connect(lambda result: self._finish(task, on_done, result))
        task.signals.failed.connect(lambda error: self._finish(task, on_error or self.task_failed.emit, error))
        if on_progress:
            task.signals.progress.connect(on_progress)
        self._running.add(task)
        _RUNNING.add(task)
        (self._chore_pool() if chore else self.pool).start(task)

    def _chore_pool(self) -> QThreadPool:
        if self._chores is None:
            self._chores = QThreadPool(self)
            self._chores.setMaxThreadCount(CHORE_THREADS)
        return self._chores

    def _finish(self, task: _Task, callback: Callable | None, value: Any) -> None:
        self._running.discard(task)
        _RUNNING.discard(task)
        if callback and _receiver_alive(callback):
            callback(value)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, milliseconds: int = 30000) -> bool:
        done = self.pool.waitForDone(milliseconds)
        return (self._chores.waitForDone(milliseconds) if self._chores is not None else True) and done


def _receiver_alive(callback: Callable) -> bool:
    """False when ``callback`` is a method of a widget Qt has already deleted (its window was closed)."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)
