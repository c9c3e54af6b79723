"""Each validation rule of a schedule row, with the message the clerk reads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.models import CreditKind, CreditStatus, SubjectKind
from app.services.imports.headers import resolve_mapping
from app.services.imports.rows import RowParser
from app.services.imports.types import CellValue, Severity

HEADERS = ["N. Fattura", "Ragione sociale", "Cod. Fiscale", "Data fattura", "Scadenza", "Importo", "Pagato",
           "Residuo", "Stato", "Amministratore", "Cellulare", "PEC"]  # fmt: skip
GOOD: list[CellValue] = ["FT1", "Rossi Mario", "RSSMRA80A01H501U", "01/01/2027", "31/01/2027", "100,00", "40,00",
                         "60,00", "Parz. pagata", None, "333 123 4567", "mario@pec.it"]  # fmt: skip


def parser() -> RowParser:
    columns, _ = resolve_mapping(HEADERS)
    return RowParser(file="scadenze.xlsx", sheet="Foglio1", headers=HEADERS, columns=columns)


def changed(**cells: CellValue) -> list[CellValue]:
    row = list(GOOD)
    for header, value in cells.items():
        row[HEADERS.index(header.replace("_", " "))] = value
    return row


def test_a_good_row_becomes_a_credit() -> None:
    rows = parser()
    parsed = rows.parse(7, GOOD)
    assert parsed is not None
    assert (parsed.reference, parsed.amount, parsed.outstanding) == ("FT1", Decimal("100.00"), Decimal("60.00"))
    assert (parsed.issue_date, parsed.due_date, parsed.kind) == (
        date(2027, 1, 1),
        date(2027, 1, 31),
        CreditKind.INVOICE,
    )
    assert parsed.holder.kind is SubjectKind.PERSON
    assert parsed.holder.mobile == "+393331234567"
    assert parsed.holder.pec == "mario@pec.it"
    assert rows.issues == []


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"N. Fattura": None}, "N. Fattura", "numero del documento mancante"),
        ({"Scadenza": "31/02/2027"}, "Scadenza", "data inesistente"),
        ({"Scadenza": None}, "Scadenza", "data di scadenza mancante"),
        ({"Importo": "cento"}, "Importo", "non è un importo (atteso ad esempio 1.234,56)"),
        ({"Importo": "-100,00", "Pagato": None, "Residuo": None}, "Importo", "importo negativo"),
        ({"Pagato": "140,00", "Residuo": None}, "Pagato", "il pagato supera l'importo di 100,00"),
        ({"Residuo": "70,00"}, "Residuo", "importo 100,00 meno pagato 40,00 fa 60,00, non il residuo indicato"),
        ({"Ragione sociale": None}, "Ragione sociale", "nome del cliente mancante"),
        ({"Importo": None, "Residuo": None}, "Importo", "importo mancante"),
    ],
)  # fmt: skip
def test_each_error_names_row_column_value_and_reason(cells: dict[str, CellValue], column: str, message: str) -> None:
    rows = parser()
    assert rows.parse(12, changed(**cells)) is None
    errors = [issue for issue in rows.issues if issue.severity is Severity.ERROR]
    assert len(errors) == 1
    error = errors[0]
    assert (error.file, error.sheet, error.row, error.column, error.message) == (
        "scadenze.xlsx",
        "Foglio1",
        12,
        column,
        message,
    )
    assert error.column_letter == "ABCDEFGHIJKL"[HEADERS.index(column)]
    assert error.describe().startswith(f"scadenze.xlsx, foglio «Foglio1», riga 12, colonna «{column}»")


def test_warnings_do_not_block_the_row() -> None:
    rows = parser()
    parsed = rows.parse(3, changed(**{"Cod. Fiscale": "RSSMRA80A01H501X", "Cellulare": None}))
    assert parsed is not None
    messages = [(issue.severity, issue.column) for issue in rows.issues]
    assert messages == [(Severity.WARNING, "Cod. Fiscale"), (Severity.WARNING, "Cellulare")]
    assert parsed.holder.tax_code == "RSSMRA80A01H501X"
    assert parsed.holder.tax_code_problem


def test_the_same_reference_twice_is_counted_once_if_equal_and_refused_if_different() -> None:
    rows = parser()
    assert rows.parse(5, GOOD) is not None
    assert rows.parse(6, GOOD) is None
    assert rows.duplicates == 1
    assert rows.issues[-1].severity is Severity.WARNING
    assert rows.parse(9, changed(Importo="200,00", Pagato="0", Residuo="200,00")) is None
    assert rows.issues[-1].severity is Severity.ERROR
    assert rows.issues[-1].message == "numero già presente alla riga 5 con dati diversi"


def test_blank_and_totals_rows_are_skipped_silently() -> None:
    rows = parser()
    assert rows.parse(20, [None] * len(HEADERS)) is None
    assert rows.parse(21, [None, "Totale", None, None, None, "1.000,00"]) is None
    assert rows.parse(22, [None, "Totti Francesco", None, None, "31/01/2027", "10,00"]) is None
    assert [issue.row for issue in rows.issues] == [22]


def test_status_words_and_amount_columns_decide_the_status() -> None:
    rows = parser()
    written_off = rows.parse(2, changed(Stato="Stralciata"))
    assert written_off is not None and written_off.status is CreditStatus.WRITTEN_OFF
    paid = rows.parse(3, changed(**{"N. Fattura": "FT2", "Pagato": None, "Residuo": None, "Stato": "Pagata"}))
    assert paid is not None and paid.outstanding == Decimal("0.00")


def test_a_condominium_with_its_administrator_gets_the_contacts_on_the_administrator() -> None:
    rows = parser()
    parsed = rows.parse(4, changed(**{"Ragione sociale": "Condominio Via Roma 1", "Cod. Fiscale": "80012345678",
                                      "Amministratore": "Studio Bianchi"}))  # fmt: skip
    assert parsed is not None and parsed.administrator is not None
    assert parsed.holder.kind is SubjectKind.CONDOMINIUM
    assert parsed.holder.mobile is None
    assert parsed.administrator.mobile == "+393331234567"
    other = rows.parse(5, changed(**{"N. Fattura": "FT9", "Ragione sociale": "Condominio Via Roma 1",
                                     "Cod. Fiscale": "80012345678", "Amministratore": "Studio Verdi"}))  # fmt: skip
    assert other is None
    assert "un altro amministratore alla riga 4" in rows.issues[-1].message


@pytest.mark.parametrize(
    ("words", "paid"),
    [("Non pagato", False), ("Unpaid", False), ("Da pagare", False), ("Non saldata", False), ("Pagata", True),
     ("Saldata", True), ("Paid", True), ("Chiusa", True), ("Aperta", False), ("Parz. pagata", False)],
)  # fmt: skip
def test_a_status_that_denies_payment_is_open(words: str, paid: bool) -> None:
    rows = parser()
    parsed = rows.parse(2, changed(Stato=words, Pagato=None, Residuo=None))
    assert parsed is not None
    assert (parsed.outstanding == 0) is paid


def test_a_blank_reference_is_refused_even_after_a_good_row_with_the_same_values() -> None:
    headers = ["N. Fattura", "Rata", "Ragione sociale", "Scadenza", "Importo"]
    columns, _ = resolve_mapping(headers)
    rows = RowParser(file="s.csv", sheet=None, headers=headers, columns=columns)
    assert rows.parse(2, ["F1", "2", "Rossi Srl", "31/01/2027", "100,00"]) is not None
    assert rows.parse(3, ["   ", "2", "Rossi Srl", "31/01/2027", "100,00"]) is None
    assert rows.issues[-1].message == "numero del documento mancante"
    assert rows.parse(4, ["F2", 1, "Rossi Srl", "31/01/2027", 1]) is not None
    assert rows.parse(5, ["F3", True, "Rossi Srl", "31/01/2027", True]) is None  # TRUE is not 1 euro


def test_a_customer_named_like_a_total_is_not_skipped() -> None:
    rows = parser()
    assert rows.parse(6, changed(**{"N. Fattura": None, "Ragione sociale": "TOTAL ITALIA SPA"})) is None
    assert rows.issues[-1].message == "numero del documento mancante"


def test_an_administrator_with_and_without_codice_fiscale_is_the_same() -> None:
    rows = parser()
    condominium = {"Ragione sociale": "Condominio Via Po 3", "Cod. Fiscale": "80012345678"}
    assert rows.parse(2, changed(**condominium, Amministratore="Studio Neri")) is not None
    assert rows.parse(3, changed(**condominium, **{"N. Fattura": "FT2", "Amministratore": "STUDIO NERI"})) is not None
    assert not [issue for issue in rows.issues if issue.severity is Severity.ERROR]
