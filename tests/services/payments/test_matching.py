"""Matching booked payments to credits, rule by rule, with partial and over-payments, and its money invariants."""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.models import (
    Allocation,
    BankFile,
    BankFileFormat,
    Credit,
    CreditStatus,
    MatchRule,
    NoticeKind,
    NoticeStatus,
    Payment,
    PaymentNotice,
    PaymentStatus,
    Subject,
)
from app.models.types import utc_now
from app.services.bulk import Progress
from app.services.database import Database
from app.services.imports.types import ImportOutcome
from app.services.notices.codes import format_rf_reference, group_notice_number, make_notice_number, rf_for_notice
from app.services.payments.booking import Booked, Booker
from app.services.payments.importing import PaymentsImported, import_payments
from app.services.payments.incoming import IncomingPayment
from app.services.payments.queue import unmatched_payments
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder
from tests.support.payment_files import Collection, collections_csv

TODAY = date(2026, 1, 31)  # before every due date below: statuses follow the amounts only
PAID_ON = date(2026, 1, 20)
NOBODY_KNOWS = "N/D"  # an invoice column that names no credit: the other rules must find the credits
IBAN = "IT60X0542811101000000123456"
_files = itertools.count()


@dataclass(frozen=True)
class World:
    creditor_id: int
    rf_notice: int  # Rossi's transfer notice with an RF reference: R-1 (60) and R-2 (40)
    pagopa_notice: int  # Verdi's pagoPA notice: V-1 (120)


def _notice(make: Builder, holder: Subject, kind: NoticeKind, credits: list[Credit]) -> PaymentNotice:
    notice = PaymentNotice(
        creditor_id=make.creditor.id, holder_id=holder.id, payer_id=holder.id, kind=kind,
        amount=sum((c.outstanding for c in credits), Decimal(0)), due_date=min(c.due_date for c in credits),
        status=NoticeStatus.ISSUED,
    )  # fmt: skip
    make.session.add(notice)
    make.session.flush()
    notice.code = (
        rf_for_notice("T", notice.id) if kind is NoticeKind.TRANSFER else make_notice_number(3, "07", notice.id)
    )
    for credit in credits:
        credit.notice_id = notice.id
    make.session.flush()
    return notice


def _world(db: Database) -> World:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session)
        make.user("anna")
        rossi, verdi = make.subject("Rossi Mario"), make.subject("Verdi Anna")
        bianchi, neri = make.subject("Bianchi & Figli S.r.l."), make.subject("Neri Paolo")
        gialli, marini = make.subject("Gialli Luca"), make.subject("Marini Sara")
        rf = _notice(make, rossi, NoticeKind.TRANSFER, [
            make.credit(rossi, "60.00", reference="R-1", due=date(2026, 3, 31)),
            make.credit(rossi, "40.00", reference="R-2", due=date(2026, 6, 30)),
        ])  # fmt: skip
        pagopa = _notice(make, verdi, NoticeKind.PAGOPA, [make.credit(verdi, "120.00", reference="V-1")])
        make.credit(bianchi, "300.00", reference="FT-2026/0042")
        make.credit(neri, "75.50", reference="N-1")
        make.credit(gialli, "50.00", reference="G-1", due=date(2026, 4, 30))
        make.credit(gialli, "50.00", reference="G-2", due=date(2026, 5, 31))
        make.credit(marini, "100.00", reference="M-1", due=date(2026, 6, 30))
        make.credit(marini, "50.00", reference="M-2", due=date(2026, 2, 28))
        make.credit(marini, "50.00", reference="M-3", due=date(2026, 4, 30))
        world = World(make.creditor.id, rf.id, pagopa.id)
        uow.commit()
    return world


def _import(
    db: Database, world: World | int, folder: Path, rows: list[Collection], title: str = "Incassi registrati"
) -> PaymentsImported:
    creditor_id = world if isinstance(world, int) else world.creditor_id
    path = collections_csv(folder / f"incassi-{next(_files)}.csv", rows, title=[[title]])
    return import_payments(db, creditor_id, path, user_login="anna", archive_folder=folder / "archivio", today=TODAY)


def _row(movement: str, amount: str, *, invoice: str = NOBODY_KNOWS, payer: str | None = None,
         text: str | None = None) -> Collection:  # fmt: skip
    return Collection(invoice, Decimal(amount), PAID_ON, payer, movement, text)


