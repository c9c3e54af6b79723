"""The unmatched payments queue: what waits for a clerk, which credits might fit, and the clerk's choice."""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import (
    Allocation,
    AuditEvent,
    BankFile,
    BankFileFormat,
    Credit,
    CreditKind,
    CreditStatus,
    MatchRule,
    NoticeKind,
    NoticeStatus,
    Payment,
    PaymentNotice,
    PaymentStatus,
    Subject,
    User,
)
from app.models.types import utc_now
from app.services.bulk import Progress
from app.services.database import Database
from app.services.errors import InvalidInput, NotFound
from app.services.payments.booking import Booker
from app.services.payments.importing import import_payments
from app.services.payments.incoming import IncomingPayment
from app.services.payments.queue import assign_payment, candidate_credits, unmatched_payments
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder
from tests.support.payment_files import Collection, collections_csv

TODAY = date(2026, 1, 31)
# assign_payment reads the clock for the credits' statuses: due dates far ahead keep them independent of it
YEAR = 2090
NOBODY_KNOWS = "N/D"
_files = itertools.count()


@dataclass(frozen=True)
class World:
    creditor_id: int
    other_creditor_id: int
    notice_id: int  # Rossi's notice
    credits: dict[str, int]  # by reference, both creditors
    payments: dict[str, int]  # by movement id, both creditors


def _row(movement: str, amount: str, day: int, *, invoice: str = NOBODY_KNOWS, payer: str | None = None,
         text: str | None = None) -> Collection:  # fmt: skip
    return Collection(invoice, Decimal(amount), date(2026, 1, day), payer, movement, text)


def _import(db: Database, creditor_id: int, folder: Path, rows: list[Collection]) -> None:
    path = collections_csv(folder / f"incassi-{next(_files)}.csv", rows, title=[["Incassi"]])
    import_payments(db, creditor_id, path, user_login="anna", archive_folder=folder / "archivio", today=TODAY)


def _world(db: Database, folder: Path) -> World:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session)
        make.user("anna")
        rossi, verdi = make.subject("Rossi Mario"), make.subject("Verdi Anna")
        bianchi, neri = make.subject("Bianchi & Figli S.r.l."), make.subject("Neri Paolo")
        r1 = make.credit(rossi, "100.00", reference="R-1", due=date(YEAR, 5, 31))
        r2 = make.credit(rossi, "50.00", reference="R-2", due=date(YEAR, 2, 28))
        make.credit(verdi, "80.00", reference="V-1", due=date(YEAR, 3, 31))
        make.credit(neri, "45.00", reference="NE-1", due=date(YEAR, 1, 31))
        make.credit(neri, "10.00", reference="NE-0", outstanding="0.00", status=CreditStatus.PAID, due=date(YEAR, 1, 1))
        notice = PaymentNotice(creditor_id=make.creditor.id, holder_id=rossi.id, payer_id=rossi.id,
                               kind=NoticeKind.TRANSFER, code="RF-PROVA", amount=Decimal("150.00"),
                               due_date=date(YEAR, 2, 28), status=NoticeStatus.ISSUED)  # fmt: skip
        uow.session.add(notice)
        uow.session.flush()
        r1.notice_id = r2.notice_id = notice.id
        other = Builder(uow.session, "Altro consorzio")
        other.credit(other.subject("Verdi Anna"), "80.00", reference="X-1", due=date(YEAR, 3, 31))
        creditor_id, other_id, notice_id, bianchi_id = make.creditor.id, other.creditor.id, notice.id, bianchi.id
        uow.commit()
    _import(db, creditor_id, folder, [
        _row("P1", "80.00", 10),  # no name, no text: only its amount says anything
        _row("P2", "33.00", 11, payer="Sig. Mario Rossi"),  # a name written the other way round
        _row("P3", "12.00", 12, text="saldo fatt.N1234"),  # names an invoice the ERP import brings only later
        _row("P4", "70.00", 13, invoice="NE-1"),  # NE-1 owes 45.00: 25.00 left over
        _row("P5", "45.50", 9, payer="Nessuno"),
    ])  # fmt: skip
    _import(db, other_id, folder, [_row("Q1", "80.00", 10)])
    with UnitOfWork(db) as uow:  # the invoice P3 pays arrives with a later schedule import
        make = Builder.for_creditor(uow.session, creditor_id)
        make.credit(uow.session.get_one(Subject, bianchi_id), "300.00", reference="N1234", due=date(YEAR, 4, 30))
        uow.commit()
    with db.read_session() as session:
        credits = dict(session.execute(select(Credit.reference, Credit.id)).all())
        payments = {
            str(movement): payment for movement, payment in session.execute(select(Payment.external_id, Payment.id))
        }
    return World(creditor_id, other_id, notice_id, credits, payments)


