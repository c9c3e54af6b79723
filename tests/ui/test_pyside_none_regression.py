"""PySide6 6.12.0 on Python 3.11 loses a reference to None each time C++ calls a Python data() returning None.

After a few thousand such calls the interpreter aborts (``Fatal Python error: none_dealloc``). This test has
C++ call a Python ``data()`` that answers None more than a million times, through the proxy every table uses,
so that a broken PySide6 build crashes or fails here instead of in a clerk's hands.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from pytestqt.qtbot import QtBot

ROWS = 60_000
REQUIRED_CALLS = 1_000_000
# Roles nobody answers: the source returns None for them, as real models do for most roles.
UNANSWERED_ROLE = Qt.ItemDataRole.UserRole + 7

ModelIndex = QModelIndex | QPersistentModelIndex


class MostlyNoneModel(QAbstractTableModel):
    """Answers only the display role of the first column; every other call returns None."""

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows
        self.calls = 0
        self.none_answers = 0

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 2

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        self.calls += 1
        if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
            return index.row()
        self.none_answers += 1
        return None


def test_a_million_none_answers_through_a_proxy_keep_none_alive(qtbot: QtBot) -> None:
    # GIVEN a proxy over a source whose data() answers None for the roles the proxy asks for
    source = MostlyNoneModel(ROWS)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(source)
    proxy.setSortRole(UNANSWERED_ROLE)
    proxy.setFilterRole(UNANSWERED_ROLE)
    none_references_before = sys.getrefcount(None)

    # WHEN C++ sorts (two data() calls per comparison) and refilters (one per row), over and over
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    passes = 0
    while source.calls < REQUIRED_CALLS:
        proxy.setFilterFixedString("a" if passes % 2 else "b")
        passes += 1
    proxy.setFilterFixedString("")

    # THEN every call came back, None is still alive and its references were not drained
    assert source.calls >= REQUIRED_CALLS
    assert source.none_answers >= REQUIRED_CALLS
    assert proxy.rowCount() == ROWS
    assert sys.getrefcount(None) >= none_references_before - 1_000


def test_proxy_data_from_python_reaches_the_python_source_through_cpp(qtbot: QtBot) -> None:
    # GIVEN Python asks the C++ proxy, which calls back into the Python source for an unanswered role
    source = MostlyNoneModel(10)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(source)
    index = proxy.index(3, 1)
    none_references_before = sys.getrefcount(None)

    # WHEN that round trip happens many times
    answers = [proxy.data(index, Qt.ItemDataRole.ToolTipRole) for _ in range(100_000)]

    # THEN each one went through the Python data() and None came back intact
    assert source.calls >= 100_000
    assert all(answer is None for answer in answers)
    del answers
    assert sys.getrefcount(None) >= none_references_before - 1_000
