"""Booking a file's movements in one transaction: match, allocate, undo reversals, follow the bank's outcomes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from app.models import (
    Allocation,
    Credit,
    MatchRule,
    NoticeStatus,
    Payment,
    PaymentNotice,
    PaymentSource,
    PaymentStatus,
)
from app.models.credits import credit_status
from app.services.bulk import IdAllocator, Progress, bulk_insert, table_of
from app.services.payments.allocation import ZERO, OpenCredit, allocate
from app.services.payments.incoming import IncomingPayment, Outcome
from app.services.payments.matching import Matcher

_NOTICE_OUTCOMES = {
    Outcome.UNPAID: NoticeStatus.EXPIRED, Outcome.RECALLED: NoticeStatus.CANCELLED,
    Outcome.WRITTEN_OFF: NoticeStatus.CANCELLED,
}  # fmt: skip


@dataclass
class Booked:
    """What a file did, counted, with the movements a clerk should look at."""

    movements: int = 0
    matched: int = 0
    partially_matched: int = 0
    unmatched: int = 0
    already_booked: int = 0
    reversed: int = 0
    outcomes: int = 0
    amount: Decimal = ZERO
    allocated: Decimal = ZERO
    by_rule: defaultdict[MatchRule, int] = field(default_factory=lambda: defaultdict(int))
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Pending:
    """A payment to write: kept small (a statement may hold 100,000), its row built only when written."""

    id: int
    payment: IncomingPayment
    payer_id: int | None
    notice_id: int | None
    status: PaymentStatus
    rule: MatchRule | None
    unallocated: Decimal
    allocations: list[tuple[OpenCredit, Decimal]]
    reversed_by: str | None = None


class Booker:
    """Books movements for one creditor inside the caller's transaction; ``finish`` writes them all."""

    def __init__(
        self, session: Session, creditor_id: int, bank_file_id: int, today: date, now: datetime, *,
        reversals: bool = True,
    ) -> None:  # fmt: skip
        self._session, self._creditor_id, self._file_id = session, creditor_id, bank_file_id
        self._today, self._now = today, now
        self._matcher = Matcher(session, creditor_id)
        self._ids = IdAllocator(session, Payment)
        self._known: dict[PaymentSource, set[str]] = {}
        self._pending: list[_Pending] = []
        self._by_end_to_end: dict[str, _Pending] = {}
        self._reversals = reversals  # a file without reversals need not remember its payments by end-to-end id
        self._touched: dict[int, OpenCredit] = {}
        self._notices: dict[int, NoticeStatus] = {}
        self._outcomes: dict[int, str] = {}
        self.booked = Booked()

    def book(self, payment: IncomingPayment) -> None:
        """Book one movement: a payment, a reversal or a MAV outcome; a movement already booked is skipped."""
        self.booked.movements += 1
        known = self._known_references(payment.source)
        if payment.bank_reference in known:
            self.booked.already_booked += 1
            return
        known.add(payment.bank_reference)
        if payment.reversal:
            self._reverse(payment)
        elif payment.outcome is not Outcome.PAID:
            self._outcome(payment)
        else:
            self._pay(payment)

    def _known_references(self, source: PaymentSource) -> set[str]:
        if source not in self._known:
            query = select(Payment.external_id).where(
                Payment.creditor_id == self._creditor_id, Payment.source == source, Payment.external_id.is_not(None)
            )
            self._known[source] = set(self._session.scalars(query))
        return self._known[source]

    def _pay(self, payment: IncomingPayment) -> None:
        match = self._matcher.match(payment)
        parts: list[tuple[OpenCredit, Decimal]] = []
        left = payment.amount
        payer_id = match.payer_id if match else None
        if match is not None:
            parts, left = allocate(payment.amount, match.credits)
            if left > ZERO:  # an over-payment settles the payer's other debts, oldest first
                more, left = allocate(left, self._matcher.payer_credits(payer_id))
                parts += more
        for credit, _amount in parts:
            self._touched[credit.id] = credit
            if credit.notice_id is not None:
                self._notices.setdefault(credit.notice_id, NoticeStatus.ISSUED)
        self._matcher.learn_iban(payment.payer_iban, payer_id if parts else None)
        status = _status(payment.amount, left)
        self._count(status, match.rule if match and parts else None, payment.amount - left, payment.amount)
        pending = _Pending(self._ids.next(), payment, payer_id, match.notice_id if match else None, status,
                           match.rule if match and parts else None, left, parts)  # fmt: skip
        self._pending.append(pending)
        if payment.end_to_end_id and self._reversals:
            self._by_end_to_end[payment.end_to_end_id] = pending

    def _count(self, status: PaymentStatus, rule: MatchRule | None, allocated: Decimal, amount: Decimal) -> None:
        booked = self.booked
        booked.amount += amount
        booked.allocated += allocated
        if status is PaymentStatus.MATCHED:
            booked.matched += 1
        elif status is PaymentStatus.PARTIALLY_MATCHED:
            booked.partially_matched += 1
        else:
            booked.unmatched += 1
        if rule is not None:
            booked.by_rule[rule] += 1

    def _reverse(self, payment: IncomingPayment) -> None:
        pending = self._by_end_to_end.get(payment.end_to_end_id or "")
        if pending is not None and pending.status is not PaymentStatus.REVERSED:
            for credit, amount in pending.allocations:
                credit.outstanding += amount
            pending.allocations = []
            pending.status, pending.reversed_by = PaymentStatus.REVERSED, payment.bank_reference
            pending.unallocated = pending.payment.amount
            self.booked.reversed += 1
            return
        original = self._stored_original(payment)
        if original is None:
            self.booked.warnings.append(
                f"{payment.where}: storno di {payment.amount} € senza un incasso corrispondente già registrato "
                f"(riferimento {payment.end_to_end_id or payment.bank_reference}); nessun credito modificato"
            )
            return
        self._undo(original, payment.bank_reference)
        self.booked.reversed += 1

    def _stored_original(self, payment: IncomingPayment) -> Payment | None:
        if not payment.end_to_end_id:
            return None
        return self._session.scalar(
            select(Payment).where(
                Payment.creditor_id == self._creditor_id, Payment.end_to_end_id == payment.end_to_end_id,
                Payment.status != PaymentStatus.REVERSED,
            ).order_by(Payment.id.desc()).limit(1)
        )  # fmt: skip

    def _undo(self, original: Payment, reference: str) -> None:
        for allocation in list(original.allocations):
            credit = self._session.get(Credit, allocation.credit_id)
            assert credit is not None
            open_credit = self._matcher.credits.get(credit.id) or OpenCredit(
                credit.id, credit.reference, credit.due_date, credit.outstanding, credit.amount, credit.payer_id,
                credit.notice_id, credit.status,
            )  # fmt: skip
            open_credit.outstanding += allocation.amount
            self._matcher.add(open_credit)
            self._touched[credit.id] = open_credit
            if credit.notice_id is not None:
                self._notices.setdefault(credit.notice_id, NoticeStatus.ISSUED)
            original.allocations.remove(allocation)
        original.status, original.reversed_by, original.unallocated = PaymentStatus.REVERSED, reference, original.amount
        self._session.flush()

    def _outcome(self, payment: IncomingPayment) -> None:
        notice_id = self._matcher.match(payment)
        if notice_id is None or notice_id.notice_id is None:
            self.booked.warnings.append(f"{payment.where}: esito «{payment.outcome.value}» per un avviso sconosciuto")
            return
        self._notices[notice_id.notice_id] = _NOTICE_OUTCOMES[payment.outcome]
        self._outcomes[notice_id.notice_id] = payment.outcome.value
        self.booked.outcomes += 1

    def finish(self, progress: Progress) -> Booked:
        """Write payments, allocations, credits and notices; the caller commits."""
        session = self._session
        rows = (_payment_row(p, self._creditor_id, self._file_id, self._now) for p in self._pending)
        bulk_insert(session, Payment, rows, progress)
        allocations = (
            {"payment_id": p.id, "credit_id": credit.id, "amount": amount}
            for p in self._pending
            for credit, amount in p.allocations
        )
        bulk_insert(session, Allocation, allocations, progress)
        self._update_credits(session)
        self._update_notices(session)
        return self.booked

    def _update_credits(self, session: Session) -> None:
        # Core executemany in chunks: the ORM's bulk update of 100,000 dicts costs hundreds of megabytes.
        table, today = table_of(Credit), self._today
        statement = (
            update(table)
            .where(table.c.id == bindparam("credit_id"))
            .values(outstanding=bindparam("new_outstanding"), status=bindparam("new_status"))
        )
        touched = list(self._touched.values())
        for start in range(0, len(touched), 5_000):
            session.execute(statement, [
                {"credit_id": c.id, "new_outstanding": c.outstanding,
                 "new_status": credit_status(c.status, c.amount, c.outstanding, c.due_date, c.notice_id is not None,
                                             today)}
                for c in touched[start : start + 5_000]
            ])  # fmt: skip

    def _update_notices(self, session: Session) -> None:
        notice_statuses(session, {n for n, status in self._notices.items() if status is NoticeStatus.ISSUED})
        rows = [
            {"id": notice_id, "status": self._notices[notice_id], "bank_outcome": outcome}
            for notice_id, outcome in self._outcomes.items()
        ]
        if rows:
            session.execute(update(PaymentNotice), rows)


