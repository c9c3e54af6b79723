"""Background operations for the UI: ``op(fn).on_success(...).on_failure(...).run()``.

``fn`` runs on a worker thread and never touches a widget; its result or exception comes back to the UI thread
by a queued signal. A cancellable operation receives a :class:`Progress` it reports to and checks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")


class Cancelled(Exception):
    """Raised inside a worker when the user pressed Cancel."""


class Progress:
    """Thread-safe progress reporting and cancellation, handed to a cancellable operation."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancelled = threading.Event()

    def report(self, done: int, total: int, label: str = "") -> None:
        """Tell the UI how far the work is; raise :class:`Cancelled` if the user asked to stop."""
        self.check()
        self._relay.progressed.emit(done, total, label)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user asked to stop."""
        if self._cancelled.is_set():
            raise Cancelled()


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as exc:
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


_running: set[Operation[Any]] = set()


class Operation(Generic[T]):
    """A unit of background work with its callbacks; build it with :func:`op`."""

    def __init__(self, fn: Callable[..., T], parent: QWidget | None) -> None:
        self._fn = fn
        self._parent = parent
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._progress_label: str | None = None
        self._relay = _Relay()
        self.progress = Progress(self._relay)
        self._dialog: QProgressDialog | None = None

    def on_success(self, callback: Callable[[T], None]) -> Operation[T]:
        self._success = callback
        return self

    def on_failure(self, callback: Callable[[BaseException], None]) -> Operation[T]:
        self._failure = callback
        return self

    def with_progress(self, label: str) -> Operation[T]:
        """Show a progress dialog with a Cancel button; ``fn`` is then called with a :class:`Progress`."""
        self._progress_label = label
        return self

    def run(self, pool: QThreadPool | None = None) -> Operation[T]:
        """Start the work on a worker thread and return at once."""
        self._relay.succeeded.connect(self._finish_success)
        self._relay.failed.connect(self._finish_failure)
        if self._progress_label is not None:
            self._open_dialog(self._progress_label)
            work: Callable[[], Any] = lambda: self._fn(self.progress)  # noqa: E731
        else:
            work = self._fn
        _running.add(self)
        (pool or QThreadPool.globalInstance()).start(_Job(work, self._relay))
        return self

    def _open_dialog(self, label: str) -> None:
        dialog = QProgressDialog(label, QCoreApplication.translate("Operation", "Annulla"), 0, 0, self._parent)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.progress.cancel)
        self._relay.progressed.connect(self._update_dialog)
        self._dialog = dialog

    def _update_dialog(self, done: int, total: int, label: str) -> None:
        if self._dialog is None:
            return
        self._dialog.setMaximum(total)
        self._dialog.setValue(min(done, total))
        if label:
            self._dialog.setLabelText(label)

    def _close(self) -> None:
        _running.discard(self)
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None

    def _orphaned(self) -> bool:
        # The widget that asked may have been closed and deleted while the worker ran: its answer has
        # nowhere to go, and acting on it (starting follow-up queries, say) would outlive the window.
        return self._parent is not None and not shiboken6.isValid(self._parent)

    def _finish_success(self, result: T) -> None:
        self._close()
        if self._success is not None and not self._orphaned():
            self._success(result)

    def _finish_failure(self, error: BaseException) -> None:
        self._close()
        if isinstance(error, Cancelled) or self._orphaned():
            return
        if self._failure is not None:
            self._failure(error)
        else:
            raise error


def op(fn: Callable[..., T], parent: QWidget | None = None) -> Operation[T]:
    """Wrap ``fn`` to run in the background; chain callbacks, then call ``run()``."""
    return Operation(fn, parent)


def wait_for_operations(pool: QThreadPool | None = None, timeout_ms: int = 30000) -> bool:
    """Block until every worker is done (used at shutdown); True if they all finished."""
    return (pool or QThreadPool.globalInstance()).waitForDone(timeout_ms)
