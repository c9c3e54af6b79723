"""Unexpected errors: the traceback goes to a rotating log, the clerk sees one dialog and keeps working."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from app.services.errors import CreditDeskError

log = logging.getLogger(__name__)

LOG_FILE = "creditdesk.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


@dataclass(frozen=True)
class ErrorReport:
    """One error as the dialog shows it: a one-line summary and, for unexpected errors, the traceback."""

    summary: str
    details: str
    expected: bool


def describe_error(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> ErrorReport:
    """What to show for an exception: a domain error's own message, or a summary with the traceback."""
    if isinstance(exc, CreditDeskError):
        return ErrorReport(summary=str(exc), details="", expected=True)
    summary = f"{exc_type.__name__}: {exc}" if str(exc) else exc_type.__name__
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    return ErrorReport(summary=summary, details=details, expected=False)


class ErrorReporter(QObject):
    """Receives uncaught exceptions from any thread and shows them on the UI thread, one dialog at a time."""

    error_raised = Signal(object)

    def __init__(self, log_path: Path, handler: logging.Handler | None = None) -> None:
        super().__init__()
        self.log_path = log_path
        self._handler = handler
        self._pending: list[ErrorReport] = []
        self._box: QMessageBox | None = None
        self._shown = 0
        self._summary = ""
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        # Queued even on the UI thread: errors raised in one burst are all pending before the dialog opens.
        self.error_raised.connect(self._collect, Qt.ConnectionType.QueuedConnection)

    def handle_exception(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        """The ``sys.excepthook``: log the error and ask the UI thread to show it."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        report = describe_error(exc_type, exc, tb)
        level = logging.WARNING if report.expected else logging.ERROR
        log.log(level, "uncaught %s", report.summary, exc_info=(exc_type, exc, tb))
        if QApplication.instance() is None:
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.error_raised.emit(report)

    def handle_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        """The ``threading.excepthook``: same as :meth:`handle_exception` for a thread that died."""
        if args.exc_value is None:
            return
        self.handle_exception(args.exc_type, args.exc_value, args.exc_traceback)

    @Slot(object)
    def _collect(self, report: ErrorReport) -> None:
        if self._box is not None:
            # A dialog is already open: say that more happened instead of stacking another one on top.
            self._shown += 1
            self._box.setInformativeText(self._informative_text(self._shown - 1))
            return
        self._pending.append(report)
        if len(self._pending) == 1:
            QTimer.singleShot(0, self._show_pending)

    @Slot()
    def _show_pending(self) -> None:
        reports, self._pending = self._pending, []
        if not reports:
            return
        self._shown = len(reports)
        self._box = self._build_box(reports)
        try:
            self._box.exec()
        finally:
            self._box.deleteLater()
            self._box = None

    def _build_box(self, reports: list[ErrorReport]) -> QMessageBox:
        first = reports[0]
        self._summary = first.summary
        box = QMessageBox(QApplication.activeWindow())
        box.setWindowTitle(self.tr("CreditDesk – errore"))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        if first.expected and len(reports) == 1:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setText(first.summary)
            return box
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText(
            self.tr(
                "Si è verificato un errore imprevisto. CreditDesk resta aperto; l'ultima operazione "
                "potrebbe non essere stata completata."
            )
        )
        box.setInformativeText(self._informative_text(len(reports) - 1))
        details = "\n".join(report.details or report.summary for report in reports)
        box.setDetailedText(details)
        return box

    def _informative_text(self, others: int) -> str:
        lines = [self._summary]
        if others == 1:
            lines.append(self.tr("Si è verificato anche un altro errore."))
        elif others > 1:
            lines.append(self.tr("Si sono verificati altri {count} errori.").format(count=others))
        lines.append(self.tr("Il dettaglio è stato scritto nel registro: {path}").format(path=self.log_path))
        return "\n\n".join(lines)

    def install(self) -> None:
        """Become ``sys.excepthook`` and ``threading.excepthook``, remembering the hooks to give back."""
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle_exception
        threading.excepthook = self.handle_thread_exception

    def uninstall(self) -> None:
        """Give the hooks back and close the log file (at exit, and between tests)."""
        previous_hook, previous_thread_hook = self._previous_hooks
        if sys.excepthook == self.handle_exception:
            sys.excepthook = previous_hook
        if threading.excepthook == self.handle_thread_exception:
            threading.excepthook = previous_thread_hook
        if self._handler is not None:
            logging.getLogger().removeHandler(self._handler)
            self._handler.close()
            self._handler = None


_reporter: ErrorReporter | None = None


def install_error_handler(log_dir: Path) -> ErrorReporter:
    """Log to a rotating file under ``log_dir`` and route every uncaught exception to one error dialog."""
    global _reporter
    if _reporter is not None:
        _reporter.uninstall()
    handler = _rotating_handler(log_dir)
    _reporter = ErrorReporter(Path(handler.baseFilename), handler)
    _reporter.install()
    log.info("CreditDesk started; log file %s", handler.baseFilename)
    return _reporter


def _rotating_handler(log_dir: Path) -> RotatingFileHandler:
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(log_dir / LOG_FILE, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    return handler
