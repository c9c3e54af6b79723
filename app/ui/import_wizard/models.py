"""Read-only tables of text for the wizard: the sheet's first rows, the parsed preview, issues, missing credits."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.imports import Field, Issue, MissingCredit, PreviewRow, Severity, SheetPreview
from app.services.imports.headers import column_letter
from app.ui import formatting
from app.ui.import_wizard.labels import field_label, severity_label

Index = QModelIndex | QPersistentModelIndex
translate = QCoreApplication.translate
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class RowStyle(enum.Enum):
    """How a row stands out: light backgrounds always come with dark text, so they read on a dark theme too."""

    ERROR = ("#f8d7d6", "#5c0f0b")
    WARNING = ("#fdefc3", "#4d3800")
    HEADER = ("#d6e4f7", "#0d2a4d")
    MUTED = (None, "#7a7a7a")


_BRUSHES = {style: tuple(QBrush(QColor(c)) if c else None for c in style.value) for style in RowStyle}


class TextTableModel(QAbstractTableModel):
    """Rows of text with column titles, optional row labels, a style and a tooltip per row."""

    def __init__(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        styles: Sequence[RowStyle | None] | None = None,
        tooltips: Sequence[str] | None = None,
        row_labels: Sequence[str] | None = None,
        right_columns: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__()
        self._headers = list(headers)
        self._rows = [list(row) for row in rows]
        self._styles = list(styles) if styles is not None else [None] * len(self._rows)
        self._tooltips = list(tooltips) if tooltips is not None else []
        self._row_labels = list(row_labels) if row_labels is not None else []
        self._right = right_columns
        self._bold = QFont()
        self._bold.setBold(True)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._headers)

    def style(self, row: int) -> RowStyle | None:
        """How row ``row`` is highlighted."""
        return self._styles[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            cells = self._rows[row]
            text = cells[column] if column < len(cells) else ""
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._tooltips[row] if row < len(self._tooltips) and self._tooltips[row] else text or None
            return text
        style = self._styles[row]
        if role == Qt.ItemDataRole.BackgroundRole and style is not None:
            return _BRUSHES[style][0]
        if role == Qt.ItemDataRole.ForegroundRole and style is not None:
            return _BRUSHES[style][1]
        if role == Qt.ItemDataRole.FontRole and style is RowStyle.HEADER:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self._right:
            return RIGHT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        if 0 <= section < len(self._row_labels):
            return self._row_labels[section]
        return str(section + 1)


def sheet_model(sheet: SheetPreview, header_row: int | None) -> TextTableModel:
    """The sheet as Excel shows it: row numbers down the side, letters across, the header row highlighted."""
    width = max((len(cells) for _, cells in sheet.rows), default=0)
    styles: list[RowStyle | None] = []
    for number, _ in sheet.rows:
        if header_row is None:
            styles.append(None)
        else:
            styles.append(RowStyle.HEADER if number == header_row else RowStyle.MUTED if number < header_row else None)
    return TextTableModel(
        [column_letter(index) for index in range(width)],
        [cells for _, cells in sheet.rows],
        styles=styles,
        row_labels=[str(number) for number, _ in sheet.rows],
    )


def preview_model(rows: Sequence[PreviewRow], fields: Sequence[Field]) -> TextTableModel:
    """The first parsed rows: Excel row, outcome, what is wrong, then each mapped field."""
    headers = [
        translate("ImportTables", "Riga"),
        translate("ImportTables", "Esito"),
        translate("ImportTables", "Problemi"),
        *[field_label(f) for f in fields],
    ]
    table = [
        [str(row.row), severity_label(row.severity), "; ".join(row.messages), *[row.values.get(f, "") for f in fields]]
        for row in rows
    ]
    return TextTableModel(
        headers,
        table,
        styles=[_severity_style(row.severity) for row in rows],
        tooltips=["\n".join(row.messages) for row in rows],
        right_columns=frozenset({0}),
    )


def issues_model(issues: Sequence[Issue]) -> TextTableModel:
    """Every error and warning, errors first, as the clerk finds them in Excel."""
    ordered = sorted(issues, key=lambda i: (i.severity is not Severity.ERROR, i.row or 0))
    headers = [
        translate("ImportTables", "Gravità"),
        translate("ImportTables", "Riga"),
        translate("ImportTables", "Colonna"),
        translate("ImportTables", "Valore"),
        translate("ImportTables", "Problema"),
    ]
    table = [
        [
            severity_label(issue.severity),
            str(issue.row) if issue.row is not None else "",
            _column_text(issue),
            issue.value or "",
            issue.message,
        ]
        for issue in ordered
    ]
    return TextTableModel(
        headers,
        table,
        styles=[_severity_style(issue.severity) for issue in ordered],
        tooltips=[issue.describe() for issue in ordered],
        right_columns=frozenset({1}),
    )


def missing_model(missing: Sequence[MissingCredit]) -> TextTableModel:
    """The open credits a full export no longer lists."""
    headers = [field_label(Field.REFERENCE), translate("ImportTables", "Cliente"), field_label(Field.DUE_DATE)]
    headers.append(field_label(Field.OUTSTANDING))
    table = [
        [credit.reference, credit.holder_name, formatting.day(credit.due_date), formatting.money(credit.outstanding)]
        for credit in missing
    ]
    return TextTableModel(headers, table, right_columns=frozenset({3}))


def _column_text(issue: Issue) -> str:
    if issue.column and issue.column_letter:
        return f"{issue.column} ({issue.column_letter})"
    return issue.column or issue.column_letter or ""


def _severity_style(severity: Severity | None) -> RowStyle | None:
    if severity is Severity.ERROR:
        return RowStyle.ERROR
    if severity is Severity.WARNING:
        return RowStyle.WARNING
    return None
