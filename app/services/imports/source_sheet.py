"""Workbook sheets through calamine, row by row as Excel numbers them: errors become refusals a clerk can read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from python_calamine import CalamineSheet, CalamineWorkbook, PasswordError, SheetTypeEnum

from app.services.errors import UnreadableFile
from app.services.imports import source_messages as msg
from app.services.imports.source_limits import MAX_CELL_CHARS, MAX_ROW_NUMBER
from app.services.imports.types import CellValue


@contextmanager
def calamine_errors(file_name: str) -> Iterator[None]:
    """Turn whatever calamine raises (a Rust panic included) into an UnreadableFile naming the file."""
    try:
        yield
    except UnreadableFile:
        raise
    except PasswordError as error:
        raise msg.file_refusal(file_name, msg.PASSWORD) from error
    except Exception as error:
        raise msg.file_refusal(file_name, msg.DAMAGED) from error
    except BaseException as error:
        # pyo3 reports a panic in Rust code as PanicException, which derives from BaseException
        if type(error).__name__ != "PanicException":
            raise
        raise msg.file_refusal(file_name, msg.DAMAGED) from error


def load_workbook(path: Path, file_name: str) -> CalamineWorkbook:
    """The workbook at ``path``, its format found by calamine from the bytes, whatever the file's extension."""
    with calamine_errors(file_name), path.open("rb") as handle:
        return CalamineWorkbook.from_filelike(handle)


def worksheet_names(workbook: CalamineWorkbook) -> list[str]:
    """The names of the workbook's worksheets in workbook order, leaving out chart and macro sheets."""
    return [sheet.name for sheet in workbook.sheets_metadata if sheet.typ == SheetTypeEnum.WorkSheet]


def sheet_rows(
    sheet: CalamineSheet, file_name: str, sheet_name: str, limit: int | None = None
) -> Iterator[tuple[int, list[CellValue]]]:
    """(Excel row number, cells from column A) for each row that is not blank, "" turned into None.

    Raises UnreadableFile for a sheet past the row limit (before the first row) and for an over-long cell.
    """
    start, end = sheet.start, sheet.end
    if start is None or end is None or limit == 0:
        return
    if end[0] + 1 > MAX_ROW_NUMBER:
        raise msg.place_refusal(file_name, msg.TOO_MANY_ROWS, sheet=sheet_name)
    first_row, first_column = start
    # iter_rows pads the rows above the used range but starts each row at its first used column
    lead: list[CellValue] = [None] * first_column
    yielded = 0
    for number, raw in enumerate(islice(sheet.iter_rows(), first_row, None), first_row + 1):
        # One pass in C for the common row (no empty cell, nothing long); the careful pass only when needed.
        if "" in raw or max(map(_length, raw)) > MAX_CELL_CHARS:
            cells: list[CellValue] = [None if value == "" else value for value in raw]
            if cells.count(None) == len(cells):
                continue
            for value in raw:
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    column = first_column + raw.index(value)
                    raise msg.place_refusal(file_name, msg.CELL_TOO_LONG, sheet=sheet_name, row=number, column=column)
        else:
            cells = raw  # type: ignore[assignment]  # no "" in it: already what the readers promise
        yield number, lead + cells if first_column else cells
        yielded += 1
        if yielded == limit:
            return


def _length(value: CellValue) -> int:
    return len(value) if type(value) is str else 0