def _state(db: Database, payment_id: int) -> tuple[PaymentStatus, Decimal, MatchRule | None, dict[str, Decimal]]:
    with db.read_session() as session:
        payment = session.get(Payment, payment_id)
        assert payment is not None
        parts = session.execute(
            select(Credit.reference, Allocation.amount)
            .join(Credit, Credit.id == Allocation.credit_id)
            .where(Allocation.payment_id == payment_id)
        )
        return payment.status, payment.unallocated, payment.matched_by, dict(parts.all())


def _credits(db: Database) -> dict[str, tuple[Decimal, CreditStatus]]:
    with db.read_session() as session:
        rows = session.execute(select(Credit.reference, Credit.outstanding, Credit.status))
        return {reference: (outstanding, status) for reference, outstanding, status in rows}


def _notice_status(db: Database, notice_id: int) -> NoticeStatus | None:
    with db.read_session() as session:
        return session.scalar(select(PaymentNotice.status).where(PaymentNotice.id == notice_id))


def test_the_queue_lists_unmatched_and_partly_matched_payments_oldest_first(db: Database, tmp_path: Path) -> None:
    world = _world(db, tmp_path)
    queue = unmatched_payments(db, world.creditor_id)
    assert [(row.id, row.amount, row.unallocated, row.status) for row in queue] == [
        (world.payments["P5"], Decimal("45.50"), Decimal("45.50"), PaymentStatus.UNMATCHED),
        (world.payments["P1"], Decimal("80.00"), Decimal("80.00"), PaymentStatus.UNMATCHED),
        (world.payments["P2"], Decimal("33.00"), Decimal("33.00"), PaymentStatus.UNMATCHED),
        (world.payments["P3"], Decimal("12.00"), Decimal("12.00"), PaymentStatus.UNMATCHED),
        (world.payments["P4"], Decimal("70.00"), Decimal("25.00"), PaymentStatus.PARTIALLY_MATCHED),
    ]
    by_id = {row.id: row for row in queue}
    assert (by_id[world.payments["P2"]].payer_name, by_id[world.payments["P3"]].description) == (
        "Sig. Mario Rossi",
        "saldo fatt.N1234",
    )
    assert [row.id for row in unmatched_payments(db, world.other_creditor_id)] == [world.payments["Q1"]]


