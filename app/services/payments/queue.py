"""The unmatched payments queue: what no rule could place, the credits that might fit, and a clerk's choice."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from app.models import Allocation, AuditEvent, Credit, MatchRule, Payment, PaymentStatus, Subject
from app.models.credits import credit_status
from app.models.types import rome_today, utc_now
from app.services.database import Database, escape_like, read_session
from app.services.errors import InvalidInput, NotFound
from app.services.payments.allocation import ZERO, OpenCredit, allocate
from app.services.payments.booking import notice_statuses
from app.services.payments.matching import reference_tokens
from app.services.rolls.states import user_id_of
from app.services.unit_of_work import UnitOfWork

_WORDS = re.compile(r"[A-Za-z0-9]{3,}")
_CANDIDATES = 50


@dataclass(frozen=True)
class UnmatchedRow:
    """A payment waiting for a clerk: what came in, from whom, and what is still unplaced."""

    id: int
    received_on: date
    amount: Decimal
    unallocated: Decimal
    payer_name: str | None
    payer_iban: str | None
    description: str | None
    status: PaymentStatus


@dataclass(frozen=True)
class Candidate:
    """A credit that might be what a payment pays, with why it is proposed."""

    credit_id: int
    reference: str
    holder_name: str
    payer_name: str
    due_date: date
    outstanding: Decimal
    reasons: tuple[str, ...]


def unmatched_payments(db: Database, creditor_id: int) -> list[UnmatchedRow]:
    """Payments with money no credit took yet (unmatched, or the excess of an over-payment), oldest first."""
    query = (
        select(Payment)
        .where(Payment.creditor_id == creditor_id, Payment.unallocated > 0,
               Payment.status.in_((PaymentStatus.UNMATCHED, PaymentStatus.PARTIALLY_MATCHED)))
        .order_by(Payment.received_on, Payment.id)
    )  # fmt: skip
    with read_session(db) as session:
        return [
            UnmatchedRow(
                p.id, p.received_on, p.amount, p.unallocated, p.payer_name, p.payer_iban, p.description, p.status
            )
            for p in session.scalars(query)
        ]


def candidate_credits(db: Database, payment_id: int, search: str | None = None) -> list[Candidate]:
    """Open credits that may fit the payment, best first: the clerk's search (reference or name), else those
    whose outstanding equals what is unplaced, whose payer's name shares words with the payer's, or whose
    reference the remittance names."""
    holder, payer = aliased(Subject), aliased(Subject)
    with read_session(db) as session:
        payment = _payment(session, payment_id)
        query = (
            select(Credit, holder.name, payer.name)
            .join(holder, holder.id == Credit.holder_id)
            .join(payer, payer.id == Credit.payer_id)
            .where(Credit.creditor_id == payment.creditor_id, Credit.outstanding > 0)
        )
        if search and search.strip():
            pattern = f"%{escape_like(search.strip())}%"
            query = query.where(
                or_(*(c.ilike(pattern, escape="\\") for c in (Credit.reference, holder.name, payer.name)))
            )
        else:
            words = _words(payment.payer_name) | _words(payment.description)
            hints = [Credit.outstanding == payment.unallocated]
            hints += [
                name.ilike(f"%{escape_like(word)}%", escape="\\")
                for word in words
                for name in (holder.name, payer.name)
            ]
            tokens = reference_tokens(payment.description or "")
            if tokens:
                hints.append(func.upper(Credit.reference).in_(tokens[:200]))
            query = query.where(or_(*hints))
        rows = session.execute(query.order_by(Credit.due_date, Credit.id).limit(_CANDIDATES * 4)).all()
        candidates = [_candidate(payment, credit, holder_name, payer_name) for credit, holder_name, payer_name in rows]
    candidates.sort(key=lambda c: (-len(c.reasons), c.due_date, c.credit_id))
    return candidates[:_CANDIDATES]


def _candidate(payment: Payment, credit: Credit, holder_name: str, payer_name: str) -> Candidate:
    reasons = []
    if credit.outstanding == payment.unallocated:
        reasons.append("stesso importo")
    if (_words(payment.payer_name) | _words(payment.description)) & (_words(holder_name) | _words(payer_name)):
        reasons.append("nome simile")
    if credit.reference.upper() in reference_tokens(payment.description or ""):
        reasons.append("riferimento nella causale")
    return Candidate(credit.id, credit.reference, holder_name, payer_name, credit.due_date, credit.outstanding,
                     tuple(reasons))  # fmt: skip


def assign_payment(
    db: Database, payment_id: int, credit_ids: list[int], *, user_login: str | None, today: date | None = None
) -> Decimal:
    """Give what the payment has unplaced to the chosen credits, oldest due date first; returns what is left.

    Nothing is ever allocated beyond a credit's outstanding; the allocation is recorded with who made it.
    """
    if not credit_ids:
        raise InvalidInput("Scegliere almeno un credito a cui assegnare il pagamento.")
    today, now = today or rome_today(), utc_now()
    with UnitOfWork(db) as uow:
        session = uow.session
        payment = _payment(session, payment_id, lock=True)
        if payment.unallocated <= ZERO or payment.status is PaymentStatus.REVERSED:
            raise InvalidInput(f"Il pagamento {payment_id} non ha importi da assegnare.")
        credits = list(session.scalars(
            select(Credit).where(Credit.id.in_(credit_ids), Credit.creditor_id == payment.creditor_id).with_for_update()
        ))  # fmt: skip
        if len(credits) != len(set(credit_ids)):
            raise NotFound("Uno dei crediti scelti non esiste più o è di un altro ente.")
        open_credits = {c.id: OpenCredit(c.id, c.reference, c.due_date, c.outstanding, c.amount, c.payer_id,
                                         c.notice_id, c.status) for c in credits}  # fmt: skip
        parts, left = allocate(payment.unallocated, list(open_credits.values()))
        if not parts:
            raise InvalidInput("I crediti scelti non hanno più nulla da pagare.")
        _apply(session, payment, credits, parts, today)
        payment.unallocated = left
        payment.status = PaymentStatus.MATCHED if left == ZERO else PaymentStatus.PARTIALLY_MATCHED
        payment.matched_by = payment.matched_by or MatchRule.MANUAL
        payment.payer_id = payment.payer_id or credits[0].payer_id
        details = {"credits": [[p[0].id, str(p[1])] for p in parts], "left": str(left)}
        session.add(AuditEvent(at=now, user_id=user_id_of(session, user_login), action="payment.assign",
                               entity="payment", entity_id=payment.id, details=json.dumps(details)))  # fmt: skip
        uow.commit()
    return left


def _apply(session: Session, payment: Payment, credits: list[Credit], parts: list[tuple[OpenCredit, Decimal]],
           today: date) -> None:  # fmt: skip

    by_id = {c.id: c for c in credits}
    existing = {a.credit_id: a for a in payment.allocations}
    for part, amount in parts:
        credit = by_id[part.id]
        credit.outstanding = part.outstanding
        credit.status = credit_status(credit.status, credit.amount, credit.outstanding, credit.due_date,
                                      credit.notice_id is not None, today)  # fmt: skip
        if part.id in existing:
            existing[part.id].amount += amount
        else:
            payment.allocations.append(Allocation(credit_id=part.id, amount=amount))
    session.flush()
    notice_statuses(session, {c.notice_id for c in credits if c.notice_id is not None})


def _payment(session: Session, payment_id: int, lock: bool = False) -> Payment:
    query = select(Payment).where(Payment.id == payment_id)
    payment = session.scalar(query.with_for_update() if lock else query)
    if payment is None:
        raise NotFound(f"Pagamento {payment_id} non trovato.")
    return payment


def _words(text: str | None) -> set[str]:
    return {word.upper() for word in _WORDS.findall(text or "")}
