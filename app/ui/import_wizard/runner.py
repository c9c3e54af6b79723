"""Runs an import (or its dry run) on a worker thread, relays its progress and lets the clerk stop it."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.bootstrap import AppContext
from app.services import imports
from app.services.imports import ImportRequest, ImportResult
from app.ui.ops import Cancelled, op


class ImportRunner(QObject):
    """One import at a time: ``start`` it, watch ``progressed``, ``cancel`` it; it ends in one of two signals."""

    progressed = Signal(int, int)
    import_finished = Signal(object)  # the ImportResult, or None when the clerk cancelled (nothing written)
    import_failed = Signal(object)  # the exception

    def __init__(self, context: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self._context = context
        self._parent = parent
        self._stop: threading.Event | None = None

    @property
    def running(self) -> bool:
        """Whether an import is on its way."""
        return self._stop is not None

    def start(self, creditor_id: int, request: ImportRequest) -> None:
        """Run ``import_schedule`` for ``request`` in the background."""
        if self._stop is not None:
            raise RuntimeError("an import is already running")
        stop = self._stop = threading.Event()
        context, relay = self._context, self.progressed

        def report(done: int, total: int) -> None:
            # Raising here makes the service roll back: a cancelled import leaves nothing behind.
            if stop.is_set():
                raise Cancelled()
            relay.emit(done, total)

        def work() -> ImportResult | None:
            try:
                return imports.import_schedule(
                    context.db,
                    creditor_id,
                    request,
                    user_login=context.user_login,
                    archive_folder=context.settings.archive_path,
                    progress=report,
                )
            except Cancelled:
                return None

        op(work, self._parent).on_success(self._succeeded).on_failure(self._failed).run()

    def cancel(self) -> None:
        """Ask the running import to stop at its next progress report; it then ends with None."""
        if self._stop is not None:
            self._stop.set()

    def _succeeded(self, result: ImportResult | None) -> None:
        self._stop = None
        self.import_finished.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._stop = None
        self.import_failed.emit(error)