def _payment(db: Database, movement: str) -> tuple[Payment, dict[str, Decimal]]:
    """The payment booked for the movement, and what it gave to each credit (by reference)."""
    with db.read_session() as session:
        payment = session.scalars(select(Payment).where(Payment.external_id == movement)).one()
        parts = dict(
            session.execute(
                select(Credit.reference, Allocation.amount)
                .join(Allocation, Allocation.credit_id == Credit.id)
                .where(Allocation.payment_id == payment.id)
            ).all()
        )
        session.expunge(payment)
    return payment, {reference: Decimal(amount) for reference, amount in parts.items()}


def _credits(db: Database, creditor_id: int) -> dict[str, tuple[Decimal, CreditStatus]]:
    with db.read_session() as session:
        rows = session.execute(
            select(Credit.reference, Credit.outstanding, Credit.status).where(Credit.creditor_id == creditor_id)
        )
        return {reference: (outstanding, status) for reference, outstanding, status in rows}


def _notice_status(db: Database, notice_id: int) -> NoticeStatus:
    with db.read_session() as session:
        status = session.scalar(select(PaymentNotice.status).where(PaymentNotice.id == notice_id))
    assert status is not None
    return status


def _rf_text(world: World) -> str:
    return f"Bonifico Rossi Mario rif. {format_rf_reference(rf_for_notice('T', world.rf_notice))} saldo"


def _pagopa_text(world: World) -> str:
    return f"PAGAMENTO AVVISO PAGOPA N. {group_notice_number(make_notice_number(3, '07', world.pagopa_notice))}"


# Each rule alone: the movement names nothing an earlier rule knows.
RULES = {
    "rf-reference-with-spaces": (lambda w: _row("E1", "100.00", payer="R. Mario", text=_rf_text(w)),
                                 MatchRule.REFERENCE, {"R-1": "60.00", "R-2": "40.00"}),
    "pagopa-notice-number": (lambda w: _row("E2", "120.00", text=_pagopa_text(w)),
                             MatchRule.REFERENCE, {"V-1": "120.00"}),
    "invoice-number-in-text": (lambda w: _row("E3", "300.00", text="Saldo fattura FT-2026/0042, grazie"),
                               MatchRule.INVOICE_NUMBER, {"FT-2026/0042": "300.00"}),
    "invoice-number-column": (lambda w: _row("E4", "300.00", invoice="ft-2026/0042"),
                              MatchRule.INVOICE_NUMBER, {"FT-2026/0042": "300.00"}),
    "amount-and-payer-name": (lambda w: _row("E5", "75.50", payer="NERI  PAOLO", text="acconto"),
                              MatchRule.AMOUNT_PAYER, {"N-1": "75.50"}),
}  # fmt: skip


@pytest.mark.parametrize("rule", list(RULES))
def test_each_rule_finds_the_credits_it_names(db: Database, tmp_path: Path, rule: str) -> None:
    world = _world(db)
    make_row, expected_rule, expected_parts = RULES[rule]
    row = make_row(world)
    result = _import(db, world, tmp_path, [row])
    assert (result.outcome, result.booked.matched, result.booked.unmatched) == (ImportOutcome.APPLIED, 1, 0)
    assert dict(result.booked.by_rule) == {expected_rule: 1}
    payment, parts = _payment(db, row.movement_id or "")
    assert (payment.status, payment.matched_by, payment.unallocated) == (
        PaymentStatus.MATCHED,
        expected_rule,
        Decimal("0.00"),
    )
    assert parts == {reference: Decimal(amount) for reference, amount in expected_parts.items()}
    credits = _credits(db, world.creditor_id)
    assert {ref for ref, (outstanding, _status) in credits.items() if outstanding == 0} == set(expected_parts)
    assert all(credits[ref][1] is CreditStatus.PAID for ref in expected_parts)


def test_the_rules_apply_in_order_the_first_that_finds_wins(db: Database, tmp_path: Path) -> None:
    world = _world(db)
    # GIVEN movements that several rules could place
    rows = [
        # an RF reference beats the invoice number written in the same text and the column
        _row("P1", "100.00", invoice="FT-2026/0042", text=_rf_text(world) + " fattura FT-2026/0042"),
        # an invoice number beats the payer's name and the amount, which fit M-1 (100.00) alone
        _row("P2", "100.00", payer="Marini Sara", text="fattura M-2"),
    ]
    _import(db, world, tmp_path, rows)
    first, first_parts = _payment(db, "P1")
    second, second_parts = _payment(db, "P2")
    assert (first.matched_by, first_parts) == (MatchRule.REFERENCE, {"R-1": Decimal("60.00"), "R-2": Decimal("40.00")})
    # (M-2 owes 50.00: the other 50.00 go to Marini's next credit by due date, M-3, not to M-1)
    assert (second.matched_by, second_parts) == (
        MatchRule.INVOICE_NUMBER,
        {"M-2": Decimal("50.00"), "M-3": Decimal("50.00")},
    )
    credits = _credits(db, world.creditor_id)
    assert (credits["FT-2026/0042"][0], credits["M-1"][0]) == (Decimal("300.00"), Decimal("100.00"))