def notice_statuses(session: Session, notice_ids: set[int]) -> None:
    """Set each notice's status from what its credits still owe: paid, partially paid, or issued."""
    table = table_of(PaymentNotice)
    statement = update(table).where(table.c.id == bindparam("notice_id")).values(status=bindparam("new_status"))
    ids = sorted(notice_ids)
    for start in range(0, len(ids), 900):  # SQLite's limit on bound parameters; and little held at a time
        query = (
            select(Credit.notice_id, func.sum(Credit.outstanding), func.sum(Credit.amount))
            .where(Credit.notice_id.in_(ids[start : start + 900]))
            .group_by(Credit.notice_id)
        )
        rows = [
            {"notice_id": notice_id, "new_status": _notice_status(Decimal(outstanding), Decimal(amount))}
            for notice_id, outstanding, amount in session.execute(query)
        ]
        if rows:
            session.execute(statement, rows)


def _status(amount: Decimal, left: Decimal) -> PaymentStatus:
    if left == ZERO:
        return PaymentStatus.MATCHED
    return PaymentStatus.UNMATCHED if left == amount else PaymentStatus.PARTIALLY_MATCHED


def _notice_status(outstanding: Decimal, amount: Decimal) -> NoticeStatus:
    if outstanding <= ZERO:
        return NoticeStatus.PAID
    return NoticeStatus.PARTIALLY_PAID if outstanding < amount else NoticeStatus.ISSUED


def _payment_row(pending: _Pending, creditor_id: int, file_id: int, now: datetime) -> dict[str, Any]:
    payment = pending.payment
    return {
        "id": pending.id, "creditor_id": creditor_id, "source": payment.source,
        "external_id": payment.bank_reference, "received_on": payment.received_on, "value_date": payment.value_date,
        "amount": payment.amount, "description": (payment.remittance or None) and payment.remittance[:500],
        "payer_name": payment.payer_name and payment.payer_name[:200], "payer_iban": payment.payer_iban,
        "end_to_end_id": payment.end_to_end_id and payment.end_to_end_id[:35], "bank_file_id": file_id,
        "reversed_by": pending.reversed_by, "payer_id": pending.payer_id, "notice_id": pending.notice_id,
        "status": pending.status, "matched_by": pending.rule, "unallocated": pending.unallocated,
        "created_at": now, "updated_at": now,
    }  # fmt: skip
