"""One transaction run by a thread of its own, fed in chunks while the caller goes on reading the file.

Reading a spreadsheet (calamine) and writing to the database (SQLite, PostgreSQL) both let go of Python's
lock while they work, so the two overlap: the registry is loaded while the sheet is parsed, and each chunk of
new credits is inserted while the next is read. Everything the thread writes is one unit of work: it commits
only if ``finish`` says so, and rolls back on an abort, on an error, or when the caller cancels.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from app.services.bulk import Progress, ProgressCallback
from app.services.database import Database
from app.services.unit_of_work import UnitOfWork

State = TypeVar("State")
Chunk = TypeVar("Chunk")
Result = TypeVar("Result")
_POLL_SECONDS = 0.05


class Aborted(Exception):
    """The caller gave up: the thread's transaction is rolled back."""


class BackgroundTransaction(Generic[State, Chunk, Result]):
    """``start`` once, ``step`` for each chunk sent, ``finish`` at the end; all in one transaction on a thread."""

    def __init__(
        self,
        db: Database,
        start: Callable[[UnitOfWork], State],
        step: Callable[[State, Chunk, Progress], None],
        finish: Callable[[UnitOfWork, State, Progress], Result],
    ) -> None:
        self._db, self._start, self._step, self._finish = db, start, step, finish
        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=4)
        self._abort = threading.Event()
        self._done = 0
        self._total = 0
        self._result: Result | None = None
        self._finished = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="creditdesk-import-writer", daemon=True)
        self._thread.start()

    def send(self, chunk: Chunk) -> None:
        """Hand a chunk (a sized collection) to the thread; raises at once whatever the thread failed with."""
        self._total += len(chunk)  # type: ignore[arg-type]
        self._put(("step", chunk))

    def finish(self, progress: ProgressCallback | None = None) -> Result:
        """Run ``finish`` on the thread and return its result, telling ``progress`` how the writing goes.

        ``progress`` may raise to cancel: the thread rolls back and the exception goes on to the caller.
        """
        self._put(("finish", None))
        while self._thread.is_alive():
            if progress is not None:
                try:
                    progress(self._done, self._total)
                except BaseException:
                    self.abort()
                    if self._finished:
                        break  # the cancel came after the commit: the work is done, say so
                    raise
            self._thread.join(_POLL_SECONDS)
        self._raise_failure()
        return self._result  # type: ignore[return-value]

    def abort(self) -> None:
        """Roll the transaction back and wait for the thread to end; never raises the thread's error."""
        self._abort.set()
        with contextlib.suppress(queue.Full):  # a full queue: the thread sees the flag at its next report
            self._queue.put_nowait(("abort", None))
        self._thread.join()

    def _put(self, item: tuple[str, Any]) -> None:
        while True:
            self._raise_failure()
            if not self._thread.is_alive():
                raise RuntimeError("the import's writer ended before it was told to")
            try:
                self._queue.put(item, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                continue

    def _raise_failure(self) -> None:
        if self._error is not None and not isinstance(self._error, Aborted):
            raise self._error

    def _run(self) -> None:
        try:
            with UnitOfWork(self._db) as uow:
                tracker = Progress(self._tick)
                state = self._start(uow)
                while not self._abort.is_set():
                    kind, chunk = self._queue.get()
                    if kind == "step":
                        self._step(state, chunk, tracker)
                        self._done += len(chunk)
                    elif kind == "finish":
                        self._result = self._finish(uow, state, tracker)
                        self._finished = True
                        return
                    else:
                        return
        except BaseException as error:  # handed to the caller's thread, which raises it
            self._error = error

    def _tick(self, done: int, total: int) -> None:
        if self._abort.is_set():
            raise Aborted
