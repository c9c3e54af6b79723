"""UI tests never block on a real modal dialog: an unexpected message box fails the test instead."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QMessageBox

from app.ui.i18n import LOCALES


@pytest.fixture(autouse=True)
def italian_locale() -> Iterator[None]:
    """Numbers read as the app shows them by default (1.234,50), whatever this machine's locale is."""
    QLocale.setDefault(LOCALES["it"])
    yield
    QLocale.setDefault(LOCALES["it"])


@pytest.fixture(autouse=True)
def no_modal_message_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **_kwargs: object) -> None:
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse))
