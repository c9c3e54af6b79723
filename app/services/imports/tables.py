"""Small tables a clerk receives (the bank's MAV codes, the accounting office's collections): found by their
header row, read whole, every cell named by file, row and column when it is wrong."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.services.imports.headers import normalise
from app.services.imports.sources import open_source
from app.services.imports.types import CellValue

_HEADER_ROWS = 20


@dataclass(frozen=True)
class TableRow:
    """One data row: its number as Excel shows it, and the cells of the columns asked for (None when blank)."""

    number: int
    cells: dict[str, CellValue]


@dataclass(frozen=True)
class Table:
    """A table read whole: its file, sheet, the header text of each column found, and the data rows."""

    file_name: str
    sheet: str | None
    headers: dict[str, str]
    rows: list[TableRow]


class TableNotFound(Exception):
    """No row names the required columns; the message says which are missing."""


def read_table(path: Path, columns: Mapping[str, Sequence[str]], required: Sequence[str]) -> Table:
    """The first sheet's rows under the first header row that names every ``required`` column.

    ``columns`` gives, for each column wanted, the header names that mean it (compared without case, accents or
    punctuation). Raises UnreadableFile for a file that is not a table, TableNotFound when no header row fits.
    """
    lookup = {normalise(name): (key, rank) for key, names in columns.items() for rank, name in enumerate(names)}
    with open_source(path) as source:
        sheet = source.sheet_names()[0]
        rows = source.rows(sheet)
        header: dict[str, int] = {}
        header_texts: dict[str, str] = {}
        for number, cells in rows:
            header, header_texts = _header(cells, lookup)
            if all(key in header for key in required):
                break
            if number > _HEADER_ROWS:
                break
        else:
            header = {}
        missing = [columns[key][0] for key in required if key not in header]
        if missing:
            raise TableNotFound(
                f"{source.file_name}: nelle prime {_HEADER_ROWS} righe non c'è un'intestazione con le colonne "
                + ", ".join(f"«{name}»" for name in missing)
            )
        data = [
            TableRow(number, {key: cells[index] if index < len(cells) else None for key, index in header.items()})
            for number, cells in rows
        ]
        return Table(source.file_name, None if source.kind == "csv" else sheet, header_texts, data)


def _header(cells: Sequence[CellValue], lookup: Mapping[str, tuple[str, int]]) -> tuple[dict[str, int], dict[str, str]]:
    # Names are listed most specific first: "Importo incassato" wins over a plain "Importo" in the same row.
    best: dict[str, tuple[int, int]] = {}
    texts: dict[str, str] = {}
    for index, cell in enumerate(cells):
        if not isinstance(cell, str) or (found := lookup.get(normalise(cell))) is None:
            continue
        key, rank = found
        if key not in best or rank < best[key][0]:
            best[key], texts[key] = (rank, index), cell.strip()
    return {key: index for key, (_rank, index) in best.items()}, texts
