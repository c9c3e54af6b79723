"""UI tests never block on a real modal dialog: an unexpected message box fails the test instead."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture(autouse=True)
def no_modal_message_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **_kwargs: object) -> None:
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse))
