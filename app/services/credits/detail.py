"""Everything about one credit for the detail panel: holder, payer, notice, payments, messages, documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, or_, select

from app.models import (
    Allocation,
    Channel,
    Communication,
    CommunicationStatus,
    Credit,
    CreditStatus,
    Document,
    DocumentKind,
    NoticeKind,
    NoticeStatus,
    Payment,
    PaymentSource,
    Subject,
    SubjectKind,
)
from app.services.database import Database, read_session
from app.services.debtors import format_address
from app.services.errors import NotFound


@dataclass(frozen=True)
class Party:
    """A holder or payer as the detail panel shows it."""

    id: int
    kind: SubjectKind
    name: str
    tax_code: str | None
    vat_number: str | None
    identity_problem: str | None
    address: str
    mobile: str | None
    email: str | None
    pec: str | None


@dataclass(frozen=True)
class NoticeInfo:
    kind: NoticeKind
    code: str | None
    amount: Decimal
    due_date: date
    status: NoticeStatus


@dataclass(frozen=True)
class PaymentLine:
    received_on: date
    source: PaymentSource
    payment_amount: Decimal
    allocated: Decimal
    description: str | None


@dataclass(frozen=True)
class CommunicationLine:
    channel: Channel
    status: CommunicationStatus
    template: str | None
    sent_at: datetime | None
    address: str | None


@dataclass(frozen=True)
class DocumentLine:
    kind: DocumentKind
    relative_path: str
    size: int
    created_at: datetime


@dataclass(frozen=True)
class CreditDetail:
    """One credit with all it is tied to."""

    id: int
    reference: str
    installation_ref: str | None
    issue_date: date
    due_date: date
    amount: Decimal
    outstanding: Decimal
    status: CreditStatus
    roll_name: str | None
    holder: Party
    payer: Party
    notice: NoticeInfo | None
    payments: tuple[PaymentLine, ...]
    communications: tuple[CommunicationLine, ...]
    documents: tuple[DocumentLine, ...]


def credit_detail(db: Database, credit_id: int) -> CreditDetail:
    """The full picture of one credit; NotFound if it was deleted meanwhile."""
    with read_session(db) as session:
        credit = session.get(Credit, credit_id)
        if credit is None:
            raise NotFound(f"Il credito {credit_id} non esiste più.")
        notice = credit.notice
        return CreditDetail(
            id=credit.id,
            reference=credit.reference,
            installation_ref=credit.installation_ref,
            issue_date=credit.issue_date,
            due_date=credit.due_date,
            amount=credit.amount,
            outstanding=credit.outstanding,
            status=credit.status,
            roll_name=credit.roll.name if credit.roll else None,
            holder=_party(credit.holder),
            payer=_party(credit.payer),
            notice=NoticeInfo(notice.kind, notice.code, notice.amount, notice.due_date, notice.status)
            if notice
            else None,
            payments=tuple(
                PaymentLine(p.received_on, p.source, p.amount, a.amount, p.description)
                for a, p in session.execute(
                    select(Allocation, Payment)
                    .join(Payment, Payment.id == Allocation.payment_id)
                    .where(Allocation.credit_id == credit_id)
                    .order_by(Payment.received_on, Payment.id)
                )
            ),
            communications=tuple(
                CommunicationLine(c.channel, c.status, c.template, c.sent_at, c.address)
                for c in session.scalars(
                    select(Communication)
                    .where(_linked(Communication.credit_id, Communication.notice_id, credit))
                    .order_by(Communication.created_at)
                )
            ),
            documents=tuple(
                DocumentLine(d.kind, d.relative_path, d.size, d.created_at)
                for d in session.scalars(
                    select(Document)
                    .where(_linked(Document.credit_id, Document.notice_id, credit))
                    .order_by(Document.created_at)
                )
            ),
        )


def _linked(credit_column: Any, notice_column: Any, credit: Credit) -> ColumnElement[bool]:
    """Records tied to the credit itself or to the notice that collects it."""
    if credit.notice_id is None:
        return credit_column == credit.id
    return or_(credit_column == credit.id, notice_column == credit.notice_id)


def _party(subject: Subject) -> Party:
    address = format_address(subject.street, subject.postal_code, subject.city, subject.province)
    return Party(
        id=subject.id,
        kind=subject.kind,
        name=subject.name,
        tax_code=subject.tax_code,
        vat_number=subject.vat_number,
        identity_problem=subject.tax_code_problem or subject.vat_number_problem,
        address=address,
        mobile=subject.mobile,
        email=subject.email,
        pec=subject.pec,
    )
