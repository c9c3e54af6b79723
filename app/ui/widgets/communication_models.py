"""Table models of the Communications page: the journal, whose rows arrive in blocks from a worker thread, and
the small tables of the detail panel (items, timeline, documents)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont

from app.models import CommunicationStatus, DocumentKind
from app.services.dunning.journal import CommunicationRow, DocumentLine, EventLine, ItemLine
from app.ui import formatting
from app.ui.widgets.communication_labels import (
    NEEDS_CLERK,
    channel_label,
    event_label,
    status_color,
    status_label,
)
from app.ui.widgets.debtors_models import Column, RowTableModel

Index = QModelIndex | QPersistentModelIndex
BLOCK = 200
CACHE_LIMIT = 2000
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
STATUS_COLUMN = 4


@dataclass(frozen=True)
class JournalColumn:
    title: str
    render: Callable[[CommunicationRow], str]
    alignment: int | None = None


def journal_columns(model: QObject) -> tuple[JournalColumn, ...]:
    """The journal's columns, titles translated now (after the translator is installed)."""
    tr = model.tr
    return (
        JournalColumn(tr("Pagatore"), lambda r: r.payer_name),
        JournalColumn(tr("Canale"), lambda r: channel_label(r.channel)),
        JournalColumn(tr("Livello"), lambda r: r.level_name or ""),
        JournalColumn(tr("Indirizzo"), lambda r: r.address or ""),
        JournalColumn(tr("Stato"), lambda r: status_label(r.status)),
        JournalColumn(tr("Pianificato il"), lambda r: formatting.day(r.planned_on)),
        JournalColumn(tr("Inviato il"), lambda r: formatting.moment(r.sent_at)),
        JournalColumn(tr("Voci"), lambda r: formatting.count(r.items), RIGHT),
        JournalColumn(tr("Importo"), lambda r: formatting.money(r.amount), RIGHT),
        JournalColumn(tr("Errore"), lambda r: r.error or ""),
    )


