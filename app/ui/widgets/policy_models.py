"""The levels of the policy being edited, as a table: when each goes out, on which channels, from what amount."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QCoreApplication, QModelIndex, QObject, Qt

from app.models import Channel
from app.services.dunning.policies import LevelDraft, template_problems
from app.ui import formatting
from app.ui.widgets.debtors_models import PROBLEM_COLOR, RIGHT, AnyIndex


def offset_label(days: int) -> str:
    """``-10`` → "10 giorni prima della scadenza"; ``0`` → "il giorno della scadenza"."""
    tr = QCoreApplication.translate
    if days == 0:
        return tr("Policy", "il giorno della scadenza")
    if days in (-1, 1):
        return tr("Policy", "1 giorno prima della scadenza") if days < 0 else tr("Policy", "1 giorno dopo la scadenza")
    text = tr("Policy", "{0} giorni prima della scadenza") if days < 0 else tr("Policy", "{0} giorni dopo la scadenza")
    return text.format(abs(days))


def channels_label(channels: tuple[str, ...]) -> str:
    """The channels as read, first choice first: "WhatsApp → E-mail → Posta"."""
    known = {channel.value: channel for channel in Channel}
    return " → ".join(formatting.channel_label(known[name]) if name in known else name for name in channels)


class LevelTableModel(QAbstractTableModel):
    """The levels as drafts, in the order the clerk sees them (saving sorts them by days)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._levels: list[LevelDraft] = []
        self._headers = (self.tr("N."), self.tr("Livello"), self.tr("Quando"), self.tr("Canali"),
                         self.tr("Importo minimo"), self.tr("Modello WhatsApp"))  # fmt: skip

    def set_levels(self, levels: tuple[LevelDraft, ...]) -> None:
        """Show ``levels`` instead of what was there."""
        self.beginResetModel()
        self._levels = list(levels)
        self.endResetModel()

    def levels(self) -> tuple[LevelDraft, ...]:
        """The levels as they now stand."""
        return tuple(self._levels)

    def level(self, row: int) -> LevelDraft:
        return self._levels[row]

    def replace_level(self, row: int, level: LevelDraft) -> None:
        """Put the edited ``level`` in ``row``."""
        self._levels[row] = level
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def add_level(self, level: LevelDraft) -> int:
        """Append ``level``; returns its row."""
        row = len(self._levels)
        self.beginInsertRows(QModelIndex(), row, row)
        self._levels.append(level)
        self.endInsertRows()
        return row

    def remove_level(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._levels[row]
        self.endRemoveRows()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._levels)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractItemModel.CheckIndexOption.IndexIsValid):
            return None
        level, column = self._levels[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), level, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 4):
            return RIGHT
        problems = template_problems(level.template) if column == 1 else []
        if problems and role == Qt.ItemDataRole.ForegroundRole:
            return PROBLEM_COLOR
        if problems and role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(problems)
        return None

    def _text(self, row: int, level: LevelDraft, column: int) -> str:
        texts = (str(row + 1), level.name, offset_label(level.offset_days), channels_label(level.channels),
                 formatting.money(level.min_outstanding) if level.min_outstanding else "—",
                 level.provider_template or "—")  # fmt: skip
        return texts[column]
