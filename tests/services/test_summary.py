"""The database summary on a small hand-built dataset: every figure checked exactly, on both databases."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import TypeVar

import pytest
from sqlalchemy.orm import Session

from app.models import (
    AdministratorAssignment,
    Allocation,
    Channel,
    Communication,
    CommunicationStatus,
    Credit,
    CreditKind,
    Creditor,
    CreditStatus,
    Document,
    DocumentKind,
    NoticeKind,
    NoticeStatus,
    Payment,
    PaymentNotice,
    PaymentSource,
    Roll,
    RollStatus,
    Subject,
    SubjectKind,
)
from app.services.database import Database
from app.services.errors import NotFound
from app.services.summary import summarize
from app.services.unit_of_work import UnitOfWork

TODAY = date(2026, 5, 15)
T = TypeVar("T")
STREETS = ("Via Roma 1", "Via Dante 2", "Via Verdi 3")
ADMINISTRATORS = ("Studio Neri", "Ferri Luca", "Sala Eva")


class _Data:
    """Adds rows for one creditor and flushes, so ids are known at once."""

    def __init__(self, session: Session, name: str) -> None:
        self.session = session
        self.creditor = self.add(Creditor(name=name))
        self.references = 0

    def add(self, record: T) -> T:
        self.session.add(record)
        self.session.flush()
        return record

    def subject(self, kind: SubjectKind, name: str) -> Subject:
        return self.add(Subject(creditor_id=self.creditor.id, kind=kind, name=name))

    def term(self, condominium: Subject, administrator: Subject, start: date, end: date | None = None) -> None:
        self.add(AdministratorAssignment(condominium_id=condominium.id, administrator_id=administrator.id,
                                         valid_from=start, valid_to=end))  # fmt: skip

    def credit(self, holder: Subject, amount: str, outstanding: str, status: CreditStatus) -> Credit:
        self.references += 1
        return self.add(
            Credit(creditor_id=self.creditor.id, holder_id=holder.id, payer_id=holder.id,
                   reference=f"F{self.references}", kind=CreditKind.INVOICE, issue_date=date(2026, 1, 10),
                   due_date=date(2026, 2, 10), amount=Decimal(amount), outstanding=Decimal(outstanding),
                   status=status)
        )  # fmt: skip

    def payment(self, amount: str, *allocations: tuple[Credit, str]) -> None:
        payment = self.add(Payment(creditor_id=self.creditor.id, source=PaymentSource.BANK,
                                   received_on=date(2026, 3, 1), amount=Decimal(amount)))  # fmt: skip
        for credit, part in allocations:
            self.add(Allocation(payment_id=payment.id, credit_id=credit.id, amount=Decimal(part)))


def _consortium(session: Session) -> None:
    data = _Data(session, "Consorzio A")
    mario, anna = (
        data.subject(SubjectKind.PERSON, "Rossi Mario"),
        data.subject(SubjectKind.PERSON, "Bianchi Anna"),
    )
    firm = data.subject(SubjectKind.COMPANY, "Edil Verdi s.r.l.")
    roma, dante, verdi = (data.subject(SubjectKind.CONDOMINIUM, f"Condominio {s}") for s in STREETS)
    studio, ferri, late = (data.subject(SubjectKind.ADMINISTRATOR, n) for n in ADMINISTRATORS)
    data.term(roma, studio, date(2020, 1, 1), date(2026, 5, 31))  # hands over to the next on 1 June
    data.term(verdi, studio, date(2021, 3, 1))
    data.term(dante, studio, date(2020, 1, 1), date(2026, 3, 31))  # left Studio Neri at the end of March
    data.term(dante, ferri, date(2026, 4, 1))
    data.term(roma, late, date(2026, 6, 1))  # a future term: not current yet
    paid = data.credit(mario, "180.00", "0.00", CreditStatus.PAID)
    partial = data.credit(anna, "245.50", "45.50", CreditStatus.OVERDUE)
    data.credit(firm, "0.10", "0.10", CreditStatus.IN_LEGAL)
    data.credit(roma, "1000.00", "1000.00", CreditStatus.AWAITING_PAYMENT)
    data.payment("180.00", (paid, "180.00"))
    data.payment("250.00", (partial, "200.00"))  # 50.00 left over: not fully matched
    data.payment("99.99")  # nobody knows whose
    draft = data.add(Roll(creditor_id=data.creditor.id, name="Ruolo premi 2026", year=2026, credit_type="Premi"))
    data.add(Roll(creditor_id=data.creditor.id, name="Ruolo 2025", year=2025, credit_type="Premi",
                  status=RollStatus.CLOSED))  # fmt: skip
    creditor_id = data.creditor.id
    data.add(PaymentNotice(creditor_id=creditor_id, roll_id=draft.id, holder_id=mario.id, payer_id=mario.id,
                           kind=NoticeKind.MAV, code="000000000001", amount=Decimal("180.00"),
                           due_date=date(2026, 2, 10), status=NoticeStatus.PAID))  # fmt: skip
    data.add(Communication(creditor_id=data.creditor.id, subject_id=anna.id, channel=Channel.EMAIL,
                           status=CommunicationStatus.QUEUED))  # fmt: skip
    data.add(Document(creditor_id=data.creditor.id, kind=DocumentKind.INVOICE, relative_path="a/F1.pdf",
                      sha256="0" * 64, size=10))  # fmt: skip


def _other_consortium(session: Session) -> None:
    data = _Data(session, "Consorzio B")
    holder = data.subject(SubjectKind.PERSON, "Conti Sara")
    credit = data.credit(holder, "10.00", "0.00", CreditStatus.PAID)
    data.payment("10.00", (credit, "10.00"))


@pytest.fixture
def filled(db: Database) -> Database:
    with UnitOfWork(db) as uow:
        _consortium(uow.session)
        _other_consortium(uow.session)
        uow.commit()
    return db


def _zeros(*states: enum.StrEnum) -> dict[str, int]:
    return {state.value: 0 for state in states}


def test_summary_of_one_creditor_has_exact_figures(filled: Database) -> None:
    summary = summarize(filled, "Consorzio A", today=TODAY)
    credit_statuses = _zeros(*CreditStatus) | {"paid": 1, "overdue": 1, "in_legal": 1,
                                                                  "awaiting_payment": 1}  # fmt: skip
    assert summary == {
        "creditor": "Consorzio A",
        "credits": {"count": 4, "amount": "1425.60", "outstanding": "1045.60", "by_status": credit_statuses},
        "subjects": {"total": 9, "by_kind": {"person": 2, "company": 1, "condominium": 3,
                                             "administrator": 3}},
        "administrators": {"with_condominiums": 2, "max_condominiums": 2},
        "rolls": {"count": 2, "by_status": _zeros(*RollStatus) | {"draft": 1, "closed": 1}},
        "notices": {"count": 1, "by_status": _zeros(*NoticeStatus) | {"paid": 1}},
        "communications": {
            "count": 1, "by_status": _zeros(*CommunicationStatus) | {"queued": 1},
        },
        "payments": {"count": 3, "amount": "529.99", "unmatched": 2},
        "documents": {"count": 1},
    }  # fmt: skip


def test_summary_of_the_whole_database_adds_every_creditor(filled: Database) -> None:
    summary = summarize(filled, today=TODAY)
    assert summary["creditor"] is None
    assert summary["credits"]["count"] == 5
    assert summary["credits"]["amount"] == "1435.60"
    assert summary["credits"]["by_status"]["paid"] == 2
    assert summary["subjects"]["total"] == 10
    assert summary["payments"] == {"count": 4, "amount": "539.99", "unmatched": 2}


def test_administrators_are_counted_on_the_given_day(filled: Database) -> None:
    # Before the change of administrator, Studio Neri had all three condominiums and Ferri none.
    summary = summarize(filled, "Consorzio A", today=date(2026, 3, 31))
    assert summary["administrators"] == {"with_condominiums": 1, "max_condominiums": 3}


def test_empty_database_gives_zeros(db: Database) -> None:
    with UnitOfWork(db) as uow:
        uow.session.add(Creditor(name="Vuoto"))
        uow.commit()
    summary = summarize(db, "Vuoto", today=TODAY)
    assert summary["credits"]["amount"] == summary["credits"]["outstanding"] == "0.00"
    assert summary["administrators"] == {"with_condominiums": 0, "max_condominiums": 0}
    assert summary["payments"] == {"count": 0, "amount": "0.00", "unmatched": 0}


def test_unknown_creditor_is_reported(filled: Database) -> None:
    with pytest.raises(NotFound, match="«Consorzio Z» non trovato"):
        summarize(filled, "Consorzio Z")
