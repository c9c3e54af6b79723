"""A Co.Sm.An roll's round trip: form it, send the CBI flow, read the codes back, book the bank's outcomes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import (
    BankFile,
    Credit,
    CreditStatus,
    Document,
    NoticeStatus,
    Payment,
    PaymentNotice,
    PaymentStatus,
    Roll,
    RollStatus,
    SubjectKind,
)
from app.services.bank.cbi_mav_parse import parse_mav_flow
from app.services.database import Database
from app.services.errors import InvalidInput
from app.services.imports.types import ImportOutcome
from app.services.notices.document import SortOrder
from app.services.notices.issuing import roll_documents
from app.services.payments.importing import import_payments
from app.services.rolls import RollCriteria, create_roll, list_rolls, roll_events, roll_notices
from app.services.rolls.bank_export import export_roll
from app.services.rolls.codes_import import import_notice_codes
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder
from tests.support.cbi_files import bank_answer

TODAY = date(2026, 11, 23)


def _creditor_with_debtors(db: Database) -> int:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, "Co.Sm.An")
        make.creditor.sia_code = "A1B2C"
        make.creditor.iban = "IT60X0542811101000000123456"
        make.creditor.abi, make.creditor.cab, make.creditor.account = "05428", "11101", "000000123456"
        make.user("anna")
        rossi = make.subject("Rossi Mario", tax_code="RSSMRA80A01H501U", street="Via Po 1", postal_code="10100",
                             city="Torino", province="TO")  # fmt: skip
        bianchi = make.subject(
            "Azienda Agricola Bianchi & Figli",
            SubjectKind.COMPANY,
            vat_number="01234567897",
            street="Strada Vicinale 3",
            postal_code="12040",
            city="Sommariva",
            province="CN",
        )
        verdi = make.subject("Verdi Anna", street="Piazza Duomo 2", postal_code="20121", city="Milano")
        make.credit(rossi, "120.00", status=CreditStatus.OVERDUE, reference="POL-1")
        make.credit(rossi, "30.00", status=CreditStatus.OVERDUE, reference="POL-2")
        make.credit(bianchi, "500.00", status=CreditStatus.ISSUED, reference="POL-3")
        make.credit(verdi, "80.00", status=CreditStatus.ISSUED, reference="POL-4")
        creditor_id = make.creditor.id
        uow.commit()
    return creditor_id


def test_a_roll_goes_to_the_bank_and_its_payments_come_back(db: Database, tmp_path: Path) -> None:
    creditor_id = _creditor_with_debtors(db)
    archive = tmp_path / "archivio"
    roll = create_roll(db, creditor_id, RollCriteria(name="Premi 2026", notice_due_date=date(2026, 12, 31)),
                       user_login="anna", today=TODAY)  # fmt: skip
    # WHEN the roll is exported to the bank
    flow_path = tmp_path / "mav.txt"
    exported = export_roll(db, roll.roll_id, flow_path, user_login="anna", archive_folder=archive)
    # THEN the flow parses back with one disposition per notice, for the roll's total
    flow = parse_mav_flow(flow_path.read_bytes(), flow_path.name)
    assert (exported.notices, exported.amount) == (3, Decimal("730.00"))
    assert len(flow.dispositions) == 3 and flow.negative_total + flow.positive_total == Decimal("730.00")
    assert {d.due_date for d in flow.dispositions} == {date(2026, 12, 31)}
    assert list_rolls(db, creditor_id)[0].status is RollStatus.SENT_TO_BANK
    with db.read_session() as session:
        kept = session.scalars(select(Document.relative_path)).all()
        assert len(kept) == 1 and (archive / kept[0]).read_bytes() == flow_path.read_bytes()
    # WHEN the bank's answer with the MAV codes is read back
    notices = {str(n.id): n for n in roll_notices(db, roll.roll_id)}
    codes = {ref: f"MAV{ref.zfill(9)}" for ref in notices}
    answer = tmp_path / "codici.txt"
    answer.write_bytes(bank_answer(flow_path.read_bytes(), codes))
    result = import_notice_codes(db, roll.roll_id, answer, user_login="anna", archive_folder=archive)
    assert (result.outcome, result.applied, result.errors) == (ImportOutcome.APPLIED, 3, [])
    assert {n.code for n in roll_notices(db, roll.roll_id)} == set(codes.values())
    assert list_rolls(db, creditor_id)[0].status is RollStatus.NOTICES_ISSUED
    again = import_notice_codes(db, roll.roll_id, answer, user_login="anna", archive_folder=archive)
    assert again.outcome is ImportOutcome.ALREADY_IMPORTED
    # WHEN the bank reports Rossi paid, Bianchi unpaid and Verdi's MAV recalled
    by_name = {n.holder_name: ref for ref, n in notices.items()}
    outcomes = {by_name["Azienda Agricola Bianchi & Figli"]: "07006", by_name["Verdi Anna"]: "07008"}
    outcome_file = tmp_path / "esiti.txt"
    outcome_file.write_bytes(bank_answer(flow_path.read_bytes(), codes, outcomes, paid_on=date(2026, 12, 20)))
    booked = import_payments(db, creditor_id, outcome_file, user_login="anna", archive_folder=archive, today=TODAY)
    # THEN Rossi's policies are paid through the notice code, and the other two notices follow the bank
    assert booked.outcome is ImportOutcome.APPLIED
    assert (booked.booked.matched, booked.booked.outcomes, booked.booked.unmatched) == (1, 2, 0)
    statuses = {n.holder_name: (n.status, n.bank_outcome) for n in roll_notices(db, roll.roll_id)}
    assert statuses["Rossi Mario"][0] is NoticeStatus.PAID
    assert statuses["Azienda Agricola Bianchi & Figli"] == (NoticeStatus.EXPIRED, "unpaid")
    assert statuses["Verdi Anna"] == (NoticeStatus.CANCELLED, "recalled")
    with db.read_session() as session:
        paid = {ref: status for ref, status in session.execute(select(Credit.reference, Credit.status))}
        assert paid["POL-1"] is CreditStatus.PAID and paid["POL-2"] is CreditStatus.PAID
        assert paid["POL-3"] is not CreditStatus.PAID
        (payment,) = session.scalars(select(Payment)).all()
        assert (payment.amount, payment.status, payment.received_on) == (
            Decimal("150.00"),
            PaymentStatus.MATCHED,
            date(2026, 12, 20),
        )
        assert session.scalar(select(BankFile.matched).where(BankFile.id == booked.bank_file_id)) == 1
    # AND the same file again changes nothing and says so
    second = import_payments(db, creditor_id, outcome_file, user_login="anna", archive_folder=archive, today=TODAY)
    assert second.outcome is ImportOutcome.ALREADY_IMPORTED and second.previous_user == "Anna"
    # AND a reprint of Rossi's notice still asks what it asked, item by item, though it is paid now
    with db.read_session() as session:
        documents = roll_documents(session, session.get_one(Roll, roll.roll_id), SortOrder.POSTAL_CODE)
    rossi = next(d for d in documents if d.recipient.name == "Rossi Mario")
    assert sorted(item.amount for item in rossi.items) == [Decimal("30.00"), Decimal("120.00")]
    assert rossi.amount == Decimal("150.00")
    events = [e.to_status for e in roll_events(db, roll.roll_id)]
    assert events == [RollStatus.DRAFT, RollStatus.SENT_TO_BANK, RollStatus.NOTICES_ISSUED]


def test_codes_for_notices_of_another_roll_refuse_the_whole_file(db: Database, tmp_path: Path) -> None:
    creditor_id = _creditor_with_debtors(db)
    roll = create_roll(db, creditor_id, RollCriteria(name="R"), user_login="anna", today=TODAY)
    flow_path = tmp_path / "mav.txt"
    export_roll(db, roll.roll_id, flow_path, user_login="anna", archive_folder=tmp_path)
    refs = [str(n.id) for n in roll_notices(db, roll.roll_id)]
    table = tmp_path / "codici.csv"
    table.write_text("Numero disposizione;Codice MAV\n" + f"{refs[0]};C1\n{refs[1]};C1\n99999;C3\n", encoding="utf-8")
    result = import_notice_codes(db, roll.roll_id, table, user_login="anna", archive_folder=tmp_path)
    assert result.outcome is ImportOutcome.REFUSED
    assert any("riga 3" in e and "C1" in e for e in result.errors)
    assert any("riga 4" in e and "99999" in e for e in result.errors)
    with db.read_session() as session:
        assert session.scalar(select(PaymentNotice.id).where(PaymentNotice.code.is_not(None))) is None


def test_a_roll_is_exported_only_with_the_bank_data(db: Database, tmp_path: Path) -> None:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session)
        make.credit(make.subject("Rossi"), "10.00", status=CreditStatus.ISSUED)
        creditor_id = make.creditor.id
        uow.commit()
    roll = create_roll(db, creditor_id, RollCriteria(name="R"), user_login=None, today=TODAY)
    with pytest.raises(InvalidInput, match="codice SIA"):
        export_roll(db, roll.roll_id, tmp_path / "x.txt", user_login=None, archive_folder=tmp_path)
    assert not (tmp_path / "x.txt").exists()


def test_debtors_without_an_address_are_all_named_before_anything_is_written(db: Database, tmp_path: Path) -> None:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session)
        make.creditor.sia_code, make.creditor.iban = "A1B2C", "IT60X0542811101000000123456"
        make.creditor.abi, make.creditor.cab, make.creditor.account = "05428", "11101", "000000123456"
        make.credit(make.subject("Rossi Mario"), "10.00", status=CreditStatus.ISSUED)
        condo = make.subject("Condominio Aurora", SubjectKind.CONDOMINIUM)
        make.assign(condo, make.subject("Studio Gialli", SubjectKind.ADMINISTRATOR), date(2020, 1, 1))
        make.credit(condo, "20.00", status=CreditStatus.ISSUED)
        creditor_id = make.creditor.id
        uow.commit()
    roll = create_roll(db, creditor_id, RollCriteria(name="R"), user_login=None, today=TODAY)
    with pytest.raises(
        InvalidInput, match=r"2 avvisi senza indirizzo.*Rossi Mario.*Condominio Aurora \(c/o Studio Gialli\)"
    ):
        export_roll(db, roll.roll_id, tmp_path / "x.txt", user_login=None, archive_folder=tmp_path)
    assert not (tmp_path / "x.txt").exists()
    assert list_rolls(db, creditor_id)[0].status is RollStatus.DRAFT
