"""A schedule row's cells read by field, with the issues they raise located as the clerk sees them in Excel."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from app.services.imports import values
from app.services.imports.headers import column_letter
from app.services.imports.types import CellValue, Field, Issue, Severity
from app.services.imports.values import ValueProblem

_T = TypeVar("_T")
LIMITS = {
    Field.REFERENCE: 50, Field.HOLDER_NAME: 200, Field.ADMINISTRATOR_NAME: 200, Field.STREET: 200,
    Field.CITY: 100, Field.INSTALLATION: 50, Field.PEC: 200, Field.EMAIL: 200, Field.NOTES: 4000,
}  # fmt: skip


@dataclass
class RowCells:
    """The cells of the row being read, by field, and the issues found so far in the sheet."""

    file: str
    sheet: str | None
    headers: Sequence[str]
    columns: dict[Field, int]
    issues: list[Issue] = field(default_factory=list)
    # ERP exports repeat the same customers, amounts, dates and words thousands of times: each distinct raw
    # value is parsed once. Only values that parsed cleanly are kept, so an error is reported on every row.
    _cache: dict[Field, dict[CellValue, object]] = field(default_factory=lambda: {name: {} for name in Field})
    _cells: list[CellValue] = field(default_factory=list)
    _row: int = 0
    _failed: bool = False

    def __post_init__(self) -> None:
        # Every field has a position; an unmapped one points past the row's end, where a None is appended.
        self._width = max(self.columns.values(), default=-1) + 1
        self._positions = {name: self.columns.get(name, self._width) for name in Field}

    @property
    def error_count(self) -> int:
        return sum(1 for issue in self.issues if issue.severity is Severity.ERROR)

    def _cell(self, column: Field) -> CellValue:
        return self._cells[self._positions[column]]

    def _text(self, column: Field) -> str | None:
        cell = self._cells[self._positions[column]]
        if cell is None:
            return None
        result = (cell.strip() or None) if type(cell) is str else values.text(cell)
        if result is not None and column in LIMITS and len(result) > LIMITS[column]:
            self._limit(column, result)
        return result

    def _limit(self, column: Field, value: str) -> None:
        if len(value) > LIMITS[column]:
            self._error(column, f"testo troppo lungo: {len(value)} caratteri, al massimo {LIMITS[column]}")

    def _value(self, column: Field, parse: Callable[[CellValue], _T]) -> _T | None:
        cell = self._cells[self._positions[column]]
        if cell is None:
            return None
        cache = self._cache[column]
        known = cache.get(cell) if type(cell) is not bool else None  # True == 1 as a key
        if known is not None:
            return known  # type: ignore[return-value]
        if type(cell) is str and not cell.strip():
            return None
        try:
            result = parse(cell)
        except ValueProblem as problem:
            self._error(column, str(problem))
            return None
        cache[cell] = result
        return result

    def _money(self, column: Field, negative: str) -> Decimal | None:
        result = self._value(column, values.amount)
        if result is not None and result < 0:
            self._error(column, negative)
            return None
        return result

    def _error(self, column: Field, message: str) -> None:
        self._failed = True
        self._issue(Severity.ERROR, column, message)

    def _warn(self, column: Field, message: str) -> None:
        self._issue(Severity.WARNING, column, message)

    def _issue(self, severity: Severity, column: Field, message: str) -> None:
        index = self.columns.get(column)
        cell = self._cell(column)
        self.issues.append(
            Issue(
                severity=severity,
                file=self.file,
                sheet=self.sheet,
                row=self._row,
                column=self.headers[index] if index is not None else None,
                column_letter=column_letter(index) if index is not None else None,
                value=values.text(cell) if cell is not None else None,
                message=message,
            )
        )
