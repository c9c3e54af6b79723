"""Table models of the Debtors page: plain rows from the services, shown in Italian formats."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from app.models import SubjectKind
from app.services.debtors import AssignmentRow, CondominiumRow, DebtRole, SubjectRow
from app.ui.formatting import day, money

R = TypeVar("R")
AnyIndex = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
PROBLEM_COLOR = QColor("#b3261e")
PAST_COLOR = QColor("#6b6b6b")


def fill(template: str, *values: object) -> str:
    """Put ``values`` in the ``%1``, ``%2`` … places of a translated text, as Qt's ``arg()`` does."""
    for number, value in reversed(list(enumerate(values, start=1))):
        template = template.replace(f"%{number}", str(value))
    return template


@dataclass(frozen=True)
class Column(Generic[R]):
    """How one column shows a row: its text, sort key, alignment and, if any, a problem to flag."""

    header: str
    text: Callable[[R], str]
    sort_key: Callable[[R], Any] | None = None
    numeric: bool = False
    tooltip: Callable[[R], str] | None = None
    problem: Callable[[R], str | None] | None = None


class RowTableModel(QAbstractTableModel, Generic[R]):
    """A read-only table over a list of frozen rows; sorting is in memory (these lists are short)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._given: list[R] = []
        self._rows: list[R] = []
        self._columns: list[Column[R]] = self.columns()
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None

    def columns(self) -> list[Column[R]]:
        raise NotImplementedError

    def set_rows(self, rows: Sequence[R]) -> None:
        """Replace every row, keeping the clerk's chosen sort (if none, the order given)."""
        self.beginResetModel()
        self._given = list(rows)
        self._rows = self._ordered(self._given)
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if self._columns[section].numeric else None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractItemModel.CheckIndexOption.IndexIsValid):
            return None
        row, column = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.numeric else None
        problem = column.problem(row) if column.problem else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem or (column.tooltip(row) if column.tooltip else None) or None
        if problem and role == Qt.ItemDataRole.DecorationRole:
            return _warning_icon()
        if problem and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(PROBLEM_COLOR)
        return self.row_data(row, role)

    def row_data(self, row: R, role: int) -> Any:
        """Roles that depend on the whole row (a past row greyed, a current one bold); None by default."""
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``; a column outside the table (-1) restores the order the service gave."""
        self._sorted_by = (column, order) if 0 <= column < len(self._columns) else None
        self.layoutAboutToBeChanged.emit()
        position = {id(row): index for index, row in enumerate(self._rows)}
        new_rows = self._ordered(self._given)
        new_position = [0] * len(new_rows)
        for new, row in enumerate(new_rows):
            new_position[position[id(row)]] = new
        self._rows = new_rows
        old_indexes = self.persistentIndexList()
        new_indexes = [self.index(new_position[i.row()], i.column()) for i in old_indexes]
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()

    def _ordered(self, rows: list[R]) -> list[R]:
        if self._sorted_by is None:
            return list(rows)
        column, order = self._sorted_by
        spec = self._columns[column]
        key = spec.sort_key or (lambda row: spec.text(row).casefold())
        # Rows without a value go last whichever the direction, as a clerk expects of blanks.
        valued = sorted(
            (row for row in rows if key(row) is not None),
            key=key,
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        return valued + [row for row in rows if key(row) is None]


def _warning_icon() -> QIcon:
    style = QApplication.style()
    return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning) if style else QIcon()


class SubjectTableModel(RowTableModel[SubjectRow]):
    """The registry search results."""

    def columns(self) -> list[Column[SubjectRow]]:
        return [
            Column(self.tr("Tipo"), lambda r: self.kind_label(r.kind)),
            Column(self.tr("Nominativo"), lambda r: r.name, tooltip=lambda r: r.name),
            Column(self.tr("Codice fiscale"), lambda r: r.tax_code or "", problem=self._tax_code_problem),
            Column(self.tr("Partita IVA"), lambda r: r.vat_number or "", problem=self._vat_number_problem),
            # What is owed comes before the contacts, so it stays in view on a narrow screen.
            Column(self.tr("Debitore come"), lambda r: self.role_label(r.role), tooltip=self._role_tooltip),
            Column(self.tr("Crediti aperti"), lambda r: str(r.open_credits), lambda r: r.open_credits, True),
            Column(self.tr("Residuo"), lambda r: money(r.outstanding), lambda r: r.outstanding, True),
            Column(self.tr("Comune"), lambda r: _city(r.city, r.province)),
            Column(self.tr("Cellulare"), lambda r: r.mobile or ""),
            Column(self.tr("E-mail / PEC"), lambda r: r.pec or r.email or "", tooltip=self._mail_tooltip),
        ]

    def kind_label(self, kind: SubjectKind) -> str:
        """The kind of subject, in the singular, as the clerk says it."""
        return {
            SubjectKind.PERSON: self.tr("Persona"),
            SubjectKind.COMPANY: self.tr("Società"),
            SubjectKind.CONDOMINIUM: self.tr("Condominio"),
            SubjectKind.ADMINISTRATOR: self.tr("Amministratore"),
        }[kind]

    def role_label(self, role: DebtRole) -> str:
        return {
            DebtRole.NONE: "",
            DebtRole.HOLDER: self.tr("Intestatario"),
            DebtRole.PAYER: self.tr("Pagatore"),
            DebtRole.HOLDER_AND_PAYER: self.tr("Intestatario e pagatore"),
        }[role]

    def _tax_code_problem(self, row: SubjectRow) -> str | None:
        problem = row.tax_code_problem
        return fill(self.tr("Codice fiscale non valido: %1"), problem) if problem else None

    def _vat_number_problem(self, row: SubjectRow) -> str | None:
        problem = row.vat_number_problem
        return fill(self.tr("Partita IVA non valida: %1"), problem) if problem else None

    def _mail_tooltip(self, row: SubjectRow) -> str:
        lines = [fill(self.tr("PEC: %1"), row.pec)] if row.pec else []
        if row.email:
            lines.append(fill(self.tr("E-mail: %1"), row.email))
        return "\n".join(lines)

    def _role_tooltip(self, row: SubjectRow) -> str:
        lines = []
        if row.as_holder.count:
            text = self.tr("Come intestatario: %1 crediti aperti, %2")
            lines.append(fill(text, row.as_holder.count, money(row.as_holder.outstanding)))
        if row.as_payer.count:
            text = self.tr("Come pagatore per conto di altri: %1 crediti aperti, %2")
            lines.append(fill(text, row.as_payer.count, money(row.as_payer.outstanding)))
        return "\n".join(lines)


def _city(city: str | None, province: str | None) -> str:
    if city and province:
        return f"{city} ({province})"
    return city or ""


class HistoryTableModel(RowTableModel[AssignmentRow]):
    """A condominium's administrators, oldest first; the one in charge today in bold."""

    def columns(self) -> list[Column[AssignmentRow]]:
        return [
            Column(self.tr("Amministratore"), lambda r: r.administrator_name),
            Column(self.tr("Dal"), lambda r: day(r.valid_from), lambda r: r.valid_from),
            Column(self.tr("Al"), lambda r: day(r.valid_to), lambda r: r.valid_to or date.max),
            Column(self.tr("Attuale"), lambda r: self.tr("Sì") if r.current else self.tr("No")),
        ]

    def row_data(self, row: AssignmentRow, role: int) -> Any:
        if row.current and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None


class CondominiumTableModel(RowTableModel[CondominiumRow]):
    """An administrator's condominiums with their open credits; past ones greyed."""

    def columns(self) -> list[Column[CondominiumRow]]:
        return [
            Column(self.tr("Condominio"), lambda r: r.name, tooltip=lambda r: r.name),
            Column(self.tr("Indirizzo"), lambda r: r.address, tooltip=lambda r: r.address),
            Column(self.tr("Dal"), lambda r: day(r.valid_from), lambda r: r.valid_from),
            Column(self.tr("Al"), lambda r: day(r.valid_to), lambda r: r.valid_to or date.max),
            Column(self.tr("Stato"), lambda r: self.tr("Attuale") if r.current else self.tr("Passato")),
            Column(self.tr("Crediti aperti"), lambda r: str(r.open_credits), lambda r: r.open_credits, True),
            Column(self.tr("Residuo"), lambda r: money(r.outstanding), lambda r: r.outstanding, True),
        ]

    def row_data(self, row: CondominiumRow, role: int) -> Any:
        if not row.current and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(PAST_COLOR)
        return None