def test_two_credits_of_the_same_amount_leave_the_payment_to_a_clerk(db: Database, tmp_path: Path) -> None:
    world = _world(db)
    result = _import(db, world, tmp_path, [_row("A1", "50.00", payer="Gialli Luca", text="pagamento")])
    assert (result.booked.matched, result.booked.unmatched) == (0, 1)
    payment, parts = _payment(db, "A1")
    assert (payment.status, payment.matched_by, payment.unallocated, parts) == (
        PaymentStatus.UNMATCHED,
        None,
        Decimal("50.00"),
        {},
    )
    credits = _credits(db, world.creditor_id)
    assert credits["G-1"][0] == credits["G-2"][0] == Decimal("50.00")
    assert [row.id for row in unmatched_payments(db, world.creditor_id)] == [payment.id]


def test_an_unknown_payer_or_an_amount_no_credit_owes_stays_unmatched(db: Database, tmp_path: Path) -> None:
    world = _world(db)
    rows = [_row("U1", "75.50", payer="Neri Paola"), _row("U2", "75.00", payer="Neri Paolo")]
    result = _import(db, world, tmp_path, rows)
    assert (result.booked.matched, result.booked.unmatched) == (0, 2)
    assert _credits(db, world.creditor_id)["N-1"][0] == Decimal("75.50")


def _book(db: Database, creditor_id: int, payments: list[IncomingPayment]) -> Booked:
    """Book ``payments`` as one file would, straight through the Booker, and commit."""
    now = utc_now()
    with UnitOfWork(db) as uow:
        session = uow.session
        name = f"estratto-{next(_files)}.xml"
        record = BankFile(creditor_id=creditor_id, direction="import", format=BankFileFormat.CAMT_054, file_name=name,
                          sha256=hashlib.sha256(name.encode()).hexdigest(), size=1, at=now)  # fmt: skip
        session.add(record)
        session.flush()
        booker = Booker(session, creditor_id, record.id, TODAY, now)
        for payment in payments:
            booker.book(payment)
        booked = booker.finish(Progress(None))
        uow.commit()
    return booked


def _transfer(
    reference: str, amount: str, *, iban: str | None = IBAN, name: str | None = None, text: str = ""
) -> IncomingPayment:
    return IncomingPayment(
        bank_reference=reference, amount=Decimal(amount), received_on=PAID_ON, where=f"movimento {reference}",
        payer_name=name, payer_iban=iban, remittance=text,
    )  # fmt: skip


def test_an_iban_learned_from_a_matched_payment_finds_the_payers_next_payments(db: Database) -> None:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session)
        bruno, other = make.subject("Bruno Costruzioni S.p.A."), make.subject("Altro Cliente")
        make.credit(bruno, "200.00", reference="B-1")
        make.credit(bruno, "80.00", reference="B-2")
        make.credit(bruno, "45.00", reference="B-3")
        make.credit(other, "45.00", reference="O-1")
        creditor_id = make.creditor.id
        uow.commit()
    # GIVEN a transfer matched by its invoice number, from an account nobody knew, then one naming nothing
    booked = _book(db, creditor_id, [
        _transfer("T1", "200.00", name="BRUNO COSTRUZIONI SPA", text="Fattura B-1"),
        _transfer("T2", "80.00", iban=IBAN.lower()[:4] + " " + IBAN[4:]),
    ])  # fmt: skip
    # THEN the second is placed by amount and the account the first one taught, within the same file
    assert (booked.matched, booked.by_rule[MatchRule.INVOICE_NUMBER], booked.by_rule[MatchRule.AMOUNT_PAYER]) == (
        2,
        1,
        1,
    )
    # AND a later file remembers the account: 45.00 goes to Bruno's B-3, not to the other payer's O-1
    later = _book(db, creditor_id, [_transfer("T3", "45.00", name="Pagatore sconosciuto")])
    assert (later.matched, dict(later.by_rule)) == (1, {MatchRule.AMOUNT_PAYER: 1})
    credits = _credits(db, creditor_id)
    assert {ref: outstanding for ref, (outstanding, _status) in credits.items()} == {
        "B-1": Decimal("0.00"), "B-2": Decimal("0.00"), "B-3": Decimal("0.00"), "O-1": Decimal("45.00"),
    }  # fmt: skip
    # AND an unknown account with no usable name waits for a clerk
    unknown = _book(db, creditor_id, [_transfer("T4", "45.00", iban="IT02A0301503200000003517230")])
    assert (unknown.matched, unknown.unmatched) == (0, 1)


