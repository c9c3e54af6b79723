"""A table model over the database: it holds the ordered ids of the current query and a small row cache.

Rows are fetched in blocks when the view first asks for them, so 100,000 credits cost 100,000 integers in
memory, and sorting asks the page for a new SQL query instead of sorting in Python.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.models import CreditStatus
from app.services.credits.query import CreditRow, SortKey
from app.ui import formatting

Index = QModelIndex | QPersistentModelIndex
RowFetcher = Callable[[Sequence[int]], dict[int, CreditRow]]
BLOCK = 200
CACHE_LIMIT = 2000
ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_BRUSH = QBrush(QColor("#b3261e"))
PAID_BRUSH = QBrush(QColor("#2e7d32"))
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignCenter)


@dataclass(frozen=True)
class Column:
    key: SortKey
    title: str
    render: Callable[[CreditRow], str]
    alignment: int | None = None


def columns() -> tuple[Column, ...]:
    """The table's columns, titles translated now (after the translator is installed)."""

    translate = QCoreApplication.translate
    return (
        Column(SortKey.REFERENCE, translate("CreditsTableModel", "Numero"), lambda r: r.reference),
        Column(SortKey.HOLDER, translate("CreditsTableModel", "Intestatario"), lambda r: r.holder_name),
        Column(SortKey.PAYER, translate("CreditsTableModel", "Pagatore"), lambda r: r.payer_name),
        Column(
            SortKey.DUE_DATE, translate("CreditsTableModel", "Scadenza"), lambda r: formatting.day(r.due_date), CENTER
        ),
        Column(SortKey.AMOUNT, translate("CreditsTableModel", "Importo"), lambda r: formatting.money(r.amount), RIGHT),
        Column(
            SortKey.OUTSTANDING,
            translate("CreditsTableModel", "Residuo"),
            lambda r: formatting.money(r.outstanding),
            RIGHT,
        ),
        Column(SortKey.STATUS, translate("CreditsTableModel", "Stato"), lambda r: formatting.status_label(r.status)),
        Column(SortKey.KIND, translate("CreditsTableModel", "Tipo"), lambda r: formatting.kind_label(r.kind)),
        Column(SortKey.ROLL, translate("CreditsTableModel", "Ruolo"), lambda r: r.roll_name or ""),
        Column(
            SortKey.ISSUE_DATE,
            translate("CreditsTableModel", "Emissione"),
            lambda r: formatting.day(r.issue_date),
            CENTER,
        ),
        Column(SortKey.COLLECTOR, translate("CreditsTableModel", "Incaricato"), lambda r: r.collector_name or ""),
    )


class CreditsTableModel(QAbstractTableModel):
    """Credits by id, rows loaded on demand from ``fetch_rows``."""

    sort_requested = Signal(object, bool)

    def __init__(self, fetch_rows: RowFetcher, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch_rows = fetch_rows
        self._ids: list[int] = []
        self._cache: OrderedDict[int, CreditRow] = OrderedDict()
        self._columns = columns()

    def set_ids(self, ids: list[int]) -> None:
        """Show these credits, in this order; cached rows are dropped because their data may have changed."""
        self.beginResetModel()
        self._ids = ids
        self._cache.clear()
        self.endResetModel()

    def credit_id(self, row: int) -> int:
        return self._ids[row]

    @property
    def ids(self) -> list[int]:
        return self._ids

    def cached_rows(self) -> int:
        """How many rows are held in memory (for tests and benchmarks)."""
        return len(self._cache)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.TextAlignmentRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.render(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.alignment
        if column.key == SortKey.STATUS:
            return _status_brush(row.status)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is SQL's job: ask the page for the same query in the new order."""
        if 0 <= column < len(self._columns):
            self.sort_requested.emit(self._columns[column].key, order == Qt.SortOrder.DescendingOrder)

    def _row(self, position: int) -> CreditRow | None:
        credit_id = self._ids[position]
        row = self._cache.get(credit_id)
        if row is not None:
            self._cache.move_to_end(credit_id)
            return row
        start = max(0, position - BLOCK // 4)
        block = [i for i in self._ids[start : start + BLOCK] if i not in self._cache]
        for fetched_id, fetched in self._fetch_rows(block).items():
            self._cache[fetched_id] = fetched
        while len(self._cache) > CACHE_LIMIT:
            self._cache.popitem(last=False)
        return self._cache.get(credit_id)


def _status_brush(status: CreditStatus) -> QBrush | None:
    if status in (CreditStatus.OVERDUE, CreditStatus.IN_LEGAL):
        return OVERDUE_BRUSH
    if status == CreditStatus.PAID:
        return PAID_BRUSH
    return None