class CommunicationTableModel(QAbstractTableModel):
    """Messages by id and status, newest first; each row's text is asked for, in blocks, when first shown.

    The model never reads the database: ``rows_wanted`` asks the page for a block, the page fetches it on a
    worker thread and hands it back to :meth:`add_rows`. Until then a row shows its status alone.
    """

    rows_wanted = Signal(int, int, list)  # generation, block number, the block's ids

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []
        self._statuses: list[CommunicationStatus] = []
        self._cache: OrderedDict[int, CommunicationRow] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self._columns = journal_columns(self)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_entries(self, entries: Sequence[tuple[int, CommunicationStatus]]) -> None:
        """Show these messages in this order; rows fetched before are dropped, as they may have changed."""
        self.beginResetModel()
        self._generation += 1
        self._ids = [communication_id for communication_id, _ in entries]
        self._statuses = [status for _, status in entries]
        self._cache.clear()
        self._pending.clear()
        self.endResetModel()

    def add_rows(self, generation: int, block: int, rows: dict[int, CommunicationRow]) -> None:
        """Take a block fetched for ``generation``; one meant for an earlier list of messages is dropped."""
        if generation != self._generation:
            return
        self._pending.discard(block)
        for communication_id, row in rows.items():
            self._cache[communication_id] = row
            self._cache.move_to_end(communication_id)
        while len(self._cache) > CACHE_LIMIT:
            self._cache.popitem(last=False)
        first, last = block * BLOCK, min(len(self._ids), (block + 1) * BLOCK) - 1
        if first <= last:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self._columns) - 1))

    @property
    def generation(self) -> int:
        """Which list of messages is shown: it changes with every :meth:`set_entries`."""
        return self._generation

    @property
    def ids(self) -> list[int]:
        """The messages listed, in order (not a copy: do not change it)."""
        return self._ids

    def entry(self, position: int) -> tuple[int, CommunicationStatus]:
        """The id and status (as listed) of the message at ``position``."""
        return self._ids[position], self._statuses[position]

    def row_at(self, position: int) -> CommunicationRow | None:
        """The message's line if it has arrived, else None (without asking for it)."""
        return self._cache.get(self._ids[position])

    def positions_of(self, ids: set[int]) -> list[int]:
        """Where the given messages are in the list, for those still in it."""
        return [position for position, communication_id in enumerate(self._ids) if communication_id in ids]

    def cached_rows(self) -> int:
        """How many rows are held in memory (for tests)."""
        return len(self._cache)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title if 0 <= section < len(self._columns) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        position, column = index.row(), index.column()
        status = self._statuses[position]
        if column == STATUS_COLUMN and role == Qt.ItemDataRole.ForegroundRole:
            color = status_color(status)
            return QBrush(color) if color is not None else None
        if column == STATUS_COLUMN and role == Qt.ItemDataRole.FontRole:
            return self._bold if status in NEEDS_CLERK else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._columns[column].alignment
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._cache.get(self._ids[position])
        if row is None:
            self._want(position)
            return status_label(status) if column == STATUS_COLUMN and role == Qt.ItemDataRole.DisplayRole else None
        text = self._columns[column].render(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return text or None  # long addresses and errors are cut in the cell
        return text

    def _want(self, position: int) -> None:
        block = position // BLOCK
        if block in self._pending:
            return
        self._pending.add(block)
        self.rows_wanted.emit(self._generation, block, self._ids[block * BLOCK : (block + 1) * BLOCK])


def _document_kind(kind: DocumentKind) -> str:
    try:
        return formatting.document_kind_label(kind)
    except KeyError:  # a kind the shared labels do not name yet: better its code than a broken panel
        return kind.value


class ItemsModel(RowTableModel[ItemLine]):
    """The notices and credits a message reminds of."""

    def columns(self) -> list[Column[ItemLine]]:
        return [
            Column(self.tr("Intestatario"), lambda r: r.holder_name, tooltip=lambda r: r.holder_name),
            Column(self.tr("Codice / numero"), lambda r: r.code or ""),
            Column(self.tr("Scadenza"), lambda r: formatting.day(r.due_date), lambda r: r.due_date),
            Column(self.tr("Importo"), lambda r: formatting.money(r.amount), lambda r: r.amount, True),
        ]


class EventsModel(RowTableModel[EventLine]):
    """A timeline: what happened, when, and who did it; ``describe`` names the message of each event."""

    def __init__(self, parent: QObject | None = None, describe: Callable[[int], str] | None = None) -> None:
        self._describe = describe
        super().__init__(parent)
        self.highlighted: int | None = None

    def columns(self) -> list[Column[EventLine]]:
        found: list[Column[EventLine]] = [
            Column(self.tr("Quando"), lambda r: formatting.moment(r.at), lambda r: r.at),
            Column(self.tr("Evento"), lambda r: event_label(r.kind)),
            Column(self.tr("Stato"), lambda r: status_label(r.status) if r.status else ""),
            Column(self.tr("Utente"), lambda r: r.user_name or ""),
            Column(self.tr("Dettaglio"), lambda r: r.detail or "", tooltip=lambda r: r.detail or ""),
        ]
        if self._describe is not None:
            describe = self._describe
            found.insert(1, Column(self.tr("Comunicazione"), lambda r: describe(r.communication_id)))
        return found

    def row_data(self, row: EventLine, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and row.communication_id == self.highlighted:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and row.status is not None:
            color = status_color(row.status)
            return QBrush(color) if color is not None and row.status in NEEDS_CLERK else None
        return None


class DocumentsModel(RowTableModel[DocumentLine]):
    """The archived files of a message."""

    def columns(self) -> list[Column[DocumentLine]]:
        return [
            Column(self.tr("Tipo"), lambda r: _document_kind(r.kind)),
            Column(self.tr("Archiviato il"), lambda r: formatting.moment(r.created_at), lambda r: r.created_at),
            Column(self.tr("File"), lambda r: r.relative_path, tooltip=lambda r: r.relative_path),
        ]
