"""Finding the header row and mapping columns from the names ERPs give them."""

from __future__ import annotations

from app.services.imports.headers import (
    automatic_mapping,
    column_letter,
    field_for,
    find_header_row,
    normalise,
    resolve_mapping,
)
from app.services.imports.types import CellValue, Field


def test_headers_are_compared_without_case_accents_or_punctuation() -> None:
    assert normalise("N. Fattura") == "nfattura"
    assert normalise("Città") == "citta"
    assert field_for("COD. FISCALE") is Field.HOLDER_TAX_CODE
    assert field_for("c.f. amministratore") is Field.ADMINISTRATOR_TAX_CODE
    assert field_for("Data scad.") is Field.DUE_DATE
    assert field_for("Importo rata") is Field.AMOUNT
    assert field_for("Invoice no.") is Field.REFERENCE
    assert field_for("Colonna inventata") is None


def test_the_header_is_the_row_naming_most_fields_below_titles() -> None:
    rows: list[tuple[int, list[CellValue]]] = [
        (1, ["Scadenziario clienti al 23/11/2026", None]),
        (2, ["Filtro: partite aperte", None]),
        (4, ["Ragione sociale", "N. Fattura", "Scadenza", "Importo", "Note"]),
        (5, ["Rossi Mario", "FT1", "31/01/2027", "100,00", None]),
    ]
    assert find_header_row(rows) == 4
    assert find_header_row([(1, ["Importo", "x"]), (2, [1, 2])]) is None


def test_automatic_mapping_takes_the_first_column_naming_a_field() -> None:
    mapping = automatic_mapping(["Cliente", "Num. doc.", "Data doc.", "Data scad.", "Residuo", "Ragione sociale"])
    assert mapping == {
        Field.HOLDER_NAME: "Cliente", Field.REFERENCE: "Num. doc.", Field.ISSUE_DATE: "Data doc.",
        Field.DUE_DATE: "Data scad.", Field.OUTSTANDING: "Residuo",
    }  # fmt: skip


def test_a_profile_overrides_the_automatic_mapping_and_missing_columns_are_named() -> None:
    headers = ["Cliente", "Num. doc.", "Polizza", "Scadenza", "Importo"]
    columns, problems = resolve_mapping(
        headers, {Field.REFERENCE: "Polizza", Field.INSTALLATION: "", Field.PEC: "Posta certificata"}
    )
    assert columns[Field.REFERENCE] == 2
    assert Field.INSTALLATION not in columns
    assert problems == ["la colonna «Posta certificata» indicata nel profilo non c'è nel file"]


def test_column_letters_are_the_spreadsheets() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]