def test_matched_and_reversed_payments_are_not_in_the_queue(db: Database, tmp_path: Path) -> None:
    world = _world(db, tmp_path)
    now = utc_now()
    with UnitOfWork(db) as uow:
        record = BankFile(creditor_id=world.creditor_id, direction="import", format=BankFileFormat.CAMT_054,
                          file_name="e.xml", sha256=hashlib.sha256(b"e").hexdigest(), size=1, at=now)  # fmt: skip
        uow.session.add(record)
        uow.session.flush()
        booker = Booker(uow.session, world.creditor_id, record.id, TODAY, now)
        for payment in (
            IncomingPayment("B1", Decimal("80.00"), date(2026, 1, 5), "m1", payer_name="Verdi Anna"),  # matched
            IncomingPayment("B2", Decimal("99.00"), date(2026, 1, 5), "m2", end_to_end_id="E2E-2"),
            IncomingPayment("B3", Decimal("99.00"), date(2026, 1, 6), "m3", end_to_end_id="E2E-2", reversal=True),
        ):
            booker.book(payment)
        booked = booker.finish(Progress(None))
        uow.commit()
    assert (booked.matched, booked.reversed) == (1, 1)
    queued = {row.id for row in unmatched_payments(db, world.creditor_id)}
    with db.read_session() as session:
        b1, b2 = (session.scalar(select(Payment.id).where(Payment.external_id == ref)) for ref in ("B1", "B2"))
    assert b1 is not None and b2 is not None and _state(db, b2)[0] is PaymentStatus.REVERSED
    assert queued == {world.payments[ref] for ref in ("P1", "P2", "P3", "P4", "P5")}
    # AND a reversed payment has nothing a clerk could assign
    with pytest.raises(InvalidInput, match="non ha importi da assegnare"):
        assign_payment(db, b2, [world.credits["R-1"]], user_login="anna")
    assert _credits(db)["R-1"][0] == Decimal("100.00")


def test_candidates_by_amount_by_name_and_by_a_reference_in_the_text(db: Database, tmp_path: Path) -> None:
    world = _world(db, tmp_path)
    # Same amount: Verdi's 80.00, never the other creditor's credit of the same amount
    (by_amount,) = candidate_credits(db, world.payments["P1"])
    assert (by_amount.reference, by_amount.outstanding, by_amount.reasons) == (
        "V-1",
        Decimal("80.00"),
        ("stesso importo",),
    )
    assert (by_amount.holder_name, by_amount.payer_name, by_amount.due_date) == (
        "Verdi Anna",
        "Verdi Anna",
        date(YEAR, 3, 31),
    )
    # A similar name: Rossi's credits, the older due date first
    by_name = candidate_credits(db, world.payments["P2"])
    assert [(c.reference, c.reasons) for c in by_name] == [("R-2", ("nome simile",)), ("R-1", ("nome simile",))]
    # A reference the matcher could not know when the payment came in, glued to the word before it
    by_text = candidate_credits(db, world.payments["P3"])
    assert [(c.reference, c.reasons) for c in by_text] == [("N1234", ("riferimento nella causale",))]
    # The over-payment's remainder: 25.00 fits nothing, and the paid NE-1 is no longer proposed
    assert candidate_credits(db, world.payments["P4"]) == []


def test_the_clerks_search_finds_by_reference_or_name_and_takes_wildcards_literally(
    db: Database, tmp_path: Path
) -> None:
    world = _world(db, tmp_path)
    payment = world.payments["P5"]
    assert [c.reference for c in candidate_credits(db, payment, "  bianchi ")] == ["N1234"]
    assert [c.reference for c in candidate_credits(db, payment, "r-")] == ["R-2", "R-1"]
    assert [c.reference for c in candidate_credits(db, payment, "VERDI")] == ["V-1"]
    assert candidate_credits(db, payment, "neri") == []  # NE-1 is paid, NE-0 was paid before
    assert candidate_credits(db, payment, "100%") == []
    assert candidate_credits(db, payment, "R_1") == []
    # A blank search proposes as if there were none
    assert candidate_credits(db, payment, "   ") == candidate_credits(db, payment) == []
    with pytest.raises(NotFound):
        candidate_credits(db, 999_999)


