"""The database itself refuses impossible data, on SQLite and on PostgreSQL, whatever code writes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, text
from sqlalchemy.exc import IntegrityError

from app.models import (
    AdministratorAssignment,
    Allocation,
    Credit,
    CreditKind,
    Creditor,
    NoticeKind,
    Payment,
    PaymentNotice,
    PaymentSource,
    Roll,
    Subject,
    SubjectKind,
)
from app.services.database import Database
from app.services.unit_of_work import UnitOfWork
from tests.support.builders import Builder


@dataclass(frozen=True)
class Seed:
    creditor_id: int
    other_creditor_id: int
    holder_id: int
    condominium_id: int
    administrator_id: int
    roll_id: int
    credit_id: int


@pytest.fixture
def seed(db: Database) -> Seed:
    """Two creditors, a person with one credit, a condominium and an administrator, a roll."""
    with UnitOfWork(db) as uow:
        session = uow.session
        creditor, other = Creditor(name="Tree Ascensori"), Creditor(name="Co.Sm.An")
        holder = Subject(creditor=creditor, kind=SubjectKind.PERSON, name="Mario Rossi")
        condominium = Subject(creditor=creditor, kind=SubjectKind.CONDOMINIUM, name="Condominio Via Roma 1")
        administrator = Subject(creditor=creditor, kind=SubjectKind.ADMINISTRATOR, name="Studio Bianchi")
        roll = Roll(creditor=creditor, name="Manutenzione", year=2026, credit_type="Fatture")
        session.add_all([creditor, other, holder, condominium, administrator, roll])
        session.flush()
        credit = Credit(**_credit_fields(creditor.id, holder.id, reference="F-1"))
        session.add(credit)
        session.flush()
        result = Seed(creditor.id, other.id, holder.id, condominium.id, administrator.id, roll.id, credit.id)
        uow.commit()
    return result


def _credit_fields(creditor_id: int, holder_id: int, /, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "creditor_id": creditor_id,
        "holder_id": holder_id,
        "payer_id": holder_id,
        "reference": "F-2",
        "kind": CreditKind.INVOICE,
        "issue_date": date(2026, 1, 10),
        "due_date": date(2026, 2, 28),
        "amount": Decimal("100.00"),
        "outstanding": Decimal("100.00"),
    }
    return fields | overrides


def _credit(seed: Seed, **overrides: Any) -> Credit:
    return Credit(**_credit_fields(seed.creditor_id, seed.holder_id, **overrides))


def _assignment(seed: Seed, **overrides: Any) -> AdministratorAssignment:
    fields: dict[str, Any] = {
        "condominium_id": seed.condominium_id,
        "administrator_id": seed.administrator_id,
        "valid_from": date(2026, 1, 1),
    }
    return AdministratorAssignment(**(fields | overrides))


def _refused(db: Database, *records: object) -> str:
    """Add ``records`` in one transaction, expect the database to refuse them; return its message."""
    with UnitOfWork(db) as uow:
        uow.session.add_all(records)
        with pytest.raises(IntegrityError) as raised:
            uow.session.flush()
    return str(raised.value.orig)


def _accepted(db: Database, *records: object) -> None:
    with UnitOfWork(db) as uow:
        uow.session.add_all(records)
        uow.commit()


@pytest.mark.parametrize(
    ("overrides", "constraint"),
    [
        # A negative amount cannot respect 0 ≤ outstanding ≤ amount either: SQLite names whichever check it
        # evaluates first, and a rebuilt table may list them in another order.
        (
            {"amount": Decimal("-0.01"), "outstanding": Decimal("0.00")},
            ("ck_credit_amount_not_negative", "ck_credit_outstanding_within_amount"),
        ),
        ({"amount": Decimal("10.00"), "outstanding": Decimal("-1.00")}, "ck_credit_outstanding_not_negative"),
        (
            {"amount": Decimal("10.00"), "outstanding": Decimal("10.01")},
            "ck_credit_outstanding_within_amount",
        ),
    ],
)
def test_credit_amounts_are_checked(
    db: Database, seed: Seed, overrides: dict[str, Any], constraint: str | tuple[str, ...]
) -> None:
    refused = _refused(db, _credit(seed, **overrides))
    names = (constraint,) if isinstance(constraint, str) else constraint
    assert any(name in refused for name in names), refused


def test_credit_amounts_at_the_limits_are_accepted(db: Database, seed: Seed) -> None:
    _accepted(
        db,
        _credit(seed, reference="F-2", amount=Decimal("0.00"), outstanding=Decimal("0.00")),
        _credit(seed, reference="F-3", amount=Decimal("999999999999.99"), outstanding=Decimal("999999999999.99")),
    )


def test_reference_is_unique_per_creditor(db: Database, seed: Seed) -> None:
    message = _refused(db, _credit(seed, reference="F-1"))
    assert "uq_credit_creditor_id_reference" in message or "credit.creditor_id, credit.reference" in message

    # the same number at another creditor is another invoice
    _accepted(db, Credit(**_credit_fields(seed.other_creditor_id, seed.holder_id, reference="F-1")))


def test_a_payment_must_be_positive(db: Database, seed: Seed) -> None:
    payment = Payment(
        creditor_id=seed.creditor_id,
        source=PaymentSource.BANK,
        received_on=date(2026, 3, 1),
        amount=Decimal(0),
    )

    assert "ck_payment_amount_positive" in _refused(db, payment)


def test_a_notice_amount_cannot_be_negative(db: Database, seed: Seed) -> None:
    notice = PaymentNotice(
        creditor_id=seed.creditor_id,
        holder_id=seed.holder_id,
        payer_id=seed.holder_id,
        kind=NoticeKind.MAV,
        amount=Decimal("-5.00"),
        due_date=date(2026, 3, 1),
    )

    assert "ck_payment_notice_amount_not_negative" in _refused(db, notice)


def test_an_allocation_must_be_positive(db: Database, seed: Seed) -> None:
    payment = Payment(
        creditor_id=seed.creditor_id,
        source=PaymentSource.MANUAL,
        received_on=date(2026, 3, 1),
        amount=Decimal(10),
    )
    payment.allocations.append(Allocation(credit_id=seed.credit_id, amount=Decimal("0.00")))

    assert "ck_allocation_amount_positive" in _refused(db, payment)


def test_an_assignment_cannot_end_before_it_starts(db: Database, seed: Seed) -> None:
    assignment = _assignment(seed, valid_from=date(2026, 7, 1), valid_to=date(2026, 6, 30))

    assert "ck_administrator_assignment_valid_range" in _refused(db, assignment)


def test_a_condominium_cannot_administer_itself(db: Database, seed: Seed) -> None:
    assignment = _assignment(seed, administrator_id=seed.condominium_id)

    assert "ck_administrator_assignment_not_self" in _refused(db, assignment)


def test_a_one_day_assignment_is_a_valid_range(db: Database, seed: Seed) -> None:
    _accepted(db, _assignment(seed, valid_from=date(2026, 7, 1), valid_to=date(2026, 7, 1)))


def test_two_assignments_of_a_condominium_cannot_start_on_the_same_day(db: Database, seed: Seed) -> None:
    # Both closed, so only the same start day (not the single open term) is what clashes.
    _accepted(db, _assignment(seed, valid_to=date(2026, 3, 31)))

    message = _refused(db, _assignment(seed, valid_to=date(2026, 6, 30)))
    assert "uq_administrator_assignment_condominium_id_valid_from" in message or "valid_from" in message


def test_whatsapp_consent_needs_its_date(db: Database, seed: Seed) -> None:
    subject = Subject(creditor_id=seed.creditor_id, kind=SubjectKind.PERSON, name="Anna Neri", whatsapp_consent=True)

    assert "ck_subject_consent_has_date" in _refused(db, subject)


@pytest.mark.parametrize(
    ("table", "column", "value", "key", "constraint"),
    [
        ("subject", "kind", "alien", "holder_id", "ck_subject_subject_kind"),
        ("subject", "preferred_channel", "pigeon", "holder_id", "ck_subject_channel"),
        ("credit", "status", "lost", "credit_id", "ck_credit_credit_status"),
        ("credit", "kind", "loan", "credit_id", "ck_credit_credit_kind"),
        ("roll", "status", "archived", "roll_id", "ck_roll_roll_status"),
    ],
)
def test_enum_columns_refuse_unknown_values_in_the_database(
    db: Database, seed: Seed, table: str, column: str, value: str, key: str, constraint: str
) -> None:
    # Raw SQL: the ORM would refuse the value before the database sees it.
    with db.engine.connect() as connection, pytest.raises(IntegrityError) as raised:
        connection.execute(
            text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
            {"value": value, "id": getattr(seed, key)},
        )
    assert constraint in str(raised.value.orig)


def test_foreign_keys_are_enforced(db: Database, seed: Seed) -> None:
    message = _refused(db, _credit(seed, holder_id=987654, payer_id=987654))
    assert "foreign key" in message.lower()


def test_a_subject_with_credits_cannot_be_deleted(db: Database, seed: Seed) -> None:
    with UnitOfWork(db) as uow, pytest.raises(IntegrityError):
        uow.session.execute(delete(Subject).where(Subject.id == seed.holder_id))


def test_a_condominium_cannot_have_two_open_administrator_terms(db: Database) -> None:
    with UnitOfWork(db) as uow:
        b = Builder(uow.session)
        condominium = b.subject("Condominio Via Roma 12", SubjectKind.CONDOMINIUM)
        first = b.subject("Studio Bianchi", SubjectKind.ADMINISTRATOR)
        second = b.subject("Studio Verdi", SubjectKind.ADMINISTRATOR)
        b.assign(condominium, first, date(2025, 1, 1))
        with pytest.raises(IntegrityError):
            b.assign(condominium, second, date(2026, 7, 1))
