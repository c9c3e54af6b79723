"""The accounting office's list of collections: CSV or Excel, read whole or refused whole, applied once."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import BankFile, BankFileFormat, Credit, CreditStatus, Payment, PaymentSource, PaymentStatus
from app.services.database import Database
from app.services.errors import InvalidInput, UnreadableFile
from app.services.imports.types import ImportOutcome
from app.services.payments.importing import PaymentsImported, import_payments
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder
from tests.support.payment_files import (
    Cell,
    Collection,
    as_text_row,
    as_typed_row,
    collections_csv,
    write_csv,
    write_xlsx,
)

TODAY = date(2026, 3, 31)
ROWS = [
    Collection("FT-1001", Decimal("1234.56"), date(2026, 3, 2), "Società Agricola Però S.s.", "MOV-1", "Saldo"),
    Collection("FT-1002", Decimal("40.00"), date(2026, 3, 9), "Rossi Mario", None, None),
    Collection("FT-9999", Decimal("15.00"), date(2026, 3, 10), None, "MOV-3", "Bonifico senza riferimenti"),
]


def _creditor(db: Database) -> int:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session)
        make.user("anna")
        make.credit(make.subject("Società Agricola Però S.s."), "1234.56", reference="FT-1001")
        make.credit(make.subject("Rossi Mario"), "100.00", reference="FT-1002")
        creditor_id = make.creditor.id
        uow.commit()
    return creditor_id


def _import(db: Database, creditor_id: int, path: Path) -> PaymentsImported:
    archive = path.parent / "archivio"
    return import_payments(db, creditor_id, path, user_login="anna", archive_folder=archive, today=TODAY)


def _stored(db: Database) -> list[tuple[object, ...]]:
    with db.read_session() as session:
        return [
            tuple(row)
            for row in session.execute(
                select(Payment.external_id, Payment.amount, Payment.received_on, Payment.payer_name,
                       Payment.description, Payment.source, Payment.status, Payment.unallocated)
                .order_by(Payment.received_on)
            )
        ]  # fmt: skip


def _nothing_written(db: Database) -> None:
    with db.read_session() as session:
        assert session.scalar(select(func.count(Payment.id))) == 0
        assert session.scalar(select(func.count(BankFile.id))) == 0
        assert set(session.scalars(select(Credit.status))) == {CreditStatus.AWAITING_PAYMENT}


EXPECTED = [
    ("MOV-1", Decimal("1234.56"), date(2026, 3, 2), "Società Agricola Però S.s.", "Saldo",
     PaymentSource.ACCOUNTING,
     PaymentStatus.MATCHED, Decimal("0.00")),
    ("FT-1002|2026-03-09|40.00", Decimal("40.00"), date(2026, 3, 9), "Rossi Mario", "Fattura FT-1002",
     PaymentSource.ACCOUNTING,
     PaymentStatus.MATCHED, Decimal("0.00")),
    ("MOV-3", Decimal("15.00"), date(2026, 3, 10), None, "Bonifico senza riferimenti",
     PaymentSource.ACCOUNTING,
     PaymentStatus.UNMATCHED, Decimal("15.00")),
]  # fmt: skip


def _writers(folder: Path) -> dict[str, Path]:
    return {
        "csv-utf8": collections_csv(folder / "incassi.csv", ROWS),
        "csv-utf8-bom": write_csv(
            folder / "incassi-excel.csv", [as_text_row(row) for row in ROWS], encoding="utf-8-sig"
        ),
        "xlsx-typed": write_xlsx(folder / "incassi.xlsx", [as_typed_row(row) for row in ROWS]),
        "xlsx-as-text": write_xlsx(folder / "incassi-testo.xlsx", [as_text_row(row) for row in ROWS]),
    }


@pytest.mark.parametrize("kind", ["csv-utf8", "csv-utf8-bom", "xlsx-typed", "xlsx-as-text"])
def test_the_office_list_is_booked_row_by_row_under_its_title(db: Database, tmp_path: Path, kind: str) -> None:
    creditor_id = _creditor(db)
    # GIVEN the list with two title rows above the header, amounts like 1.234,56 (or numbers), dates as text
    # (or real dates)
    path = _writers(tmp_path)[kind]
    result = _import(db, creditor_id, path)
    # THEN every row is a payment, matched by the invoice column where it names a credit
    assert (result.outcome, result.format, result.file_name) == (
        ImportOutcome.APPLIED,
        BankFileFormat.ACCOUNTING,
        path.name,
    )
    booked = result.booked
    assert (booked.movements, booked.matched, booked.unmatched) == (3, 2, 1)
    assert (booked.amount, booked.allocated) == (Decimal("1289.56"), Decimal("1274.56"))
    assert result.summary_lines() == [
        "Movimenti letti: 3", "Abbinati: 2", "Abbinati in parte: 0", "Da abbinare: 1", "Già registrati: 0",
        "Storni: 0", "Esiti MAV (non pagati, richiamati, stornati): 0",
        "Importo incassato: 1289.56 €, di cui assegnato ai crediti: 1274.56 €", "  per numero fattura: 2",
    ]  # fmt: skip
    assert _stored(db) == EXPECTED
    with db.read_session() as session:
        credits = dict(session.execute(select(Credit.reference, Credit.outstanding)).all())
        assert credits == {"FT-1001": Decimal("0.00"), "FT-1002": Decimal("60.00")}
        record = session.get(BankFile, result.bank_file_id)
        assert record is not None
        assert (record.records, record.amount, record.matched, record.unmatched, record.format) == (
            3,
            Decimal("1289.56"),
            2,
            1,
            BankFileFormat.ACCOUNTING,
        )
        assert record.document_id is not None


@pytest.mark.parametrize(
    ("row", "column", "value"),
    [
        (["FT-1002", "Rossi", "12,345", "09/03/2026", "", ""], "Importo incassato", "12,345"),
        (["FT-1002", "Rossi", "dieci euro", "09/03/2026", "", ""], "Importo incassato", "dieci euro"),
        (["FT-1002", "Rossi", "10,00", "31/02/2026", "", ""], "Data incasso", "31/02/2026"),
        (["FT-1002", "Rossi", "10,00", "ieri", "", ""], "Data incasso", "ieri"),
        (["", "Rossi", "10,00", "09/03/2026", "", ""], "N. fattura", None),
        (["FT-1002", "Rossi", "", "09/03/2026", "", ""], "Importo incassato", None),
        (["FT-1002", "Rossi", "-10,00", "09/03/2026", "", ""], "Importo incassato", None),
    ],
)  # fmt: skip
def test_a_wrong_cell_refuses_the_whole_file_naming_row_and_column(
    db: Database, tmp_path: Path, row: list[Cell], column: str, value: str | None
) -> None:
    creditor_id = _creditor(db)
    # GIVEN a good row (line 5, under two title rows, a blank row and the header) and a wrong one on line 6
    path = write_csv(tmp_path / "incassi marzo.csv", [as_text_row(ROWS[0]), row])
    with pytest.raises(InvalidInput) as refused:
        _import(db, creditor_id, path)
    message = str(refused.value)
    assert "incassi marzo.csv" in message and "riga 6" in message and f"«{column}»" in message
    if value is not None:
        assert f"«{value}»" in message
    # AND nothing at all was written, not even the good row
    _nothing_written(db)


def test_a_wrong_cell_of_a_workbook_is_named_by_its_excel_row(db: Database, tmp_path: Path) -> None:
    creditor_id = _creditor(db)
    wrong: list[Cell] = ["FT-1002", "Rossi", 40.0, "non so", None, None]
    path = write_xlsx(tmp_path / "incassi.xlsx", [as_typed_row(ROWS[0]), as_typed_row(ROWS[1]), wrong])
    with pytest.raises(InvalidInput, match=r"incassi\.xlsx, riga 7, colonna «Data incasso», valore «non so»"):
        _import(db, creditor_id, path)
    _nothing_written(db)


def test_the_same_file_twice_is_recognised_and_changes_nothing(db: Database, tmp_path: Path) -> None:
    creditor_id = _creditor(db)
    path = collections_csv(tmp_path / "incassi.csv", ROWS)
    first = _import(db, creditor_id, path)
    copy = tmp_path / "copia" / "incassi rinominato.csv"
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    again = _import(db, creditor_id, copy)
    assert again.outcome is ImportOutcome.ALREADY_IMPORTED
    assert (again.file_name, again.format, again.previous_user) == ("incassi.csv", BankFileFormat.ACCOUNTING, "Anna")
    assert isinstance(again.previous_at, datetime) and again.booked.movements == 0
    assert again.bank_file_id is None and first.bank_file_id is not None
    assert _stored(db) == EXPECTED
    with db.read_session() as session:
        assert session.scalar(select(func.count(BankFile.id))) == 1


NOT_PAYMENT_FILES = {
    "estratto.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
    "foto.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "lettera.txt": b"Gentile cliente,\nabbiamo ricevuto il suo pagamento.\nCordiali saluti\n",
    "vuoto.csv": b"",
    "rubrica.csv": b"Nome;Telefono\nRossi;011 123456\nVerdi;02 654321\n",
    "casuale.bin": bytes((index * 7919) % 251 for index in range(4000)),
}


def test_a_file_that_is_no_bank_flow_and_no_list_is_unreadable(db: Database, tmp_path: Path) -> None:
    creditor_id = _creditor(db)
    for name, data in NOT_PAYMENT_FILES.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(UnreadableFile, match=name.replace(".", r"\.")):
            _import(db, creditor_id, path)
    _nothing_written(db)


def test_a_list_with_one_collection_under_two_title_rows_is_read(db: Database, tmp_path: Path) -> None:
    creditor_id = _creditor(db)
    path = collections_csv(tmp_path / "incassi.csv", ROWS[:1])  # two title rows, a blank row, header, one row
    result = _import(db, creditor_id, path)
    assert (result.outcome, result.booked.matched) == (ImportOutcome.APPLIED, 1)


def test_the_collected_amount_and_date_win_over_the_invoice_amount_and_date(db: Database, tmp_path: Path) -> None:
    creditor_id = _creditor(db)
    header = ("N. fattura", "Data", "Importo", "Importo incassato", "Data incasso")
    rows: list[list[Cell]] = [["FT-1002", "15/01/2026", "100,00", "40,00", "09/03/2026"],
                              ["FT-1001", "15/01/2026", "1.234,56", "34,56", "10/03/2026"]]  # fmt: skip
    result = _import(db, creditor_id, write_csv(tmp_path / "incassi.csv", rows, header=header))
    assert result.booked.amount == Decimal("74.56")
    with db.read_session() as session:
        stored = set(session.execute(select(Payment.amount, Payment.received_on)).all())
    assert stored == {(Decimal("40.00"), date(2026, 3, 9)), (Decimal("34.56"), date(2026, 3, 10))}


def test_a_movement_id_too_long_for_the_ledger_is_kept_or_refused_by_name(
    db: Database, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    creditor_id = _creditor(db)
    long_id = "CRO-" + "1234567890" * 11  # 114 characters: more than the 100 the ledger keeps
    row = Collection("FT-1002", Decimal("40.00"), date(2026, 3, 9), None, long_id, None)
    path = collections_csv(tmp_path / "incassi.csv", [row, ROWS[0]])
    try:
        result = _import(db, creditor_id, path)
    except InvalidInput as refused:  # refusing the file, naming row and column, is as good as keeping the id whole
        assert "riga 5" in str(refused) and "«ID movimento»" in str(refused)
        _nothing_written(db)
        return
    assert result.booked.matched == 2
    assert {external_id for external_id, *_rest in _stored(db)} == {long_id, "MOV-1"}
    # AND a second file with the same long id books nothing twice
    again = _import(db, creditor_id, collections_csv(tmp_path / "di nuovo.csv", [row], title=[["Copia"]]))
    assert (again.booked.movements, again.booked.already_booked) == (1, 1)


def test_one_movement_split_over_two_invoices_pays_both(db: Database, tmp_path: Path) -> None:
    creditor_id = _creditor(db)
    # GIVEN one transfer of 1,274.56 the office wrote as two rows with the same movement id
    split = [
        Collection("FT-1001", Decimal("1234.56"), date(2026, 3, 2), "Rossi Mario", "MOV-7", "Bonifico cumulativo"),
        Collection("FT-1002", Decimal("40.00"), date(2026, 3, 2), "Rossi Mario", "MOV-7", "Bonifico cumulativo"),
    ]
    result = _import(db, creditor_id, collections_csv(tmp_path / "incassi.csv", split, title=[["Incassi"]]))
    # THEN both invoices are paid: no row of the file is lost
    assert (result.booked.matched, result.booked.already_booked) == (2, 0)
    with db.read_session() as session:
        credits = dict(session.execute(select(Credit.reference, Credit.outstanding)).all())
    assert credits == {"FT-1001": Decimal("0.00"), "FT-1002": Decimal("60.00")}
    # AND the same rows in another file are still recognised
    again = _import(db, creditor_id, collections_csv(tmp_path / "copia.csv", split, title=[["Copia"]]))
    assert (again.booked.movements, again.booked.already_booked) == (2, 2)


def test_a_closing_totals_row_is_not_a_collection(db: Database, tmp_path: Path) -> None:
    creditor_id = _creditor(db)
    rows: list[list[Cell]] = [*(as_text_row(row) for row in ROWS), ["Totale", None, "1.289,56", None, None, None]]
    result = _import(db, creditor_id, write_csv(tmp_path / "incassi.csv", rows))
    assert (result.booked.movements, result.booked.amount) == (3, Decimal("1289.56"))
    assert _stored(db) == EXPECTED