def test_a_partial_payment_leaves_the_credit_and_its_notice_partially_paid(db: Database, tmp_path: Path) -> None:
    world = _world(db)
    # WHEN Rossi pays 30.00 of the 100.00 notice
    _import(db, world, tmp_path, [_row("S1", "30.00", text=_rf_text(world))])
    # THEN the older credit takes it all and both the credit and the notice are partially paid
    payment, parts = _payment(db, "S1")
    assert (payment.status, parts) == (PaymentStatus.MATCHED, {"R-1": Decimal("30.00")})
    credits = _credits(db, world.creditor_id)
    assert credits["R-1"] == (Decimal("30.00"), CreditStatus.PARTIALLY_PAID)
    assert credits["R-2"] == (Decimal("40.00"), CreditStatus.AWAITING_PAYMENT)
    assert _notice_status(db, world.rf_notice) is NoticeStatus.PARTIALLY_PAID
    # WHEN the rest comes in a later file
    _import(db, world, tmp_path, [_row("S2", "70.00", text=_rf_text(world))])
    _payment_s2, parts = _payment(db, "S2")
    assert parts == {"R-1": Decimal("30.00"), "R-2": Decimal("40.00")}
    credits = _credits(db, world.creditor_id)
    assert credits["R-1"] == credits["R-2"] == (Decimal("0.00"), CreditStatus.PAID)
    assert _notice_status(db, world.rf_notice) is NoticeStatus.PAID


def test_an_over_payment_settles_the_payers_other_credits_oldest_first(db: Database, tmp_path: Path) -> None:
    world = _world(db)
    # WHEN Marini pays 180.00 naming M-1 (100.00): the 80.00 more go to M-2 (due February), then M-3 (April)
    _import(db, world, tmp_path, [_row("O1", "180.00", invoice="M-1", payer="Marini Sara")])
    payment, parts = _payment(db, "O1")
    assert parts == {"M-1": Decimal("100.00"), "M-2": Decimal("50.00"), "M-3": Decimal("30.00")}
    assert (payment.status, payment.unallocated) == (PaymentStatus.MATCHED, Decimal("0.00"))
    # WHEN she pays 120.00 for M-3, which owes 20.00, and owes nothing else
    result = _import(db, world, tmp_path, [_row("O2", "120.00", invoice="M-3")])
    # THEN 100.00 stay unallocated: the payment is partially matched and waits in the clerk's queue
    assert result.booked.partially_matched == 1
    payment, parts = _payment(db, "O2")
    assert parts == {"M-3": Decimal("20.00")}
    assert (payment.status, payment.unallocated) == (PaymentStatus.PARTIALLY_MATCHED, Decimal("100.00"))
    queue = unmatched_payments(db, world.creditor_id)
    assert [(row.id, row.unallocated, row.status) for row in queue] == [
        (payment.id, Decimal("100.00"), PaymentStatus.PARTIALLY_MATCHED)
    ]
    # AND nobody else's credit was touched
    credits = _credits(db, world.creditor_id)
    assert all(credits[ref][0] == Decimal("0.00") for ref in ("M-1", "M-2", "M-3"))
    assert (credits["G-1"][0], credits["N-1"][0], credits["R-1"][0]) == (
        Decimal("50.00"),
        Decimal("75.50"),
        Decimal("60.00"),
    )


# Property: whatever the credits and movements, money is conserved and a second reading changes nothing.

_creditors = itertools.count()
_cents = st.integers(min_value=1, max_value=50_000).map(lambda c: Decimal(c).scaleb(-2))