@pytest.mark.parametrize(
    ("reference", "text"), [("FT-2026/0042", "bonifico saldo fatt. FT-2026/0042"), ("N9876", "saldo fattura n9876")]
)
def test_a_reference_in_the_text_is_proposed_whatever_its_punctuation_or_case(
    db: Database, tmp_path: Path, reference: str, text: str
) -> None:
    # GIVEN a payment booked before the ERP's schedule brought its invoice in
    with UnitOfWork(db) as uow:
        make = Builder(uow.session)
        holder = make.subject("Bianchi & Figli S.r.l.")
        creditor_id, holder_id = make.creditor.id, holder.id
        uow.commit()
    _import(db, creditor_id, tmp_path, [_row("L1", "12.00", 10, text=text)])
    (waiting,) = unmatched_payments(db, creditor_id)
    with UnitOfWork(db) as uow:
        uow.session.add(Credit(creditor_id=creditor_id, holder_id=holder_id, payer_id=holder_id, reference=reference,
                               kind=CreditKind.INVOICE, issue_date=date(2026, 1, 15), due_date=date(YEAR, 4, 30),
                               amount=Decimal("300.00"), outstanding=Decimal("300.00"),
                               status=CreditStatus.ISSUED))  # fmt: skip
        uow.commit()
    # THEN the clerk is offered that invoice
    assert [(c.reference, c.reasons) for c in candidate_credits(db, waiting.id)] == [
        (reference, ("riferimento nella causale",))
    ]


def _audit(db: Database, payment_id: int) -> list[tuple[str, str | None, dict[str, object]]]:
    with db.read_session() as session:
        rows = session.execute(
            select(AuditEvent.action, User.login, AuditEvent.details)
            .outerjoin(User, User.id == AuditEvent.user_id)
            .where(AuditEvent.entity == "payment", AuditEvent.entity_id == payment_id)
            .order_by(AuditEvent.id)
        )
        return [(action, login, json.loads(details or "{}")) for action, login, details in rows]


def test_assigning_pays_the_chosen_credits_oldest_first_and_records_who_did_it(db: Database, tmp_path: Path) -> None:
    world = _world(db, tmp_path)
    payment = world.payments["P1"]  # 80.00
    # WHEN the clerk gives it to both of Rossi's credits, naming the later one first
    left = assign_payment(db, payment, [world.credits["R-1"], world.credits["R-2"]], user_login="anna")
    # THEN R-2 (due in February) is paid in full and R-1 (May) gets the other 30.00
    assert left == Decimal("0.00")
    assert _state(db, payment) == (
        PaymentStatus.MATCHED,
        Decimal("0.00"),
        MatchRule.MANUAL,
        {"R-2": Decimal("50.00"), "R-1": Decimal("30.00")},
    )
    credits = _credits(db)
    assert credits["R-2"] == (Decimal("0.00"), CreditStatus.PAID)
    assert credits["R-1"] == (Decimal("70.00"), CreditStatus.PARTIALLY_PAID)
    assert _notice_status(db, world.notice_id) is NoticeStatus.PARTIALLY_PAID
    assert payment not in {row.id for row in unmatched_payments(db, world.creditor_id)}
    with db.read_session() as session:
        assert session.scalar(select(Payment.payer_id).where(Payment.id == payment)) is not None
    assert _audit(db, payment) == [
        ("payment.assign", "anna",
         {"credits": [[world.credits["R-2"], "50.00"], [world.credits["R-1"], "30.00"]], "left": "0.00"}),
    ]  # fmt: skip


def test_assigning_never_gives_a_credit_more_than_it_owes(db: Database, tmp_path: Path) -> None:
    world = _world(db, tmp_path)
    # WHEN the remainder of the over-payment (25.00) goes to the paid NE-1 and to Verdi's V-1
    payment = world.payments["P4"]
    left = assign_payment(db, payment, [world.credits["NE-1"], world.credits["V-1"]], user_login=None)
    # THEN only V-1 takes it; the booked rule stays the one that matched the payment first
    assert left == Decimal("0.00")
    assert _state(db, payment) == (
        PaymentStatus.MATCHED,
        Decimal("0.00"),
        MatchRule.INVOICE_NUMBER,
        {"NE-1": Decimal("45.00"), "V-1": Decimal("25.00")},
    )
    assert _credits(db)["V-1"] == (Decimal("55.00"), CreditStatus.PARTIALLY_PAID)
    assert _audit(db, payment)[0][1] is None  # no login: recorded without a user
    # WHEN a bigger payment goes to the rest of V-1 alone
    other = world.payments["P1"]
    assert assign_payment(db, other, [world.credits["V-1"]], user_login="anna") == Decimal("25.00")
    assert _state(db, other)[:2] == (PaymentStatus.PARTIALLY_MATCHED, Decimal("25.00"))
    assert _credits(db)["V-1"] == (Decimal("0.00"), CreditStatus.PAID)
    assert [(row.id, row.unallocated) for row in unmatched_payments(db, world.creditor_id) if row.id == other] == [
        (other, Decimal("25.00"))
    ]


