"""Bank statements booked: transfers matched by RF and invoice number, a reversal undoing its match, the real
samples read as they are (with what a clerk should check), and a statement applied only once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.models import BankFileFormat, Credit, CreditStatus, NoticeKind, NoticeStatus, Payment, PaymentStatus, Roll
from app.services.database import Database
from app.services.imports.types import ImportOutcome
from app.services.payments.importing import import_payments
from app.services.payments.queue import unmatched_payments
from app.services.rolls import NoticeRow, RollCriteria, create_roll, roll_notices
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder
from tests.support.camt_files import DetailSpec, EntrySpec, StatementHeader, write_statement
from tests.support.samples import sample

TODAY = date(2026, 11, 23)
DAY = date(2026, 12, 1)


def _creditor(db: Database) -> tuple[int, dict[str, str]]:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Consorzio TREE")
        make.creditor.notice_kind = NoticeKind.TRANSFER
        make.credit(make.subject("Rossi Mario"), "120.00", status=CreditStatus.OVERDUE, reference="FT-2026/0001")
        make.credit(make.subject("Verdi Anna"), "80.00", status=CreditStatus.OVERDUE, reference="FT-2026/0002")
        creditor_id = make.creditor.id
        uow.commit()
    roll = create_roll(db, creditor_id, RollCriteria(name="Fatture 2026"), user_login=None, today=TODAY)
    codes = {n.holder_name: n.code or "" for n in roll_notices(db, roll.roll_id)}
    return creditor_id, codes


def _transfer(amount: str, reference: str, e2e: str, *, rf: str | None = None, text: str = "", status: str = "BOOK",
              reversal: bool = False) -> EntrySpec:  # fmt: skip
    detail = DetailSpec(Decimal(amount), end_to_end_id=e2e, debtor_name="Un pagatore", creditor_reference=rf,
                        remittance_lines=(text,) if text else ())  # fmt: skip
    return EntrySpec("DBIT" if reversal else "CRDT", DAY, DAY, details=(detail,), status=status, reversal=reversal,
                     account_servicer_reference=reference)  # fmt: skip


def _credits(db: Database) -> dict[str, tuple[Decimal, CreditStatus]]:
    with db.read_session() as session:
        return {ref: (out, status) for ref, out, status in session.execute(
            select(Credit.reference, Credit.outstanding, Credit.status))}  # fmt: skip


def test_transfers_are_matched_and_a_reversal_undoes_its_match(db: Database, tmp_path: Path) -> None:
    creditor_id, codes = _creditor(db)
    # GIVEN a statement: Rossi pays with his notice's RF (spaced, as home banking prints it), Verdi names her
    # invoice in the free text, and a pending transfer that must not count
    rf = codes["Rossi Mario"]
    spaced = " ".join(rf[i : i + 4] for i in range(0, len(rf), 4))
    first = tmp_path / "estratto-1.xml"
    write_statement(first, [
        _transfer("120.00", "B1", "E2E-ROSSI", rf=spaced),
        _transfer("80.00", "B2", "E2E-VERDI", text="saldo fattura FT-2026/0002"),
        _transfer("999.00", "B3", "E2E-PENDING", text="FT-2026/0001", status="PDNG"),
    ], StatementHeader(statement_id="S1"))  # fmt: skip
    booked = import_payments(db, creditor_id, first, user_login=None, archive_folder=tmp_path / "a", today=TODAY)
    assert (booked.format, booked.booked.matched, booked.booked.movements) == (BankFileFormat.CAMT_053, 2, 2)
    assert _credits(db) == {"FT-2026/0001": (Decimal("0.00"), CreditStatus.PAID),
                            "FT-2026/0002": (Decimal("0.00"), CreditStatus.PAID)}  # fmt: skip
    # WHEN the next statement reverses Rossi's transfer (a recall by his bank)
    second = tmp_path / "estratto-2.xml"
    write_statement(second, [_transfer("120.00", "B9", "E2E-ROSSI", reversal=True)],
                    StatementHeader(statement_id="S2"))  # fmt: skip
    undone = import_payments(db, creditor_id, second, user_login=None, archive_folder=tmp_path / "a", today=TODAY)
    # THEN his credit owes again, his notice is open again, and the payment says which movement reversed it
    assert undone.booked.reversed == 1
    assert _credits(db)["FT-2026/0001"] == (Decimal("120.00"), CreditStatus.OVERDUE)
    statuses = {n.holder_name: n.status for n in _notices(db)}
    assert statuses == {"Rossi Mario": NoticeStatus.ISSUED, "Verdi Anna": NoticeStatus.PAID}
    with db.read_session() as session:
        rossi = session.scalar(select(Payment).where(Payment.end_to_end_id == "E2E-ROSSI"))
        assert rossi is not None and (rossi.status, rossi.reversed_by, rossi.allocations) == (
            PaymentStatus.REVERSED,
            "B9",
            [],
        )
    # AND the same statement again changes nothing
    again = import_payments(db, creditor_id, first, user_login=None, archive_folder=tmp_path / "a", today=TODAY)
    assert again.outcome is ImportOutcome.ALREADY_IMPORTED
    assert _credits(db)["FT-2026/0001"] == (Decimal("120.00"), CreditStatus.OVERDUE)


def _notices(db: Database) -> list[NoticeRow]:
    with db.read_session() as session:
        roll_id = session.scalar(select(Roll.id))
    assert roll_id is not None
    return roll_notices(db, roll_id)


def test_the_real_statement_sample_is_booked_with_what_a_clerk_should_check(db: Database, tmp_path: Path) -> None:
    creditor_id, _codes = _creditor(db)
    booked = import_payments(db, creditor_id, sample("iso20022/camt053_001_02_oca.xml"), user_login=None,
                             archive_folder=tmp_path, today=TODAY)  # fmt: skip
    warnings = booked.booked.warnings
    assert any("saldo finale dichiarato è 15.121,12" in w for w in warnings)
    # the reversed direct-debit batch (two details) reverses nothing of ours: said, and nothing changes
    assert sum("storno di" in w for w in warnings) == 2
    (waiting,) = unmatched_payments(db, creditor_id)
    assert (waiting.amount, waiting.payer_name, waiting.payer_iban) == (
        Decimal("1405.31"),
        "3rd party Media",
        "NL69ABNA0522123643",
    )


def test_the_real_notification_sample_is_booked(db: Database, tmp_path: Path) -> None:
    creditor_id, _codes = _creditor(db)
    booked = import_payments(db, creditor_id, sample("iso20022/camt054_001_04_oca.xml"), user_login=None,
                             archive_folder=tmp_path, today=TODAY)  # fmt: skip
    assert (booked.format, booked.booked.movements, booked.booked.unmatched) == (BankFileFormat.CAMT_054, 1, 1)