@dataclass(frozen=True)
class Scenario:
    credits: list[tuple[str, int, Decimal, date]]  # reference, payer number, amount, due date
    rows: list[Collection]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    payers = draw(st.integers(min_value=1, max_value=3))
    credits = []
    for index in range(draw(st.integers(min_value=1, max_value=8))):
        amount = draw(st.sampled_from([Decimal("50.00"), Decimal("120.00")]) | _cents)
        due = draw(st.dates(min_value=date(2026, 2, 1), max_value=date(2026, 12, 31)))
        credits.append((f"C-{index}", draw(st.integers(min_value=0, max_value=payers - 1)), amount, due))
    rows = []
    for index in range(draw(st.integers(min_value=1, max_value=6))):
        named = draw(st.sampled_from([*(c[0] for c in credits), NOBODY_KNOWS]))
        payer = draw(st.sampled_from([None, "Sconosciuto", *(f"Pagatore {n}" for n in range(payers))]))
        amount = draw(st.sampled_from([c[2] for c in credits]) | _cents | st.just(Decimal("999.99")))
        rows.append(Collection(named, amount, PAID_ON, payer, f"MOV-{index}", draw(st.sampled_from(["", "saldo"]))))
    return Scenario(credits, rows)


def _scenario_world(db: Database, scenario: Scenario) -> int:
    with UnitOfWork(db) as uow:
        make = Builder(uow.session, f"Consorzio {next(_creditors)}")
        payers = [make.subject(f"Pagatore {n}") for n in range(3)]
        for reference, payer, amount, due in scenario.credits:
            make.credit(payers[payer], str(amount), reference=reference, due=due, status=CreditStatus.ISSUED)
        creditor_id = make.creditor.id
        uow.commit()
    return creditor_id


PaymentRow = tuple[Decimal, Decimal, PaymentStatus, MatchRule | None, list[tuple[str, Decimal]]]
CreditRow = tuple[Decimal, Decimal, CreditStatus]


def _ledger(db: Database, creditor_id: int) -> tuple[dict[str, PaymentRow], dict[str, CreditRow]]:
    """Every payment (with its allocations) and every credit of the creditor, as plain values."""
    with db.read_session() as session:
        allocations: defaultdict[int, list[tuple[str, Decimal]]] = defaultdict(list)
        for payment_id, reference, amount in session.execute(
            select(Allocation.payment_id, Credit.reference, Allocation.amount)
            .join(Credit, Credit.id == Allocation.credit_id)
            .where(Credit.creditor_id == creditor_id)
        ):
            allocations[payment_id].append((reference, amount))
        payments: dict[str, PaymentRow] = {
            p.external_id or "": (p.amount, p.unallocated, p.status, p.matched_by, sorted(allocations[p.id]))
            for p in session.scalars(select(Payment).where(Payment.creditor_id == creditor_id))
        }
        credits: dict[str, CreditRow] = {
            c.reference: (c.amount, c.outstanding, c.status)
            for c in session.scalars(select(Credit).where(Credit.creditor_id == creditor_id))
        }
    return payments, credits


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scenario=scenarios())
def test_money_is_conserved_and_a_second_reading_changes_nothing(
    db: Database, tmp_path: Path, scenario: Scenario
) -> None:
    creditor_id = _scenario_world(db, scenario)
    folder = tmp_path / f"example-{creditor_id}"
    folder.mkdir()
    first = _import(db, creditor_id, folder, scenario.rows)
    payments, credits = _ledger(db, creditor_id)
    assert len(payments) == first.booked.movements == len(scenario.rows)
    # Each payment: its allocations and what is left unplaced add up to what came in
    given_to: defaultdict[str, Decimal] = defaultdict(Decimal)
    for amount, unallocated, status, rule, parts in payments.values():
        assert sum((part for _ref, part in parts), Decimal(0)) + unallocated == amount
        assert status is (
            PaymentStatus.MATCHED if unallocated == 0
            else PaymentStatus.UNMATCHED if unallocated == amount else PaymentStatus.PARTIALLY_MATCHED
        )  # fmt: skip
        event(f"payment {status}")
        assert (rule is None) == (not parts)
        for reference, part in parts:
            given_to[reference] += part
    # Each credit: never given more than it is worth, and it owes exactly what it was not given
    for reference, (worth, outstanding, credit_status) in credits.items():
        assert given_to[reference] <= worth
        assert outstanding == worth - given_to[reference] >= 0
        assert (credit_status is CreditStatus.PAID) == (outstanding == 0)
    # The same movements in another file (same ids, other bytes) are recognised and change nothing
    second = _import(db, creditor_id, folder, list(reversed(scenario.rows)), title="Incassi (copia)")
    assert second.outcome is ImportOutcome.APPLIED
    assert (second.booked.movements, second.booked.already_booked) == (len(scenario.rows), len(scenario.rows))
    assert _ledger(db, creditor_id) == (payments, credits)
    with db.read_session() as session:
        files = session.scalar(select(func.count(BankFile.id)).where(BankFile.creditor_id == creditor_id))
    assert files == 2