def test_assigning_again_and_again_until_nothing_is_left(db: Database, tmp_path: Path) -> None:
    world = _world(db, tmp_path)
    payment, ids = world.payments["P1"], world.credits  # 80.00
    assert assign_payment(db, payment, [ids["R-2"]], user_login="anna") == Decimal("30.00")
    assert _state(db, payment)[:2] == (PaymentStatus.PARTIALLY_MATCHED, Decimal("30.00"))
    assert assign_payment(db, payment, [ids["V-1"]], user_login="anna") == Decimal("0.00")
    status, unallocated, rule, parts = _state(db, payment)
    assert (status, unallocated, rule) == (PaymentStatus.MATCHED, Decimal("0.00"), MatchRule.MANUAL)
    assert parts == {"R-2": Decimal("50.00"), "V-1": Decimal("30.00")}
    assert sum(parts.values()) + unallocated == Decimal("80.00")
    with pytest.raises(InvalidInput, match="non ha importi da assegnare"):
        assign_payment(db, payment, [ids["R-1"]], user_login="anna")
    assert len(_audit(db, payment)) == 2
    # AND the notice is paid once R-1 is: three small payments, then what an over-payment left over
    assert _notice_status(db, world.notice_id) is NoticeStatus.PARTIALLY_PAID
    for small in ("P3", "P2", "P5"):  # 12.00, 33.00, 45.50 of R-1's 100.00
        assert assign_payment(db, world.payments[small], [ids["R-1"]], user_login="anna") == Decimal("0.00")
    assert _credits(db)["R-1"] == (Decimal("9.50"), CreditStatus.PARTIALLY_PAID)
    assert _notice_status(db, world.notice_id) is NoticeStatus.PARTIALLY_PAID
    assert assign_payment(db, world.payments["P4"], [ids["R-1"]], user_login="anna") == Decimal("15.50")
    assert _credits(db)["R-1"] == (Decimal("0.00"), CreditStatus.PAID)
    assert _notice_status(db, world.notice_id) is NoticeStatus.PAID
    assert {row.id: row.unallocated for row in unmatched_payments(db, world.creditor_id)} == {
        world.payments["P4"]: Decimal("15.50")
    }


def test_assigning_refuses_an_empty_choice_foreign_credits_and_credits_that_owe_nothing(
    db: Database, tmp_path: Path
) -> None:
    world = _world(db, tmp_path)
    payment, ids = world.payments["P1"], world.credits
    before = (_state(db, payment), _credits(db))
    with pytest.raises(InvalidInput, match="almeno un credito"):
        assign_payment(db, payment, [], user_login="anna")
    with pytest.raises(NotFound, match="altro ente"):
        assign_payment(db, payment, [ids["X-1"]], user_login="anna")
    with pytest.raises(NotFound):  # one good credit does not make the foreign one acceptable
        assign_payment(db, payment, [ids["V-1"], ids["X-1"]], user_login="anna")
    with pytest.raises(NotFound):
        assign_payment(db, payment, [999_999], user_login="anna")
    with pytest.raises(InvalidInput, match="non hanno più nulla da pagare"):
        assign_payment(db, payment, [ids["NE-0"]], user_login="anna")
    with pytest.raises(NotFound):
        assign_payment(db, 999_999, [ids["V-1"]], user_login="anna")
    with pytest.raises(NotFound):  # another creditor's payment cannot pay our credits either
        assign_payment(db, world.payments["Q1"], [ids["V-1"]], user_login="anna")
    # AND nothing changed, nothing was recorded
    assert (_state(db, payment), _credits(db)) == before
    with db.read_session() as session:
        assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "payment.assign")) == 0
