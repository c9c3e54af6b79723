"""Uncaught errors go to a rotating log and to one dialog; the application keeps running."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.services.errors import InvalidInput
from app.ui.error_handling import LOG_FILE, ErrorReporter, install_error_handler


@dataclass
class ShownBox:
    text: str
    informative: str
    details: str
    icon: QMessageBox.Icon
    on_ui_thread: bool


@pytest.fixture
def reporter(tmp_path: Path) -> Iterator[ErrorReporter]:
    installed = install_error_handler(tmp_path / "logs")
    yield installed
    installed.uninstall()


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[ShownBox]:
    """Every error dialog that would have been shown; none blocks."""
    boxes: list[ShownBox] = []

    def fake_exec(box: QMessageBox) -> int:
        app = QCoreApplication.instance()
        assert app is not None
        boxes.append(
            ShownBox(
                box.text(),
                box.informativeText(),
                box.detailedText(),
                box.icon(),
                QThread.currentThread() == app.thread(),
            )
        )
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return boxes


def report(reporter: ErrorReporter, error: BaseException) -> None:
    """Raise ``error`` and hand it to the reporter as Python's excepthook would."""
    try:
        raise error
    except BaseException:
        exc_type, exc, tb = sys.exc_info()
        assert exc_type is not None and exc is not None
        reporter.handle_exception(exc_type, exc, tb)


def test_install_takes_both_hooks_and_uninstall_gives_them_back(tmp_path: Path) -> None:
    before = (sys.excepthook, threading.excepthook)
    installed = install_error_handler(tmp_path / "logs")
    try:
        assert sys.excepthook == installed.handle_exception
        assert threading.excepthook == installed.handle_thread_exception
    finally:
        installed.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_log_file_rotates_at_one_megabyte_keeping_five(reporter: ErrorReporter, tmp_path: Path) -> None:
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    ours = [h for h in handlers if Path(h.baseFilename) == tmp_path / "logs" / LOG_FILE]
    assert len(ours) == 1
    assert ours[0].maxBytes == 1_000_000
    assert ours[0].backupCount == 5
    assert reporter.log_path == tmp_path / "logs" / LOG_FILE


def test_unexpected_error_is_logged_and_shown_with_traceback(
    qtbot: QtBot, reporter: ErrorReporter, shown: list[ShownBox]
) -> None:
    report(reporter, ValueError("importo illeggibile"))

    qtbot.waitUntil(lambda: len(shown) == 1)
    box = shown[0]
    assert box.icon == QMessageBox.Icon.Critical
    assert "errore imprevisto" in box.text
    assert "ValueError: importo illeggibile" in box.informative
    assert str(reporter.log_path) in box.informative
    assert "Traceback" in box.details
    log_text = reporter.log_path.read_text(encoding="utf-8")
    assert "Traceback" in log_text
    assert "ValueError: importo illeggibile" in log_text


def test_burst_of_errors_shows_a_single_dialog(qtbot: QtBot, reporter: ErrorReporter, shown: list[ShownBox]) -> None:
    for number in range(3):
        report(reporter, RuntimeError(f"errore {number}"))

    qtbot.waitUntil(lambda: len(shown) >= 1)
    qtbot.wait(100)
    assert len(shown) == 1
    assert "RuntimeError: errore 0" in shown[0].informative
    assert "altri 2 errori" in shown[0].informative
    assert all(f"errore {number}" in shown[0].details for number in range(3))


def test_error_while_the_dialog_is_open_updates_it_instead_of_stacking(
    qtbot: QtBot, reporter: ErrorReporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    informative_texts: list[str] = []

    def exec_while_another_error_arrives(box: QMessageBox) -> int:
        # GIVEN the dialog is on screen WHEN a second error arrives THEN the open dialog says so
        report(reporter, KeyError("secondo"))
        QCoreApplication.processEvents()
        informative_texts.append(box.informativeText())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_while_another_error_arrives)
    report(reporter, KeyError("primo"))

    qtbot.waitUntil(lambda: len(informative_texts) == 1)
    qtbot.wait(100)
    assert len(informative_texts) == 1
    assert "anche un altro errore" in informative_texts[0]


def test_domain_error_shows_its_message_without_traceback(
    qtbot: QtBot, reporter: ErrorReporter, shown: list[ShownBox]
) -> None:
    message = "Il file delle impostazioni non è leggibile: riga 3."
    report(reporter, InvalidInput(message))

    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown[0].text == message
    assert shown[0].details == ""
    assert shown[0].icon == QMessageBox.Icon.Warning
    assert message in reporter.log_path.read_text(encoding="utf-8")


def test_error_in_a_worker_thread_is_shown_on_the_ui_thread(
    qtbot: QtBot, reporter: ErrorReporter, shown: list[ShownBox]
) -> None:
    def failing_work() -> None:
        raise OSError("disco pieno")

    worker = threading.Thread(target=failing_work)
    worker.start()
    worker.join()

    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown[0].on_ui_thread
    assert "OSError: disco pieno" in shown[0].informative
    assert "disco pieno" in reporter.log_path.read_text(encoding="utf-8")


def test_keyboard_interrupt_is_left_to_python(
    qtbot: QtBot, reporter: ErrorReporter, shown: list[ShownBox], monkeypatch: pytest.MonkeyPatch
) -> None:
    passed_on: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "__excepthook__", lambda exc_type, _exc, _tb: passed_on.append(exc_type))

    report(reporter, KeyboardInterrupt())

    qtbot.wait(50)
    assert passed_on == [KeyboardInterrupt]
    assert shown == []
