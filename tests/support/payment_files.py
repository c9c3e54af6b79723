"""The accounting office's list of collections, written as it sends it: CSV with ";" or xlsx, titles above."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

Cell = str | int | float | Decimal | date | None
HEADER = ("N. fattura", "Cliente", "Importo incassato", "Data incasso", "ID movimento", "Descrizione")
TITLE = (("Ufficio contabilità — incassi registrati",), ("Periodo: marzo 2026",))


@dataclass(frozen=True)
class Collection:
    """One row of the list: which invoice, how much, when, from whom, the movement's id and its remittance."""

    invoice: str
    amount: Decimal
    paid_on: date
    payer: str | None = None
    movement_id: str | None = None
    description: str | None = None


def italian_amount(value: Decimal) -> str:
    """``1234.5`` as the office writes it: ``1.234,50``."""
    whole, _, decimals = f"{value:.2f}".partition(".")
    return f"{int(whole):,}".replace(",", ".") + "," + decimals


def as_text_row(row: Collection) -> list[Cell]:
    """The row with every cell as text: Italian amount, dd/mm/yyyy date."""
    return [row.invoice, row.payer, italian_amount(row.amount), f"{row.paid_on:%d/%m/%Y}", row.movement_id,
            row.description]  # fmt: skip


def as_typed_row(row: Collection) -> list[Cell]:
    """The row as a spreadsheet types it: the amount a number, the date a date."""
    return [row.invoice, row.payer, float(row.amount), row.paid_on, row.movement_id, row.description]


def write_csv(
    path: Path,
    rows: Sequence[Sequence[Cell]],
    *,
    header: Sequence[str] = HEADER,
    title: Sequence[Sequence[str]] = TITLE,
    encoding: str = "utf-8",
) -> Path:
    """A ";"-separated file: the title rows, a blank row, the header, then ``rows`` as given."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        for line in title:
            writer.writerow(line)
        if title:
            writer.writerow([])
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if cell is None else str(cell) for cell in row])
    return path


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Cell]],
    *,
    header: Sequence[str] = HEADER,
    title: Sequence[Sequence[str]] = TITLE,
) -> Path:
    """One sheet with the title rows, a blank row, the header, then ``rows`` typed as given."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Incassi"
    for line in title:
        sheet.append(list(line))
    if title:
        sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append([float(cell) if isinstance(cell, Decimal) else cell for cell in row])
    book.save(path)
    return path


def collections_csv(path: Path, collections: Sequence[Collection], *, title: Sequence[Sequence[str]] = TITLE) -> Path:
    """The collections as the office's CSV, every cell as text."""
    return write_csv(path, [as_text_row(row) for row in collections], title=title)
